// The built desktop app with an administrator's managed configuration pointing
// at a License API on loopback (a sandbox behind a proxy that records and checks
// every request on its own): the first start opens the window with the managed
// fields locked and syncs there, signed and schema-valid; SIGTERM while a
// request is in flight finishes it and the state write, then exits 0; a later
// start at login opens no window.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserServer } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/server.ts';
import type { StandinApp } from '../electron-standin/driver.ts';
import { browserServer, createScenario, eventually, firstTray, haveChromium, openView, sharedAppBuild, trayState, type Scenario } from './fixture.ts';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy.ts';

describe.skipIf(!haveChromium)('desktop app with a managed configuration', () => {
  let browser: BrowserServer;
  let sandbox: Sandbox;
  let proxy: RecordingProxy;
  let scenario: Scenario;
  let app: StandinApp;
  let windowId = 0;
  /** A second machine whose server stops answering; runs alongside the tests above (it waits out the 5 s bound). */
  let boundedQuit: Promise<{ took: number; acknowledged: string[] }>;

  async function quitAgainstSilentServer(build: string): Promise<{ took: number; acknowledged: string[] }> {
    const silent = await startSandbox({ port: 0, rsaBits: 1024 });
    const silentProxy = await startRecordingProxy(silent.url, silent.demo.sharedKey);
    const s = await createScenario(build, browser);
    try {
      await s.writeManaged({ apiUrl: silentProxy.apiUrl, apiKey: silent.demo.apiKey, sharedKey: silent.demo.sharedKey, product: silent.demo.product, licenseKey: silent.demo.licenseKey, autoActivate: true });
      const a = s.launch();
      await a.waitFor('the tray to say synced', (snap) => trayState(firstTray(snap)) === 'synced');
      silent.faults.inject({ kind: 'latency', ms: 60_000, paths: ['track_device_variables'] });
      const win = (await a.window()).id;
      await openView(a, win, 'settings');
      await a.page(win, { action: 'check', selector: 'input[name="pii.mac"]' });
      await a.page(win, { action: 'click', selector: '#save' });
      await eventually('the MAC address on its way', () => silentProxy.exchanges.find((e) => e.status === 0 && e.endpoint === 'track_device_variables'
        && Object.keys((e.body as { variables?: object }).variables ?? {}).some((n) => n.startsWith('mac'))));
      const quitAt = Date.now();
      await a.clickMenuItem('quit');
      const exit = await a.exited;
      const took = Date.now() - quitAt;
      if (exit.code !== 0) throw new Error(`exit ${JSON.stringify(exit)}`);
      const state = JSON.parse(await readFile(join(s.stateDir, 'state.json'), 'utf8')) as { acknowledged: Record<string, unknown> };
      return { took, acknowledged: Object.keys(state.acknowledged) };
    } finally {
      await s.close();
      await silentProxy.close();
      await silent.close();
    }
  }

  beforeAll(async () => {
    const build = await sharedAppBuild();
    [browser, sandbox] = await Promise.all([browserServer(), startSandbox({ port: 0, rsaBits: 1024 })]);
    proxy = await startRecordingProxy(sandbox.url, sandbox.demo.sharedKey);
    scenario = await createScenario(build, browser);
    await scenario.writeManaged({
      apiUrl: proxy.apiUrl, apiKey: sandbox.demo.apiKey, sharedKey: sandbox.demo.sharedKey,
      product: sandbox.demo.product, licenseKey: sandbox.demo.licenseKey, autoActivate: true,
    });
    app = scenario.launch();
    boundedQuit = quitAgainstSilentServer(build);
    boundedQuit.catch(() => undefined); // reported by its test
  }, 60_000);

  afterAll(async () => {
    await scenario?.close();
    await proxy?.close();
    await Promise.all([browser?.close(), sandbox?.close()]);
  });

  const bridgeJson = (call: string) => app.page<string>(windowId, { action: 'evaluate', fn: `() => window.deviceAgent.${call}.then((r) => JSON.stringify(r))` });

  it('opens the window on the first start, with the managed fields locked', async () => {
    windowId = (await app.window()).id;
    await app.page(windowId, { action: 'waitForSelector', selector: 'html[data-ready="true"]', state: 'attached' });
    for (const field of ['#f-apiUrl', '#f-apiKey', '#f-sharedKey', '#f-product', '#f-licenseKey', '#f-autoActivate']) {
      expect(await app.page(windowId, { action: 'evaluate', fn: `(s) => document.querySelector(s).disabled`, arg: field }), field).toBe(true);
    }
    expect(await app.page(windowId, { action: 'textContent', selector: '#managed-note' })).toContain('administrator');
    const refused = JSON.parse(await bridgeJson(`saveSettings({ apiUrl: 'https://elsewhere.example.com/api/v4/' })`)) as { ok: boolean; error: { field: string } };
    expect(refused).toMatchObject({ ok: false, error: { field: 'apiUrl' } });
  });

  it('syncs at least 15 variables to the managed server, every request signed and valid against the seed schema', async () => {
    await app.waitFor('the tray to say synced', (s) => trayState(firstTray(s)) === 'synced');
    // A new device: the first license check says it is not activated, and the agent activates it with every value.
    expect(proxy.exchanges.map((e) => `${e.endpoint} ${e.status}`)).toEqual(['check_license 400', 'activate_license 200']);
    expect(proxy.exchanges.flatMap((e) => e.violations)).toEqual([]);
    const hardwareId = (await app.page<string>(windowId, { action: 'textContent', selector: '#hardware-id' })).trim();
    const held = sandbox.admin.deviceVariables(sandbox.demo.product, hardwareId);
    expect(Object.keys(held).length).toBeGreaterThanOrEqual(15);
    expect(firstTray(await app.snapshot())?.tooltip).not.toContain('sandbox');
  });

  it("never hands the managed shared key to the window, through any bridge call", async () => {
    const replies = await Promise.all(['getStatus()', 'getSettings()', 'saveSettings({})', 'syncNow()', 'copyHardwareId()'].map(bridgeJson));
    for (const reply of replies) expect(reply).not.toContain(sandbox.demo.sharedKey);
    expect(JSON.parse(replies[1] as string)).toMatchObject({ ok: true, value: { hasSharedKey: true } });
    const exported = JSON.parse(await bridgeJson('exportDiagnostics()')) as { ok: boolean; value: { path: string } };
    expect(exported.ok).toBe(true);
    expect(await readFile(exported.value.path, 'utf8')).not.toContain(sandbox.demo.sharedKey);
    expect(exported.value.path.startsWith(join(scenario.home, 'Downloads'))).toBe(true);
  });

  it('SIGTERM while a request is in flight: the request is abandoned, the state write finishes, exit 0 at once', async () => {
    // Opt in to the host name (not managed): saving restarts the engine, which sends it at once — slowly.
    sandbox.faults.inject({ kind: 'latency', ms: 800, paths: ['track_device_variables'] });
    await openView(app, windowId, 'settings');
    await app.page(windowId, { action: 'check', selector: 'input[name="pii.hostname"]' });
    await app.page(windowId, { action: 'click', selector: '#save' });
    const hostnameSend = await eventually('the host name on its way', () => proxy.exchanges.find((e) => e.status === 0 && e.endpoint === 'track_device_variables'
      && Object.hasOwn((e.body as { variables?: object }).variables ?? {}, 'hostname')));
    const signalledAt = Date.now();
    app.signal('SIGTERM');
    expect(await app.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalledAt).toBeLessThan(2_000); // the engine's stop aborts the request (as the CLI's does)
    sandbox.faults.clear();
    // No answer came: nothing was confirmed, so the host name stays pending in the state written at exit.
    expect(hostnameSend.status).toBe(0);
    expect(hostnameSend.violations).toEqual([]);
    const state = JSON.parse(await readFile(join(scenario.stateDir, 'state.json'), 'utf8')) as { acknowledged: Record<string, unknown>; desired: Record<string, unknown> };
    expect(state.desired.hostname).toBe((hostnameSend.body as { variables: Record<string, unknown> }).variables.hostname);
    expect(state.acknowledged.hostname).toBeUndefined();
  });

  it('a later start at login (--hidden) opens no window and keeps syncing from the tray', async () => {
    app = scenario.launch({ args: ['--hidden'] });
    // The tray's first render says "Starting"; the next one comes after the decision about the window.
    await app.waitFor('the tray to show the engine', (s) => (firstTray(s)?.tooltip ?? 'Device Agent — Starting') !== 'Device Agent — Starting');
    expect((await app.snapshot()).windows).toEqual([]);
    await app.clickMenuItem('sync-now');
    await app.waitFor('the tray to say synced', (s) => trayState(firstTray(s)) === 'synced');
    expect((await app.snapshot()).windows).toEqual([]);
  });

  it("Quit from the tray with a request in flight abandons it, finishes the state write, then exits 0", async () => {
    await app.clickMenuItem('open-status');
    windowId = (await app.window()).id;
    await app.page(windowId, { action: 'waitForSelector', selector: 'html[data-ready="true"]', state: 'attached' });
    sandbox.faults.inject({ kind: 'latency', ms: 800, paths: ['track_device_variables'] });
    await openView(app, windowId, 'settings');
    await app.page(windowId, { action: 'check', selector: 'input[name="pii.ip"]' });
    await app.page(windowId, { action: 'click', selector: '#save' });
    const ipSend = await eventually('the IP address on its way', () => proxy.exchanges.find((e) => e.status === 0 && e.endpoint === 'track_device_variables'
      && Object.keys((e.body as { variables?: object }).variables ?? {}).some((n) => n.startsWith('ip'))));
    await app.clickMenuItem('quit');
    expect(await app.exited).toEqual({ code: 0, signal: null });
    sandbox.faults.clear();
    expect(ipSend.status).toBe(0); // abandoned: no answer
    const sent = (ipSend.body as { variables: Record<string, unknown> }).variables;
    const state = JSON.parse(await readFile(join(scenario.stateDir, 'state.json'), 'utf8')) as { acknowledged: Record<string, unknown>; desired: Record<string, unknown> };
    const ipNames = Object.keys(sent).filter((n) => n.startsWith('ip'));
    expect(ipNames.length).toBeGreaterThan(0);
    for (const name of ipNames) {
      expect(state.desired[name], name).toEqual(sent[name]); // the state write finished…
      expect(state.acknowledged[name], name).toBeUndefined(); // …and keeps them pending for the next start
    }
  });

  it('Quit never hangs: a server that does not answer does not hold it, and what was not acknowledged stays pending', async () => {
    const { took, acknowledged } = await boundedQuit;
    expect(took).toBeLessThan(2_000); // the request is aborted; the 5 s bound on the engine's stop stays as a backstop
    expect(acknowledged.filter((n) => n.startsWith('mac'))).toEqual([]);
  }, 30_000);
});
