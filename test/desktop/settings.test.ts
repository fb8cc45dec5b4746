// Settings entered in the built app's window, on the stand-in: a server and its
// keys saved there are where the next sync goes; switching to another server
// moves the next sync there; a secret set in the window never comes back out
// through any bridge call, and rests on disk only as safeStorage ciphertext
// (Chromium's format, under the keyring's key).
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserServer } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/server.ts';
import type { StandinApp } from '../electron-standin/driver.ts';
import { decrypt, deriveKey } from '../electron-standin/os-crypt.ts';
import { browserServer, createScenario, eventually, firstTray, haveChromium, openView, RESULTS, sharedAppBuild, trayState, type Scenario } from './fixture.ts';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy.ts';

describe.skipIf(!haveChromium)('desktop app settings', () => {
  let browser: BrowserServer;
  let first: Sandbox;
  let second: Sandbox;
  let firstProxy: RecordingProxy;
  let secondProxy: RecordingProxy;
  let scenario: Scenario;
  let app: StandinApp;
  let windowId = 0;

  beforeAll(async () => {
    const build = await sharedAppBuild();
    [browser, first, second] = await Promise.all([browserServer(), startSandbox({ port: 0, rsaBits: 1024 }), startSandbox({ port: 0, rsaBits: 1024 })]);
    [firstProxy, secondProxy] = await Promise.all([startRecordingProxy(first.url, first.demo.sharedKey), startRecordingProxy(second.url, second.demo.sharedKey)]);
    scenario = await createScenario(build, browser);
    app = scenario.launch();
    windowId = (await app.window()).id;
    await app.page(windowId, { action: 'waitForSelector', selector: 'html[data-ready="true"]', state: 'attached' });
  }, 60_000);

  afterAll(async () => {
    await scenario?.close();
    await Promise.all([firstProxy?.close(), secondProxy?.close()]);
    await Promise.all([browser?.close(), first?.close(), second?.close()]);
  });

  /** Types a server's details into the form, as a person would, and saves. */
  async function enterServer(apiUrl: string, sandbox: Sandbox): Promise<void> {
    const fill = (selector: string, value: string) => app.page(windowId, { action: 'fill', selector, value });
    await openView(app, windowId, 'settings');
    await app.page(windowId, { action: 'check', selector: 'input[name="authMethod"][value="hmac"]' });
    await fill('#f-apiUrl', apiUrl);
    await fill('#f-apiKey', sandbox.demo.apiKey);
    await fill('#f-sharedKey', sandbox.demo.sharedKey);
    await fill('#f-product', sandbox.demo.product);
    await fill('#f-licenseKey', sandbox.demo.licenseKey);
    await app.page(windowId, { action: 'check', selector: '#f-autoActivate' });
    await app.page(windowId, { action: 'click', selector: '#save' });
    await app.page(windowId, { action: 'waitForFunction', fn: '() => document.querySelector("#form-message")?.textContent === "Settings saved."' });
  }

  const trackedTo = (proxy: RecordingProxy) => proxy.exchanges.filter((e) => ['track_device_variables', 'activate_license'].includes(e.endpoint) && e.status === 200);

  it('a server and key saved in the window are where the next sync goes', async () => {
    await enterServer(firstProxy.apiUrl, first);
    await eventually('a sync to the first server', () => trackedTo(firstProxy).length > 0);
    await app.waitFor('the tray to say synced', (s) => trayState(firstTray(s)) === 'synced' && !firstTray(s)?.tooltip.includes('sandbox'));
    expect(await app.page<string>(windowId, { action: 'textContent', selector: '#server' })).toBe(firstProxy.apiUrl);
    expect(firstProxy.exchanges.flatMap((e) => e.violations)).toEqual([]);
  });

  it('another server saved later takes the next sync; the first one hears nothing more', async () => {
    await enterServer(secondProxy.apiUrl, second);
    // From the moment the save is done (a timer's cycle to the first server while the form
    // was being filled in is the old settings' due, and allowed).
    const savedAt = Date.now();
    await eventually('a sync to the second server', () => trackedTo(secondProxy).length > 0);
    await app.waitFor('the tray to say synced', (s) => trayState(firstTray(s)) === 'synced');
    await app.clickMenuItem('sync-now');
    await app.waitFor('the tray to say synced', (s) => trayState(firstTray(s)) === 'synced');
    expect(firstProxy.exchanges.filter((e) => e.arrivedAt >= savedAt)).toEqual([]);
    expect(secondProxy.exchanges.flatMap((e) => e.violations)).toEqual([]);
  });

  it('a secret set in the window never comes back through any bridge call, and rests only as ciphertext', async () => {
    const secret = second.demo.sharedKey;
    const calls = ['getStatus()', 'getSettings()', 'saveSettings({})', 'setPaused(true)', 'setPaused(false)', 'syncNow()', 'copyHardwareId()', 'exportDiagnostics()'];
    const replies = await Promise.all(calls.map((c) => app.page<string>(windowId, { action: 'evaluate', fn: `() => window.deviceAgent.${c}.then((r) => JSON.stringify(r))` })));
    for (const [i, reply] of replies.entries()) expect(reply, calls[i]).not.toContain(secret);
    const diagnostics = JSON.parse(replies.at(-1) as string) as { value: { path: string } };
    expect(await readFile(diagnostics.value.path, 'utf8')).not.toContain(secret);
    expect(await app.page<string>(windowId, { action: 'evaluate', fn: '() => document.documentElement.outerHTML' })).not.toContain(secret);

    const settingsFile = await readFile(join(scenario.userData, 'settings.json'), 'utf8');
    expect(settingsFile).not.toContain(secret);
    const stored = (JSON.parse(settingsFile) as { secrets: { sharedKey: string } }).secrets.sharedKey;
    const cipher = Buffer.from(stored, 'base64');
    expect(cipher.subarray(0, 3).toString()).toBe('v11'); // under the keyring's key, not Chromium's fixed one
    const keyring = await readFile(join(scenario.home, '.local', 'share', 'electron-standin-keyring', 'device-agent Safe Storage'), 'utf8');
    // The secret, bound to the server it was entered for (its origin is in the ciphertext).
    expect(JSON.parse(decrypt(deriveKey(keyring), cipher) ?? '{}')).toMatchObject({ value: secret, apiUrl: new URL(secondProxy.apiUrl).origin });
    expect(decrypt(deriveKey('another keyring'), cipher)).toBeUndefined();
    expect(statSync(join(scenario.userData, 'settings.json')).mode & 0o777).toBe(0o600);
  });

  it('a secret stays with the server it was entered for: saving another server clears it, and the window says so', async () => {
    const before = secondProxy.exchanges.length;
    await openView(app, windowId, 'settings');
    await app.page(windowId, { action: 'fill', selector: '#f-apiUrl', value: 'https://licensing.example.com/api/v4/' });
    await app.page(windowId, { action: 'evaluate', fn: '() => { document.querySelector("#form-message").textContent = ""; }' });
    await app.page(windowId, { action: 'click', selector: '#save' });
    await app.page(windowId, { action: 'waitForFunction', fn: '() => (document.querySelector("#form-message")?.textContent ?? "") !== ""' });
    expect(await app.page<string>(windowId, { action: 'textContent', selector: '#form-message' }))
      .toBe('Settings saved. The shared key was cleared because the server changed (a secret is only ever sent to the server it was entered for): enter it for the new server.');
    expect(await app.page<string>(windowId, { action: 'textContent', selector: '#sharedKey-state' })).toBe('(not set)');
    const settings = JSON.parse(await readFile(join(scenario.userData, 'settings.json'), 'utf8')) as { secrets?: Record<string, string> };
    expect(settings.secrets?.sharedKey).toBeUndefined();
    await app.waitFor('the tray to say attention (no credentials for the new server)', (s) => trayState(firstTray(s)) === 'attention');
    await app.page(windowId, { action: 'screenshot', path: join(RESULTS, 'desktop-settings-secret-cleared.png') });
    expect(secondProxy.exchanges.slice(before)).toEqual([]);
  });
});
