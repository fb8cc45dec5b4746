// The built desktop app on the Electron stand-in, with what issue 15 lets IT decide
// and other programs publish: a managed `trayIcon: attention` hides the tray while the
// device is synced and shows it when the device is deactivated on the server
// (device_not_found, autoActivate off); one notification per problem — not repeated
// by Sync now or a restart — whose click opens the window; variables a program
// wrote in the per-machine variables.d folder reach the server, and a broken file is
// named in the window; a changed value goes alone, a removed file stops being sent. Then `trayIcon: never` with notifications off: no tray, no
// notification, and the window opens from a second launch.
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserServer } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/server.ts';
import { activateDemo, callApi } from '../support/sandbox-calls.ts';
import type { StandinApp } from '../electron-standin/driver.ts';
import type { StandinSnapshot } from '../electron-standin/recorder.ts';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy.ts';
import { browserServer, createScenario, eventually, firstTray, haveChromium, openView, RESULTS, sharedAppBuild, trayState, type Scenario } from './fixture.ts';

const HARDWARE_ID = 'tray-policy-device';

const liveTrays = (s: StandinSnapshot) => s.trays.filter((t) => !t.destroyed);

interface Machine { browser: BrowserServer; sandbox: Sandbox; proxy: RecordingProxy; scenario: Scenario; managedPath: string }

/** One machine for a describe block: a Chromium, a sandbox behind a recording proxy, and a managed file pointing at it with `settings`. */
function machine(settings: (sandbox: Sandbox) => Record<string, unknown>): Machine {
  const m = {} as Machine;
  beforeAll(async () => {
    const build = await sharedAppBuild();
    [m.browser, m.sandbox] = await Promise.all([browserServer(), startSandbox({ port: 0, rsaBits: 1024 })]);
    m.proxy = await startRecordingProxy(m.sandbox.url, m.sandbox.demo.sharedKey);
    m.scenario = await createScenario(build, m.browser);
    m.managedPath = await m.scenario.writeManaged({
      apiUrl: m.proxy.apiUrl, apiKey: m.sandbox.demo.apiKey, sharedKey: m.sandbox.demo.sharedKey, product: m.sandbox.demo.product,
      licenseKey: m.sandbox.demo.licenseKey, ...settings(m.sandbox),
    });
  }, 60_000);
  afterAll(async () => {
    await m.scenario?.close();
    await m.proxy?.close();
    await Promise.all([m.browser?.close(), m.sandbox?.close()]);
  });
  return m;
}

