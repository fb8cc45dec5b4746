// The sync engine against real parts: the sandbox over HTTP on 127.0.0.1, the real
// signed client, the real collector (restricted to agent_version + custom variables so
// values are deterministic), and real state files in a temp directory.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startSandbox } from '../../sandbox/server.ts';
import type { Sandbox } from '../../sandbox/server.ts';
import { createLicenseApiClient } from '../../app/licenseapi/client.ts';
import { createCollector } from '../../app/collect/collector.ts';
import { createLogger, silentLogger } from '../../app/log/logger.ts';
import { acquireStateLock } from '../../app/state/lock.ts';
import { openStateStore } from '../../app/state/state-store.ts';
import { createSyncEngine } from '../../app/sync/engine.ts';
import type { EngineOptions, SyncEngine } from '../../app/sync/engine.ts';
import type { AgentStatus } from '../../app/agent-api.ts';
import type { VariableMap } from '../../app/variables.ts';

let sandbox: Sandbox;
const engines: SyncEngine[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => {
  sandbox.faults.clear();
  sandbox.admin.resetRequestLog();
});

function collectorWith(custom: VariableMap) {
  return createCollector({ pii: { hostname: false, username: false, ip: false, mac: false }, allow: ['agent_version'], custom, agentVersion: '9.9.9-test' });
}

function clientFor() {
  return createLicenseApiClient({
    apiUrl: sandbox.url,
    auth: { kind: 'hmac', apiKey: sandbox.demo.apiKey, sharedKey: sandbox.demo.sharedKey },
    publicKeyPem: sandbox.demo.publicKeyPem,
    timeoutMs: 5_000,
  });
}

function engineOptions(over: Partial<EngineOptions> & { licenseKey?: string; hardwareId: string }): EngineOptions {
  const { licenseKey, hardwareId, ...rest } = over;
  return {
    identity: { product: sandbox.demo.product, hardwareId, licenseKey: licenseKey ?? sandbox.demo.licenseKey },
    intervalMs: 60_000,
    autoActivate: true,
    debounceMs: 10,
    backoff: { capMs: 100, floorMs: 5 },
    display: { apiUrl: sandbox.url, usingSandbox: true, licenseDisplay: 'demo' },
    ...rest,
  };
}

async function makeEngine(opts: EngineOptions, custom: VariableMap, stateDir?: string) {
  const dir = stateDir ?? await mkdtemp(join(tmpdir(), 'da-sync-it-'));
  const engine = createSyncEngine(opts, { client: clientFor(), collector: collectorWith(custom), store: openStateStore({ stateDir: dir }), logger: process.env.DBG ? createLogger({ level: "debug", console: true }) : silentLogger });
  engines.push(engine);
  return { engine, dir };
}

afterAll(async () => {
  await Promise.all(engines.map((e) => e.stop()));
});

const stringified = (values: VariableMap) => Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)]));
const calls = (endpoint: string) => sandbox.admin.requests().filter((r) => r.endpoint === endpoint);

function waitForStatus(engine: SyncEngine, predicate: (s: AgentStatus) => boolean, timeoutMs = 5_000): Promise<AgentStatus> {
  return new Promise((resolve, reject) => {
    if (predicate(engine.status())) { resolve(engine.status()); return; }
    const timer = setTimeout(() => { off(); reject(new Error(`timed out; last status: ${engine.status().headline}`)); }, timeoutMs);
    const off = engine.onStatus((s) => {
      if (predicate(s)) { clearTimeout(timer); off(); resolve(s); }
    });
  });
}

