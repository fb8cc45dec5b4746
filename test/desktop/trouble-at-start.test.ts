// What goes wrong at start must never make the tray app vanish: a damaged
// settings.json, an administrator's file that does not parse, a state directory
// another agent holds, a caFile that does not exist. Each time the app stays up,
// the tray says attention and the window says what happened and what to do —
// and once the cause is gone, Sync now (or the next save) starts the agent.
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserServer } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireStateLock, type StateLock } from '../../app/state/lock.ts';
import { prepareStateDir } from '../../app/state/state-dir.ts';
import { startSandbox, type Sandbox } from '../../sandbox/server.ts';
import type { StandinApp } from '../electron-standin/driver.ts';
import { browserServer, createScenario, firstTray, haveChromium, RESULTS, sharedAppBuild, trayState, type Scenario } from './fixture.ts';

describe.skipIf(!haveChromium)('desktop app, trouble at start', () => {
  let browser: BrowserServer;
  let sandbox: Sandbox;
  const scenarios: Scenario[] = [];
  let lock: StateLock | undefined;
  const apps: Record<'damagedSettings' | 'badManaged' | 'missingManaged' | 'locked' | 'missingCa' | 'noSandbox' | 'noSandboxDe', StandinApp> = {} as never;
  let badManagedPath = '';

  const managedFor = (extra: Record<string, unknown> = {}) => ({
    apiUrl: sandbox.url, apiKey: sandbox.demo.apiKey, sharedKey: sandbox.demo.sharedKey,
    product: sandbox.demo.product, licenseKey: sandbox.demo.licenseKey, autoActivate: true, ...extra,
  });

  beforeAll(async () => {
    const build = await sharedAppBuild();
    [browser, sandbox] = await Promise.all([browserServer(), startSandbox({ port: 0, rsaBits: 1024 })]);
    const make = async (env?: Record<string, string>) => {
      const s = await createScenario(build, browser, env);
      scenarios.push(s);
      return s;
    };

    const damaged = await make();
    await mkdir(damaged.userData, { recursive: true });
    await writeFile(join(damaged.userData, 'settings.json'), '{"settings": {"apiUrl": "https://licens');
    apps.damagedSettings = damaged.launch();

    const badManaged = await make();
    badManagedPath = await badManaged.writeManaged('{ "apiUrl": "https://api.example.com/api/v4/", }');
    apps.badManaged = badManaged.launch();

    const missingManaged = await make();
    apps.missingManaged = missingManaged.launch({ env: { DEVICE_AGENT_MANAGED_CONFIG: join(missingManaged.dir, 'no-such-managed.json') } });

    const locked = await make();
    await locked.writeManaged(managedFor());
    prepareStateDir(locked.stateDir);
    lock = acquireStateLock(locked.stateDir); // another agent (this test process) holds the state directory
    apps.locked = locked.launch();

    // An AppImage whose launcher (electron-builder's AppRun) added --no-sandbox: user namespaces refused.
    const noSandbox = await make();
    apps.noSandbox = noSandbox.launch({ args: ['--no-sandbox'], env: { APPIMAGE: join(noSandbox.dir, 'Device Agent-0.1.0.AppImage') } });

    // The same in a German session: the shell's own problem is said in German too.
    const noSandboxDe = await make({ LANG: 'de_DE.UTF-8' });
    apps.noSandboxDe = noSandboxDe.launch({ args: ['--no-sandbox'], env: { APPIMAGE: join(noSandboxDe.dir, 'Device Agent-0.1.0.AppImage') } });

    const missingCa = await make();
    await missingCa.writeManaged(managedFor({ caFile: join(missingCa.dir, 'no-such-ca.pem') }));
    apps.missingCa = missingCa.launch();
  }, 60_000);

  afterAll(async () => {
    lock?.release();
    await Promise.all(scenarios.map((s) => s.close()));
    await browser?.close();
    await sandbox?.close();
  });

  /** The app is up, its tray says attention, its window shows `expected` (banner or error section). */
  async function saysWhatToDo(app: StandinApp, expected: RegExp, screenshot?: string): Promise<number> {
    await app.waitFor('the tray to say attention', (s) => trayState(firstTray(s)) === 'attention');
    const win = await app.window();
    await app.page(win.id, { action: 'waitForSelector', selector: 'html[data-ready="true"]', state: 'attached' });
    await app.page(win.id, {
      action: 'waitForFunction',
      fn: `(re) => new RegExp(re, 'i').test(document.querySelector('#warnings')?.textContent + ' ' + document.querySelector('#error')?.textContent)`,
      arg: expected.source,
    });
    expect(app.process.exitCode).toBeNull();
    expect((await app.snapshot()).mainErrors).toEqual([]);
    if (screenshot) await app.page(win.id, { action: 'screenshot', path: join(RESULTS, screenshot) });
    return win.id;
  }

  it('a damaged settings.json is moved aside; the app starts with defaults and warns', async () => {
    const app = apps.damagedSettings;
    const s = scenarios[0] as Scenario;
    await saysWhatToDo(app, /settings file .*damaged/, 'desktop-attention-settings-damaged.png');
    const aside = readdirSync(s.userData).filter((f) => f.startsWith('settings.json.damaged-'));
    expect(aside).toHaveLength(1);
    expect(existsSync(join(s.userData, 'settings.json'))).toBe(true);
  });

  it("an administrator's file that does not parse is named with its problem; nothing syncs (not even the user's settings) until it is fixed, then Sync now takes it", async () => {
    const app = apps.badManaged;
    const id = await saysWhatToDo(app, /administrator's configuration .*config\.json cannot be used: .*JSON.*does not sync until it is fixed/, 'desktop-attention-managed-broken.png');
    expect(await app.page<string>(id, { action: 'textContent', selector: '#error-code' })).toBe('managed_config_unusable');
    // Settings cannot cure the administrator's file: the one button tries again (after IT fixed it), it does not open Settings.
    expect(await app.page<string>(id, { action: 'textContent', selector: '#fix' })).toBe('Try again');
    // Not the embedded sandbox, not the person's settings: nothing is sent while the administrator's fields are unknown.
    const snap = await app.snapshot();
    expect(firstTray(snap)?.tooltip).not.toMatch(/sandbox|synced/i);
    const s = scenarios[1] as Scenario;
    expect(existsSync(join(s.stateDir, 'state.json'))).toBe(false);
    await writeFile(badManagedPath, JSON.stringify(managedFor()));
    await app.clickMenuItem('sync-now');
    await app.waitFor('the tray to say synced', (x) => trayState(firstTray(x)) === 'synced' && !firstTray(x)?.tooltip.includes('sandbox'));
  });

  it('a DEVICE_AGENT_MANAGED_CONFIG naming a file that does not exist is an error (a misspelt rollout test must not pass silently)', async () => {
    await saysWhatToDo(apps.missingManaged, /no-such-managed\.json, which does not exist/);
  });

  it('a state directory held by another agent: attention, and Sync now starts the agent once it is free', async () => {
    const app = apps.locked;
    await saysWhatToDo(app, /Another Device Agent .* is already using/, 'desktop-attention-state-locked.png');
    lock?.release();
    lock = undefined;
    await app.clickMenuItem('sync-now');
    await app.waitFor('the tray to say synced', (s) => trayState(firstTray(s)) === 'synced');
  });

  it('an AppImage its launcher started without the sandbox says so and names the .deb (never silent)', async () => {
    const id = await saysWhatToDo(apps.noSandbox, /without Chromium's sandbox \(its AppImage launcher turned it off\)[\s\S]*\.deb package/, 'desktop-attention-no-sandbox.png');
    // Neither Settings nor a sync cures how the app was installed: no button is offered beside it.
    expect(await apps.noSandbox.page<boolean>(id, { action: 'evaluate', fn: `() => { const b = document.querySelector('#fix'); return b.hidden && b.offsetParent === null; }` })).toBe(true);
  });

  it("in a German session the same problem is said in German, in the window and the tray (it was English whatever the language)", async () => {
    const app = apps.noSandboxDe;
    const id = await saysWhatToDo(app, /läuft ohne die Sandbox von Chromium \(der AppImage-Starter hat sie abgeschaltet\)[\s\S]*Installieren Sie Device Agent aus dem \.deb-Paket/, 'desktop-attention-no-sandbox-de.png');
    expect(await app.page<string>(id, { action: 'textContent', selector: '#error-code' })).toBe('sandbox_off');
    expect(firstTray(await app.snapshot())?.tooltip).toMatch(/läuft ohne die Sandbox/);
  });

  it('a caFile that does not exist is named with what to do', async () => {
    await saysWhatToDo(apps.missingCa, /caFile.*not found/);
  });
});
