// The built desktop app on the Electron stand-in, first start on a machine with
// nothing configured: it runs against the embedded sandbox and says so, syncs,
// and its window shows what the sandbox holds. Then, in the same app: Sync now
// from the tray and from the window, Pause/Resume, Start at login.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pngSize } from './png.ts';
import type { BrowserServer } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandinApp } from '../electron-standin/driver.ts';
import type { TraySnapshot } from '../electron-standin/recorder.ts';
import { browserServer, createScenario, eventually, firstTray, haveChromium, openView, RESULTS, sandboxAdmin, sharedAppBuild, trayState, type Scenario } from './fixture.ts';

if (!haveChromium) console.warn('[desktop e2e] skipped: /usr/bin/chromium is absent (install Debian\'s chromium, as .ci/run does)');

describe.skipIf(!haveChromium)('desktop app, first start with nothing configured', () => {
  let browser: BrowserServer;
  let scenario: Scenario;
  let app: StandinApp;
  let windowId = 0;

  beforeAll(async () => {
    const build = await sharedAppBuild();
    browser = await browserServer();
    scenario = await createScenario(build, browser);
    app = scenario.launch();
  }, 60_000);

  afterAll(async () => {
    await scenario?.close();
    await browser?.close();
  });

  const text = (selector: string) => app.page<string>(windowId, { action: 'textContent', selector });
  const trayStates = () => app.events.filter((e) => e.event === 'tray').map((e) => trayState(e.data as TraySnapshot));

  it('opens the status window from app://ui/index.html, with the preload bridge and no Node', async () => {
    const win = await app.window();
    windowId = win.id;
    await app.page(windowId, { action: 'waitForSelector', selector: 'html[data-ready="true"]', state: 'attached' });
    // The page is told the app's language (app.getLocale(); LANG=C.UTF-8 here).
    expect((await app.snapshot()).windows[0]?.url).toBe('app://ui/index.html?lang=en-US');
    const world = await app.page<{ bridge: string[]; require: string; process: string }>(windowId, {
      action: 'evaluate',
      fn: '() => ({ bridge: Object.keys(window.deviceAgent), require: typeof require, process: typeof process })',
    });
    expect(world).toEqual({ bridge: ['getStatus', 'onStatus', 'syncNow', 'setPaused', 'getSettings', 'getSettingsForm', 'saveSettings', 'setSecret', 'copyHardwareId', 'exportDiagnostics', 'deactivate', 'restartToUpdate'], require: 'undefined', process: 'undefined' });
  });

  it('says it runs against the sandbox, syncs, and the tray goes starting → syncing → synced', async () => {
    await app.waitFor('the tray to say synced', (s) => trayState(firstTray(s)) === 'synced');
    const states = trayStates().filter((s, i, all) => s !== all[i - 1]);
    expect(states.slice(0, 3)).toEqual(['starting', 'syncing', 'synced']);
    expect(firstTray(await app.snapshot())?.tooltip).toContain('sandbox');
    await app.page(windowId, { action: 'waitForFunction', fn: '() => document.querySelector("#badge")?.dataset.phase === "synced"' });
    expect(await text('#warnings')).toContain('sandbox');
  });

  it("shows in its variables table exactly what the sandbox holds", async () => {
    const hardwareId = (await text('#hardware-id'))?.trim() ?? '';
    const product = (await text('#product'))?.trim() ?? '';
    const server = (await text('#server'))?.trim() ?? '';
    expect(hardwareId).toMatch(/^[0-9a-f-]{16,}$/i);
    await openView(app, windowId, 'sent');
    const rows = await app.page<{ name: string; value: string; pending: string }[]>(windowId, {
      action: 'evaluate',
      fn: `() => [...document.querySelectorAll('#variables li[data-name]')].map((li) => ({ name: li.dataset.name, value: li.querySelector('.value')?.textContent ?? '', pending: li.dataset.pending }))`,
    });
    await openView(app, windowId, 'status');
    const onServer = await sandboxAdmin<Record<string, string>>(server, scenario.adminToken, `device-variables?product=${encodeURIComponent(product)}&hardware_id=${encodeURIComponent(hardwareId)}`);
    expect(rows.length).toBeGreaterThanOrEqual(15);
    expect(Object.fromEntries(rows.map((r) => [r.name, r.value]))).toEqual(onServer);
    for (const row of rows) expect(row.pending).toBe('false');
  });

  it('writes the state file in the state directory', async () => {
    const state = join(scenario.stateDir, 'sandbox-agent', 'state.json');
    expect(existsSync(state)).toBe(true);
    expect(JSON.parse(await readFile(state, 'utf8'))).toBeTypeOf('object');
  });

  /** How many sync attempts the engine has recorded (through the real bridge). */
  const attempts = () => app.page<number>(windowId, { action: 'evaluate', fn: '() => window.deviceAgent.getStatus().then((r) => r.value.history.length)' });
  const menuItem = async (id: string) => firstTray(await app.snapshot())?.menu?.find((i) => i.id === id);

  it('Sync now from the tray menu and from the window each run a sync', async () => {
    const before = await attempts();
    await app.clickMenuItem('sync-now');
    await app.page(windowId, { action: 'waitForFunction', fn: `(n) => window.deviceAgent.getStatus().then((r) => r.value.history.length > n)`, arg: before });
    const afterTray = await attempts();
    await app.page(windowId, { action: 'waitForFunction', fn: '() => !document.querySelector("#sync-now").disabled' });
    await app.page(windowId, { action: 'click', selector: '#sync-now' });
    await app.page(windowId, { action: 'waitForFunction', fn: `(n) => window.deviceAgent.getStatus().then((r) => r.value.history.length > n)`, arg: afterTray });
  });

  it('Pause from the tray, Resume from the window', async () => {
    await app.clickMenuItem('pause');
    await app.waitFor('the tray to say paused', (s) => trayState(firstTray(s)) === 'paused');
    expect((await menuItem('pause'))?.label).toBe('Resume');
    expect((await menuItem('sync-now'))?.enabled).toBe(false);
    await app.page(windowId, { action: 'waitForFunction', fn: '() => document.querySelector("#badge").dataset.phase === "paused" && document.querySelector("#pause").textContent === "Resume"' });
    await app.page(windowId, { action: 'click', selector: '#pause' });
    await app.waitFor('the tray to leave paused', (s) => trayState(firstTray(s)) !== 'paused');
    expect((await menuItem('pause'))?.label).toBe('Pause');
  });

  it('Start at login (tray checkbox) writes and removes the XDG autostart entry, and the window follows', async () => {
    const entry = join(scenario.home, '.config', 'autostart', 'device-agent.desktop');
    expect(existsSync(entry)).toBe(false);
    await app.clickMenuItem('start-at-login');
    // Electron ticks a checkbox item itself before the click handler runs; the entry follows.
    expect((await menuItem('start-at-login'))?.checked).toBe(true);
    expect(await eventually('the autostart entry', () => existsSync(entry) && readFile(entry, 'utf8'))).toMatch(/^Exec=.* --hidden$/m);
    await app.page(windowId, { action: 'waitForFunction', fn: '() => window.deviceAgent.getSettings().then((r) => r.value.startAtLogin === true)' });
    await app.clickMenuItem('start-at-login');
    await eventually('the autostart entry to go', () => !existsSync(entry));
    await app.waitFor('the checkbox to be cleared', (s) => firstTray(s)?.menu?.find((i) => i.id === 'start-at-login')?.checked === false);
  });

  it('draws the status window in light and dark at its real size (test-results/desktop-status-*.png)', async () => {
    const { width, height } = (await app.snapshot()).windows.find((w) => w.id === windowId)!.bounds;
    expect([width, height]).toEqual([400, 560]);
    for (const scheme of ['light', 'dark'] as const) {
      await app.request({ op: 'theme', dark: scheme === 'dark' });
      const path = join(RESULTS, `desktop-status-${scheme}.png`);
      await app.page(windowId, { action: 'screenshot', path });
      expect(pngSize(await readFile(path))).toEqual({ width, height });
    }
    const background = await app.page<string>(windowId, { action: 'evaluate', fn: '() => getComputedStyle(document.body).backgroundColor' });
    await app.request({ op: 'theme', dark: false });
    const lightBackground = await app.page<string>(windowId, { action: 'evaluate', fn: '() => getComputedStyle(document.body).backgroundColor' });
    expect(background).not.toBe(lightBackground);
  });

  it('a second start ends at once and brings the first one\'s window back', async () => {
    await app.request({ op: 'window.close', window: windowId });
    await app.waitFor('the window to close', (s) => !s.windows.some((w) => w.visible));
    expect(app.process.exitCode).toBeNull(); // a tray app outlives its window
    const second = scenario.launch();
    expect((await second.exited).code).toBe(0);
    const win = await app.window();
    expect(win.id).not.toBe(windowId);
    expect(win.focused).toBe(true);
    expect((await app.snapshot()).secondInstances).toHaveLength(1);
    windowId = win.id;
  });

  it('Quit from the tray ends the app with exit code 0', async () => {
    await app.clickMenuItem('quit');
    expect(await app.exited).toEqual({ code: 0, signal: null });
  });
});