describe.skipIf(!haveChromium)('desktop app: trayIcon attention, notifications, variables.d', () => {
  const m = machine(() => ({ hardwareId: HARDWARE_ID, autoActivate: false, trayIcon: 'attention' }));
  let sandbox: Sandbox;
  let scenario: Scenario;
  let app: StandinApp;
  let windowId = 0;
  let machineDir = '';

  const text = (selector: string) => app.page<string>(windowId, { action: 'textContent', selector });
  /** The names of acme.json's variables the app sent since exchange `from`. */
  const acmeSentSince = (from: number) => m.proxy.exchanges.slice(from)
    .filter((e) => e.endpoint === 'track_device_variables' || e.endpoint === 'activate_license')
    .flatMap((e) => Object.keys((e.body as { variables?: object }).variables ?? {}))
    .filter((name) => name.startsWith('acme.'));
  /** Sync now from the window, and wait until that cycle is in the history. */
  const syncNowAndWait = async () => {
    const lastAt = () => app.page<number>(windowId, { action: 'evaluate', fn: '() => window.deviceAgent.getStatus().then((r) => r.value.history.at(-1)?.at ?? 0)' });
    const before = await lastAt();
    await app.page(windowId, { action: 'click', selector: '#sync-now' });
    await eventually('the cycle of Sync now', async () => (await lastAt()) > before);
  };
  const publish = (variables: Record<string, unknown>) => {
    // As docs/publishing-variables.md says: write a temp file, then rename it over the old one.
    writeFileSync(join(machineDir, '.acme.json.tmp'), JSON.stringify({ variables }), { mode: 0o644 });
    renameSync(join(machineDir, '.acme.json.tmp'), join(machineDir, 'acme.json'));
  };

  beforeAll(async () => {
    ({ sandbox, scenario } = m);
    await activateDemo(sandbox, HARDWARE_ID);
    // What the vendor's installer (root) would put beside IT's file.
    machineDir = join(m.managedPath, '..', 'variables.d');
    mkdirSync(machineDir, { mode: 0o755 });
    chmodSync(machineDir, 0o755);
    writeFileSync(join(machineDir, 'acme.json'), JSON.stringify({ variables: { app_version: '4.2.1', edition: 'pro' } }), { mode: 0o644 });
    writeFileSync(join(machineDir, 'broken.json'), '{"variables": ', { mode: 0o644 });
    app = scenario.launch();
  });

  it('while the device is synced there is no tray icon; the window says which policy applies', async () => {
    windowId = (await app.window()).id; // the first run opens it
    await app.page(windowId, { action: 'waitForSelector', selector: 'html[data-ready="true"]', state: 'attached' });
    await app.page(windowId, { action: 'waitForSelector', selector: '#badge[data-phase="synced"]', timeout: 20_000 });
    expect(liveTrays(await app.snapshot())).toEqual([]);
    expect(await text('#tray-policy')).toBe('Shown only while you need to act (settings, activation, the license). Set by your administrator.');
    expect(await text('#notifications-policy')).toMatch(/^On: you are told when you need to act/);
    expect((await app.snapshot()).notifications).toEqual([]);
  });

  it('variables a program wrote in the per-machine folder reach the server; a broken file is named in the window and skipped', async () => {
    expect(sandbox.admin.deviceVariables(sandbox.demo.product, HARDWARE_ID)).toMatchObject({ 'acme.app_version': '4.2.1', 'acme.edition': 'pro' });
    await app.page(windowId, { action: 'screenshot', path: join(RESULTS, 'desktop-visibility-synced.png') });
    expect(await text('#warnings')).toContain(`Variables from ${join(machineDir, 'broken.json')} (per-machine folder) not sent: is not valid JSON`);
    // Green, yet a file was left out: the state line beside the badge points at the notes (it said only "Everything is on the server").
    const notes = await app.page<number>(windowId, { action: 'evaluate', fn: '() => document.querySelectorAll("#warnings p").length' });
    expect(await text('#state-line')).toMatch(notes === 1 ? /^Everything is on the server \(\d+ values\)\. See the note below\.$/ : new RegExp(`^Everything is on the server \\(\\d+ values\\)\\. See the ${notes} notes below\\.$`));
    // The sources are shown with what is sent.
    await openView(app, windowId, 'sent');
    expect(await app.page(windowId, { action: 'evaluate', fn: '() => !document.querySelector("#sources").hidden' })).toBe(true);
    const rows = await app.page<string[]>(windowId, { action: 'evaluate', fn: '() => [...document.querySelectorAll("#sources-list li")].map((r) => r.innerText.replace(/\\s+/g, " ").trim())' });
    expect(rows).toEqual([
      `acme 2 values ${join(machineDir, 'acme.json')} · folder for all users Sent`,
      expect.stringMatching(new RegExp(`^broken 0 values ${join(machineDir, 'broken.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} · folder for all users Not sent — is not valid JSON`)),
    ]);
    expect(await text('#variables')).toContain('acme.app_version');
    // Each variable says which source it came from.
    expect(await text('#variables li[data-name="acme.edition"] .why')).toBe('Published by the program "acme" (folder for all users).');
    await app.page(windowId, { action: 'evaluate', fn: '() => document.querySelector("#sources").scrollIntoView()' });
    await app.page(windowId, { action: 'screenshot', path: join(RESULTS, 'desktop-visibility-sources.png') });
    await openView(app, windowId, 'status');
  });

  it('the device deactivated on the server: the next send finds device_not_found, the tray appears saying so, one notification is recorded', async () => {
    const deactivated = await callApi(sandbox, 'deactivate_license', { params: { product: sandbox.demo.product, license_key: sandbox.demo.licenseKey, hardware_id: HARDWARE_ID } });
    expect(deactivated.status).toBe(200);
    // The program publishes a new version (a cycle with nothing new sends nothing, and would not notice).
    publish({ app_version: '4.2.2', edition: 'pro' });
    await app.page(windowId, { action: 'click', selector: '#sync-now' });
    const tray = await app.waitFor('the tray to appear', (s) => liveTrays(s)[0]);
    expect(trayState(tray)).toBe('attention');
    const snapshot = await app.waitFor('a notification', (s) => s.notifications.length > 0 && s);
    expect(snapshot.notifications).toEqual([{ title: 'Device Agent: this device is not activated', body: expect.stringMatching(/Click to see what to do\.$/), shown: true, clicked: false }]);
  });

  it('Sync now again (from the tray): the problem stands, the icon stays, no second notification', async () => {
    await app.clickMenuItem('sync-now');
    await app.page(windowId, { action: 'waitForFunction', fn: '() => window.deviceAgent.getStatus().then((r) => r.value.phase === "attention" && r.value.history.length >= 2)' });
    await new Promise((r) => setTimeout(r, 500));
    const snapshot = await app.snapshot();
    expect(snapshot.notifications).toHaveLength(1);
    expect(snapshot.trays.map((t) => t.destroyed)).toEqual([false]); // one icon all along: it did not blink away during the sync
  });

  it('clicking the notification opens the window', async () => {
    await app.request({ op: 'window.close', window: windowId });
    await app.waitFor('the window to close', (s) => !s.windows.some((w) => w.visible));
    await app.request({ op: 'notification.click', index: 0 });
    const win = await app.window();
    expect(win.focused).toBe(true);
    windowId = win.id;
  });

  it('after a restart the problem is not told again (what was told is kept), and the tray is there with it', async () => {
    app.signal('SIGTERM');
    expect((await app.exited).code).toBe(0);
    app = scenario.launch({ args: ['--hidden'] });
    await app.waitFor('the tray to show the problem', (s) => trayState(firstTray(s)) === 'attention');
    await app.clickMenuItem('sync-now');
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await app.snapshot()).notifications).toEqual([]);
  });

  it('the device activated again: Sync now sends the new version, synced, and the tray goes away', async () => {
    await activateDemo(sandbox, HARDWARE_ID);
    await app.clickMenuItem('sync-now');
    await app.waitFor('the tray to go', (s) => liveTrays(s).length === 0 && s.trays.length > 0);
    expect(sandbox.admin.deviceVariables(sandbox.demo.product, HARDWARE_ID)['acme.app_version']).toBe('4.2.2');
  });

  it('one value of the file changes: Sync now sends exactly that one of its values', async () => {
    const second = scenario.launch(); // the app started hidden: a second launch brings its window
    expect((await second.exited).code).toBe(0);
    windowId = (await app.window()).id;
    await app.page(windowId, { action: 'waitForSelector', selector: '#badge[data-phase="synced"]', timeout: 20_000 });
    const from = m.proxy.exchanges.length;
    publish({ app_version: '4.2.2', edition: 'enterprise' });
    await syncNowAndWait();
    expect(acmeSentSince(from)).toEqual(['acme.edition']);
    expect(sandbox.admin.deviceVariables(sandbox.demo.product, HARDWARE_ID)['acme.edition']).toBe('enterprise');
  });

  it('the program removes its file: nothing of it is sent any more and the window no longer lists it; the server keeps the last values', async () => {
    rmSync(join(machineDir, 'acme.json'));
    const from = m.proxy.exchanges.length;
    await syncNowAndWait();
    expect(acmeSentSince(from)).toEqual([]);
    const rows = await app.page<string[]>(windowId, { action: 'evaluate', fn: '() => [...document.querySelectorAll("#sources-table tbody tr")].map((r) => r.innerText.trim())' });
    expect(rows.filter((r) => r.startsWith('acme'))).toEqual([]);
    expect(await text('#variables')).not.toContain('acme.');
    expect(sandbox.admin.deviceVariables(sandbox.demo.product, HARDWARE_ID)).toMatchObject({ 'acme.app_version': '4.2.2', 'acme.edition': 'enterprise' });
    expect(m.proxy.exchanges.flatMap((e) => e.violations)).toEqual([]);
  });
});