describe('sync engine against the sandbox', () => {
  it('auto-activates a fresh device with its values (the server stores them), then sends only changes, then nothing', async () => {
    const hardwareId = `hw-${randomUUID()}`;
    const opts = engineOptions({ hardwareId });
    const { engine } = await makeEngine(opts, { site: 'lab', seats: 4, managed: true });

    const first = await engine.syncNow();
    expect(first).toEqual({ ok: true, sent: 4 });
    // The license check at start finds the device not activated: activation, no track.
    expect(calls('check_license').map((r) => [r.status, r.code])).toEqual([[400, 'device_not_found']]);
    expect(calls('track_device_variables')).toEqual([]);
    expect(calls('activate_license').map((r) => r.status)).toEqual([200]);
    expect(engine.status().license).toMatchObject({ type: 'perpetual', maxActivations: 100, expired: false });
    const desired = { agent_version: '9.9.9-test', site: 'lab', seats: 4, managed: true };
    expect(sandbox.admin.deviceVariables(sandbox.demo.product, hardwareId)).toEqual(stringified(desired));

    // Activation stored the values, so nothing is pending: no request at all.
    sandbox.admin.resetRequestLog();
    expect(await engine.syncNow()).toEqual({ ok: true, sent: 0 });
    expect(sandbox.admin.requests()).toEqual([]);

    // A configuration change (here bringing a new collector, one value changed) re-sends
    // every value once, so that changed credentials or a changed server prove themselves.
    // Cycles without a configuration change send only what changed (see the restart test).
    engine.updateOptions(opts, { collector: collectorWith({ site: 'lab', seats: 5, managed: true }) });
    expect(await engine.syncNow()).toEqual({ ok: true, sent: 4 });
    expect(calls('check_license').map((r) => r.status)).toEqual([200]);
    expect(calls('track_device_variables').map((r) => r.status)).toEqual([200]);
    expect(sandbox.admin.deviceVariables(sandbox.demo.product, hardwareId)).toEqual(stringified({ ...desired, seats: 5 }));
    const status = engine.status();
    expect(status.phase).toBe('synced');
    expect(status.variables.find((v) => v.name === 'seats')).toEqual({ name: 'seats', value: 5, acknowledged: 5, pending: false });
    expect(status.history.map((h) => [h.outcome, h.sent])).toEqual([['ok', 4], ['nothing-to-send', 0], ['ok', 4]]);
  });

  it('without autoActivate: says the device is not activated and parks; turning it on resumes', async () => {
    const hardwareId = `hw-${randomUUID()}`;
    const opts = engineOptions({ hardwareId, autoActivate: false, startImmediately: true });
    const { engine } = await makeEngine(opts, { site: 'office' });
    await engine.start();
    const parked = await waitForStatus(engine, (s) => s.error !== undefined);
    expect(parked.phase).toBe('attention');
    expect(parked.headline).toBe('Needs attention: This device is not activated for this license');
    expect(parked.error?.code).toBe('device_not_found');
    expect(parked.nextSyncAt! - Date.now()).toBeGreaterThan(5 * 60 * 60_000); // long probe, no fast retry
    expect(calls('activate_license')).toEqual([]);

    engine.updateOptions({ ...opts, autoActivate: true });
    const synced = await waitForStatus(engine, (s) => s.phase === 'synced');
    expect(synced.error).toBeUndefined();
    expect(sandbox.admin.deviceVariables(sandbox.demo.product, hardwareId)).toEqual({ agent_version: '9.9.9-test', site: 'office' });
    await engine.stop();
  });

  it('backs off through a 503 burst and then succeeds', async () => {
    const hardwareId = `hw-${randomUUID()}`;
    const { engine } = await makeEngine(engineOptions({ hardwareId, startImmediately: true }), { site: 'dc' });
    await engine.syncNow(); // activates
    engine.updateOptions(engineOptions({ hardwareId, startImmediately: true }), { collector: collectorWith({ site: 'dc-2' }) });
    sandbox.admin.resetRequestLog();
    sandbox.faults.inject({ kind: 'status', status: 503, times: 3, paths: ['track_device_variables'] });
    const seen: string[] = [];
    engine.onStatus((s) => { if (s.phase === 'pending') seen.push(s.headline); });
    await engine.start();
    await waitForStatus(engine, (s) => s.phase === 'synced' && s.lastSuccessAt !== undefined && calls('track_device_variables').some((r) => r.status === 200));
    expect(calls('track_device_variables').map((r) => r.status)).toEqual([503, 503, 503, 200]);
    expect(seen.some((h) => h.startsWith('Server unavailable — will retry in'))).toBe(true);
    expect(sandbox.admin.deviceVariables(sandbox.demo.product, hardwareId).site).toBe('dc-2');
    await engine.stop();
  });

  it('parks when the license is disabled and resumes after it is re-enabled and a trigger arrives', async () => {
    const hardwareId = `hw-${randomUUID()}`;
    const licenseKey = `IT-${randomUUID().slice(0, 8)}`.toUpperCase();
    sandbox.admin.addLicense({ product: sandbox.demo.product, licenseKey, maxActivations: 3 });
    const opts = engineOptions({ hardwareId, licenseKey });
    const { engine } = await makeEngine(opts, { site: 'a' });
    expect((await engine.syncNow()).ok).toBe(true);

    sandbox.admin.setLicenseState(licenseKey, { enabled: false });
    engine.updateOptions(opts, { collector: collectorWith({ site: 'b' }) });
    await new Promise((r) => setTimeout(r, 50)); // let the change's debounced trigger lapse (the engine is not started yet)
    const failed = await engine.syncNow();
    expect(failed.error?.code).toBe('license_not_enabled');
    expect(engine.status().phase).toBe('attention');
    expect(engine.status().error?.remedy).toMatch(/administrator/);
    expect(engine.status().variables.find((v) => v.name === 'site')).toMatchObject({ value: 'b', acknowledged: 'a', pending: true });

    sandbox.admin.setLicenseState(licenseKey, { enabled: true });
    await engine.start();
    engine.trigger('network-back'); // cannot fix a license: ignored while parked
    await new Promise((r) => setTimeout(r, 100));
    expect(engine.status().phase).toBe('attention');
    engine.trigger('config-change');
    await waitForStatus(engine, (s) => s.phase === 'synced');
    expect(sandbox.admin.deviceVariables(sandbox.demo.product, hardwareId)).toEqual({ agent_version: '9.9.9-test', site: 'b' });
    await engine.stop();
  });

  it('continues from the persisted state after a restart: no full re-send, only what changed', async () => {
    const hardwareId = `hw-${randomUUID()}`;
    const opts = engineOptions({ hardwareId });
    const dir = await mkdtemp(join(tmpdir(), 'da-sync-restart-'));
    const lock1 = acquireStateLock(dir);
    const first = await makeEngine(opts, { site: 'x', seats: 1 }, dir);
    expect((await first.engine.syncNow()).ok).toBe(true);
    await first.engine.stop();
    lock1.release();

    const lock2 = acquireStateLock(dir);
    sandbox.admin.resetRequestLog();
    const second = await makeEngine(opts, { site: 'x', seats: 1 }, dir);
    expect(second.engine.status().lastSuccessAt).toBeDefined();
    expect(await second.engine.syncNow()).toEqual({ ok: true, sent: 0 });
    // Only the license check a start makes; nothing re-sent.
    expect(sandbox.admin.requests().map((r) => r.endpoint)).toEqual(['check_license']);
    await second.engine.stop();
    lock2.release();

    const third = await makeEngine(opts, { site: 'y', seats: 1 }, dir);
    expect(await third.engine.syncNow()).toEqual({ ok: true, sent: 1 });
    expect(sandbox.admin.deviceVariables(sandbox.demo.product, hardwareId)).toEqual({ agent_version: '9.9.9-test', site: 'y', seats: '1' });
    await third.engine.stop();
  });
});
