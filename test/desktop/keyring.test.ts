// The secrets typed into the window and the machine's keyring, on the stand-in's
// safeStorage (Electron 45's Linux behaviour, see test/electron-standin/README.md):
// - no keyring answers (basic_text): the window and the log say so, and a secret is
//   refused rather than stored under Chromium's public fixed key;
// - a desktop Chromium does not recognise but with a Secret Service (the sync API
//   says basic_text, the async one uses the keyring): no false alarm, stored as v11;
// - a keyring that fails at a later start: the saved secret is kept, not reported
//   as missing, and works again once the keyring does;
// - a keyring that asks for its password: the tray app starts at once and waits,
//   then syncs when the person unlocks it;
// - settings.json, the one file holding ciphertext, is 0600.
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserServer } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/server.ts';
import type { StandinApp } from '../electron-standin/driver.ts';
import { KEYRING_UNLOCKED_FILE, type SafeStorageBackend } from '../electron-standin/options.ts';
import { browserServer, createScenario, firstTray, haveChromium, openView, RESULTS, sharedAppBuild, trayState, type Scenario } from './fixture.ts';

describe.skipIf(!haveChromium)('desktop app and the keyring', () => {
  let browser: BrowserServer;
  let sandbox: Sandbox;
  let build = '';
  const scenarios: Scenario[] = [];

  beforeAll(async () => {
    build = await sharedAppBuild();
    [browser, sandbox] = await Promise.all([browserServer(), startSandbox({ port: 0, rsaBits: 1024 })]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(scenarios.map((s) => s.close()));
    await browser?.close();
    await sandbox?.close();
  });

  /** A machine whose administrator set everything but the shared key (the person types it). */
  async function machine(): Promise<Scenario> {
    const s = await createScenario(build, browser);
    scenarios.push(s);
    await s.writeManaged({ apiUrl: sandbox.url, apiKey: sandbox.demo.apiKey, product: sandbox.demo.product, licenseKey: sandbox.demo.licenseKey, autoActivate: true });
    return s;
  }

  const launch = (s: Scenario, backend: SafeStorageBackend) => s.launch({ env: { ELECTRON_STANDIN_SAFE_STORAGE: backend } });
  const keyringDir = (s: Scenario) => join(s.home, '.local', 'share', 'electron-standin-keyring');
  const settingsFile = (s: Scenario) => join(s.userData, 'settings.json');

  async function ready(app: StandinApp): Promise<number> {
    const id = (await app.window()).id;
    await app.page(id, { action: 'waitForSelector', selector: 'html[data-ready="true"]', state: 'attached' });
    return id;
  }

  /** Types the shared key into the form and saves; returns what the form says. */
  async function typeSharedKey(app: StandinApp, windowId: number, key: string): Promise<string> {
    await openView(app, windowId, 'settings');
    await app.page(windowId, { action: 'fill', selector: '#f-sharedKey', value: key });
    await app.page(windowId, { action: 'click', selector: '#save' });
    await app.page(windowId, { action: 'waitForFunction', fn: '() => (document.querySelector("#form-message")?.textContent ?? "") !== ""' });
    return app.page<string>(windowId, { action: 'textContent', selector: '#form-message' });
  }

  const windowText = (app: StandinApp, id: number) => app.page<string>(id, { action: 'evaluate', fn: '() => document.querySelector("#warnings").textContent + " | " + document.querySelector("#error").textContent' });

  /** First run with a working keyring: the person enters the shared key, the agent syncs, then quits. */
  async function savedWithWorkingKeyring(s: Scenario): Promise<void> {
    const app = launch(s, 'gnome_libsecret');
    const id = await ready(app);
    expect(await typeSharedKey(app, id, sandbox.demo.sharedKey)).toBe('Settings saved.');
    await app.waitFor('the tray to say synced', (snap) => trayState(firstTray(snap)) === 'synced');
    await app.clickMenuItem('quit');
    expect((await app.exited).code).toBe(0);
  }

  it('no keyring answers (basic_text): the window and the log say so, and a typed secret is refused, never stored under the fixed key', async () => {
    const s = await machine();
    const app = launch(s, 'basic_text');
    const id = await ready(app);
    await app.page(id, { action: 'waitForFunction', fn: '() => /no system keyring/i.test(document.querySelector("#warnings").textContent)' });
    const said = await typeSharedKey(app, id, sandbox.demo.sharedKey);
    expect(said).toMatch(/^Shared key: not stored/);
    expect(said).toMatch(/keyring/);
    expect(await app.page<string>(id, { action: 'textContent', selector: '#sharedKey-state' })).toBe('(not set)');
    const settings = existsSync(settingsFile(s)) ? await readFile(settingsFile(s), 'utf8') : '{}';
    expect(JSON.parse(settings).secrets ?? {}).toEqual({});
    await app.page(id, { action: 'screenshot', path: join(RESULTS, 'desktop-keyring-basic-text-field.png') });
    await app.page(id, { action: 'evaluate', fn: '() => window.scrollTo(0, 0)' });
    await app.page(id, { action: 'screenshot', path: join(RESULTS, 'desktop-keyring-basic-text.png') });
    await app.clickMenuItem('quit');
    await app.exited;
    const mainLog = await readFile(join(s.userData, 'logs', 'main.log'), 'utf8');
    expect(mainLog).toMatch(/no system keyring/i);
    expect(mainLog).not.toContain(sandbox.demo.sharedKey);
  });

  it('a desktop Chromium does not know but a Secret Service answers: no false alarm, the secret is kept in the keyring (v11), settings.json is 0600', async () => {
    const s = await machine();
    const app = launch(s, 'basic_text_secret_service');
    const id = await ready(app);
    expect(await typeSharedKey(app, id, sandbox.demo.sharedKey)).toBe('Settings saved.');
    await app.waitFor('the tray to say synced', (snap) => trayState(firstTray(snap)) === 'synced');
    expect(await windowText(app, id)).not.toMatch(/no system keyring/i);
    const stored = JSON.parse(await readFile(settingsFile(s), 'utf8')) as { secrets: { sharedKey: string } };
    expect(Buffer.from(stored.secrets.sharedKey, 'base64').subarray(0, 3).toString()).toBe('v11');
    expect(statSync(settingsFile(s)).mode & 0o777).toBe(0o600);
  });

  it('a keyring that fails at a later start: the saved secret is kept (not "missing"), and works again once the keyring does', { timeout: 60_000 }, async () => {
    const s = await machine();
    await savedWithWorkingKeyring(s);
    const before = await readFile(settingsFile(s), 'utf8');

    const app = launch(s, 'unavailable');
    await app.waitFor('the tray to say attention', (snap) => trayState(firstTray(snap)) === 'attention');
    const id = await ready(app);
    await app.page(id, { action: 'waitForFunction', fn: '() => /keyring/i.test(document.querySelector("#error").textContent)' });
    const text = await windowText(app, id);
    expect(text).toMatch(/kept/);
    expect(text).not.toMatch(/No system keyring answers/); // said once (the error), not again as a warning
    expect(text).not.toMatch(/required|not configured/i);
    expect(await app.page<string>(id, { action: 'textContent', selector: '#sharedKey-state' })).toBe('(set)');
    await app.page(id, { action: 'screenshot', path: join(RESULTS, 'desktop-keyring-unavailable.png') });
    await app.clickMenuItem('quit');
    expect((await app.exited).code).toBe(0);
    expect(JSON.parse(await readFile(settingsFile(s), 'utf8')).secrets).toEqual(JSON.parse(before).secrets);

    const again = launch(s, 'gnome_libsecret');
    await again.waitFor('the tray to say synced', (snap) => trayState(firstTray(snap)) === 'synced');
  });

  it('a keyring asking for its password: the tray app is up at once and waits; it syncs when the keyring is unlocked', { timeout: 60_000 }, async () => {
    const s = await machine();
    await savedWithWorkingKeyring(s);
    const app = launch(s, 'locked');
    const tooltip = await app.waitFor('the tray to wait for the keyring', (snap) => trayState(firstTray(snap)) === 'attention' && firstTray(snap)?.tooltip, 10_000);
    expect(tooltip).toMatch(/keyring/i);
    await mkdir(keyringDir(s), { recursive: true });
    await writeFile(join(keyringDir(s), KEYRING_UNLOCKED_FILE), '');
    await app.waitFor('the tray to say synced', (snap) => trayState(firstTray(snap)) === 'synced');
  });
});