describe.skipIf(!haveChromium)('desktop app: trayIcon never, notifications off', () => {
  const m = machine(() => ({ hardwareId: 'never-device', autoActivate: false, trayIcon: 'never', notifications: false }));

  it('needs attention (not activated) at a login start: the window opens, no tray, no notification; a second launch brings the window back', async () => {
    const app = m.scenario.launch({ args: ['--hidden'] });
    const windowId = (await app.window(20_000)).id;
    await app.page(windowId, { action: 'waitForSelector', selector: '#badge[data-phase="attention"]', timeout: 20_000 });
    expect(await app.page(windowId, { action: 'textContent', selector: '#tray-policy' })).toMatch(/^Not shown\. To see this window, open Device Agent again from your applications .* Set by your administrator\.$/);
    expect(await app.page(windowId, { action: 'textContent', selector: '#notifications-policy' })).toBe('Off. Set by your administrator.');
    await app.page(windowId, { action: 'screenshot', path: join(RESULTS, 'desktop-visibility-never.png') });
    const snapshot = await app.snapshot();
    expect(snapshot.trays).toEqual([]);
    expect(snapshot.notifications).toEqual([]);
    await app.request({ op: 'window.close', window: windowId });
    await app.waitFor('the window to close', (s) => !s.windows.some((w) => w.visible));
    const second = m.scenario.launch();
    expect((await second.exited).code).toBe(0);
    expect((await app.window()).id).not.toBe(windowId);
    expect(await eventually('still no tray', async () => (await app.snapshot()).trays.length === 0 && 'none')).toBe('none');
    await app.stop();
  });
});

describe.skipIf(!haveChromium)('desktop app: trayIcon attention with a license about to expire', () => {
  const m = machine((sandbox) => ({
    licenseKey: sandbox.admin.addLicense({ product: sandbox.demo.product, licenseType: 'time-limited', validityPeriod: new Date(Date.now() + 10 * 86_400_000 + 3_600_000) }).licenseKey,
    hardwareId: 'expiring-device', autoActivate: true, trayIcon: 'attention',
  }));

  it('synced, yet the person should know: the tray is shown and one notification says when it expires', async () => {
    const app = m.scenario.launch({ args: ['--hidden'] });
    const tray = await app.waitFor('the tray', (s) => trayState(firstTray(s)) === 'synced' && firstTray(s));
    expect(tray.tooltip).toContain('license expires in 10 days');
    const { notifications } = await app.waitFor('a notification', (s) => s.notifications.length > 0 && s);
    expect(notifications).toEqual([{ title: 'Device Agent: license expires in 10 days', body: expect.stringMatching(/^The license expires in 10 days \(\d{4}-\d{2}-\d{2}\)\. Ask your license administrator to renew it\.$/), shown: true, clicked: false }]);
    await app.stop();
  });
});
