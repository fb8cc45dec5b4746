// The first cycle after a start, on the real engine: real client and state files
// against the sandbox over loopback, a virtual clock (harness.ts) for the timers.
// Each "start" is a new engine on the same state directory, as a restart is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentStatus } from '../../app/agent-api.ts';
import { createLicenseApiClient } from '../../app/licenseapi/client.ts';
import { createTransport } from '../../app/licenseapi/transport.ts';
import { silentLogger } from '../../app/log/logger.ts';
import { openStateStore } from '../../app/state/state-store.ts';
import { createSyncEngine, type EngineOptions, type SyncEngine } from '../../app/sync/engine.ts';
import type { CollectorPort } from '../../app/sync/ports.ts';
import type { VariableMap } from '../../app/variables.ts';
import { startSandbox, type Sandbox } from '../../sandbox/server.ts';
import { freshHardwareId, runScheduledCycle, tempDir } from '../reliability/harness.ts';
import { virtualClock, type VirtualClock } from '../support/virtual-clock.ts';

const MIN = 60_000;
const INTERVAL = 15 * MIN;

let sandbox: Sandbox;
beforeAll(async () => { sandbox = await startSandbox({ port: 0, rsaBits: 1024 }); });
afterAll(async () => { await sandbox?.close(); });

interface Machine {
  staticFacts: VariableMap;
  metrics: VariableMap;
  staticCalls: number;
  /** While set, collectStatic waits for it (a slow start-up collection). */
  gate: Promise<void> | undefined;
  collector: CollectorPort;
}

/** A machine: static facts and metrics the test changes between starts; counts static collections. */
function machine(staticFacts: VariableMap, metrics: VariableMap): Machine {
  const m: Machine = {
    staticFacts: { ...staticFacts },
    metrics: { ...metrics },
    staticCalls: 0,
    gate: undefined,
    collector: {
      async collectStatic() { m.staticCalls++; if (m.gate) await m.gate; return { values: { ...m.staticFacts }, failures: [], durationMs: 0 }; },
      async collectDynamic() { return { values: { ...m.metrics }, failures: [], durationMs: 0 }; },
    },
  };
  return m;
}

interface Device {
  stateDir: string;
  hardwareId: string;
  box: Machine;
  clock: VirtualClock;
  /** A new engine on this device's state directory (not started). */
  create(over?: Partial<EngineOptions>): SyncEngine;
  /** A start: a new engine, started. */
  start(over?: Partial<EngineOptions>): Promise<{ engine: SyncEngine; before: AgentStatus; after: AgentStatus; delayMs: number | undefined }>;
}

async function device(licenseKey = sandbox.demo.licenseKey): Promise<Device> {
  const stateDir = await tempDir('first-cycle');
  const hardwareId = freshHardwareId();
  const box = machine({ os_platform: 'linux', os_release: '12', kernel: '6.1.0-30', boot_time: '2025-06-15T06:00:00Z' }, { cpu_load_pct: 5 });
  const clock = virtualClock(Date.now());
  const client = createLicenseApiClient({
    apiUrl: sandbox.url, auth: { kind: 'hmac', apiKey: sandbox.demo.apiKey, sharedKey: sandbox.demo.sharedKey },
    publicKeyPem: sandbox.demo.publicKeyPem, timeoutMs: 3_000, transport: createTransport({ proxyForUrl: () => '' }),
  });
  const create = (over: Partial<EngineOptions> = {}) => createSyncEngine({
    identity: { product: sandbox.demo.product, hardwareId, licenseKey },
    intervalMs: INTERVAL, autoActivate: true,
    display: { apiUrl: sandbox.url, usingSandbox: true, licenseDisplay: '••••' },
    ...over,
  }, { client, collector: box.collector, store: openStateStore({ stateDir }), logger: silentLogger, clock, random: () => 0.5 });
  return {
    stateDir, hardwareId, box, clock, create,
    async start(over = {}) {
      const engine = create(over);
      const before = engine.status();
      await engine.start();
      const after = engine.status();
      return { engine, before, after, delayMs: after.nextSyncAt === undefined ? undefined : after.nextSyncAt - clock.now() };
    },
  };
}

/** A device whose first start synced and stopped: in sync in its state.json. */
async function syncedDevice(licenseKey?: string): Promise<Device> {
  const d = await device(licenseKey);
  const first = await d.start();
  await runScheduledCycle(d.clock, first.engine);
  await first.engine.stop();
  return d;
}

/** Track requests the sandbox has seen (the tests of this file run one after another). */
const tracked = () => sandbox.admin.requests().filter((r) => r.endpoint === 'track_device_variables');

describe('the first cycle after a start, on the real engine', () => {
  it('a first start syncs within seconds; a restart in sync shows "Synced" at once and waits the regular splay', async () => {
    const d = await device();
    const first = await d.start();
    expect(first.before).toMatchObject({ phase: 'starting', headline: 'Starting…' });
    expect(first.after.firstSync?.reason).toBe('first-start');
    expect(first.delayMs).toBe(2_500); // 0.5 × 5 s
    expect(d.box.staticCalls).toBe(0); // nothing persisted: no need to collect before deciding
    const { status } = await runScheduledCycle(d.clock, first.engine);
    expect(status.phase).toBe('synced');
    expect(status.firstSync).toBeUndefined();
    await first.engine.stop();

    d.clock.skip(3 * 60 * MIN); // off for 3 h
    const again = await d.start();
    expect(again.before).toMatchObject({ phase: 'synced', headline: 'Synced 3 h ago' });
    expect(again.after).toMatchObject({ phase: 'synced', headline: 'Synced 3 h ago — next sync in 8 min', firstSync: { reason: 'drift' } });
    expect(again.delayMs).toBe(7.5 * MIN); // 0.5 × the interval
    expect(d.box.staticCalls).toBe(2); // collected at start to tell drift from news; the first cycle uses them
    d.box.metrics.cpu_load_pct = 10;
    await runScheduledCycle(d.clock, again.engine);
    expect(d.box.staticCalls).toBe(2);
    expect(again.engine.status()).toMatchObject({ phase: 'synced', headline: 'Synced just now' });
    await again.engine.stop();
  });

  it('a static fact changed while off: the status says a value waits, and it is sent within the short splay', async () => {
    const d = await syncedDevice();
    d.clock.skip(14 * 60 * MIN);
    d.box.staticFacts = { ...d.box.staticFacts, os_release: '13', kernel: '6.12.0-1', boot_time: '2025-06-16T07:00:00Z' }; // an OS update and its reboot
    const before = tracked().length;

    const again = await d.start();
    expect(again.before.phase).toBe('synced');
    expect(again.after.firstSync).toEqual({ reason: 'static-changed', explanation: 'A fact about this computer changed while the agent was off (kernel and os_release): the first sync comes within 2 min.' });
    expect(again.delayMs).toBe(MIN); // 0.5 × 2 min
    // The reboot alone (boot_time) is not shown as news; the OS update is.
    expect(again.after).toMatchObject({ phase: 'pending', headline: '2 values waiting — last synced 14 h ago; next sync in 1 min' });
    await runScheduledCycle(d.clock, again.engine);
    expect(tracked().length).toBe(before + 1);
    expect(sandbox.admin.deviceVariables(sandbox.demo.product, d.hardwareId)).toMatchObject({ os_release: '13', kernel: '6.12.0-1', boot_time: '2025-06-16T07:00:00Z' });
    await again.engine.stop();
  });

  it('stopped before that sync: the changed fact waits in state.json, and the next start sends it within the short splay', async () => {
    const d = await syncedDevice();
    d.box.staticFacts = { ...d.box.staticFacts, kernel: '6.12.0-3' };
    const changed = await d.start();
    expect(changed.after.firstSync?.reason).toBe('static-changed');
    await changed.engine.stop(); // before its first cycle
    const state = openStateStore({ stateDir: d.stateDir }).load();
    expect([state.desired.kernel, state.acknowledged.kernel]).toEqual(['6.12.0-3', '6.1.0-30']);
    const again = await d.start();
    expect(again).toMatchObject({ delayMs: MIN, after: { phase: 'pending', firstSync: { reason: 'pending' } } });
    await runScheduledCycle(d.clock, again.engine);
    expect(sandbox.admin.deviceVariables(sandbox.demo.product, d.hardwareId).kernel).toBe('6.12.0-3');
    await again.engine.stop();
  });

  it('the short splay is injectable (shortSplayMs)', async () => {
    const d = await syncedDevice();
    d.box.staticFacts = { ...d.box.staticFacts, kernel: '6.12.0-2' };
    const again = await d.start({ shortSplayMs: 3_000 });
    expect(again).toMatchObject({ delayMs: 1_500, after: { firstSync: { reason: 'static-changed' } } });
    await again.engine.stop();
  });

  it('only a reboot (boot_time): the regular splay, and the status stays "Synced"', async () => {
    const d = await syncedDevice();
    d.box.staticFacts = { ...d.box.staticFacts, boot_time: '2025-06-16T07:00:00Z' };
    const again = await d.start();
    expect(again).toMatchObject({ delayMs: 7.5 * MIN, after: { phase: 'synced', firstSync: { reason: 'drift' } } });
    await again.engine.stop();
  });

  it('values left unsent (the server was unavailable at the last try): the short splay', async () => {
    const d = await device();
    const first = await d.start();
    await runScheduledCycle(d.clock, first.engine);
    d.box.metrics.cpu_load_pct = 70;
    sandbox.faults.inject({ kind: 'status', status: 503, times: 1, paths: ['track_device_variables'] });
    await first.engine.syncNow();
    expect(first.engine.status().variables.find((v) => v.name === 'cpu_load_pct')?.pending).toBe(true);
    await first.engine.stop();
    d.clock.skip(60 * MIN);

    const again = await d.start();
    expect(again.before).toMatchObject({ phase: 'pending', headline: expect.stringMatching(/^Server unavailable at the last try \(1 h ago\)$/) });
    expect(again.after.firstSync?.reason).toBe('pending');
    expect(again.after.headline).toBe('Server unavailable at the last try (1 h ago) — will retry in 1 min');
    expect(again.delayMs).toBe(MIN);
    expect(d.box.staticCalls).toBe(1); // pending decides: no collection before the first cycle
    const { status } = await runScheduledCycle(d.clock, again.engine);
    expect(status.phase).toBe('synced');
    await again.engine.stop();
  });

  it('a configuration change while off (another license): within seconds', async () => {
    const d = await syncedDevice();
    const again = await d.start({ credentialTag: 'rotated-credentials' });
    expect(again).toMatchObject({ delayMs: 2_500, after: { firstSync: { reason: 'configuration' } } });
    await again.engine.stop();
  });

  it('parked on a license problem: no hurry (the regular splay), "Needs attention" shown at once', async () => {
    const { licenseKey } = sandbox.admin.addLicense({ product: sandbox.demo.product });
    const d = await syncedDevice(licenseKey);
    sandbox.admin.setLicenseState(licenseKey!, { enabled: false });
    const parked = await d.start();
    await runScheduledCycle(d.clock, parked.engine);
    expect(parked.engine.status().phase).toBe('attention');
    await parked.engine.stop();
    const again = await d.start();
    expect(again.before.phase).toBe('attention');
    expect(again.before.headline).toMatch(/^Needs attention: The license is disabled/);
    expect(again).toMatchObject({ delayMs: 7.5 * MIN, after: { phase: 'attention', firstSync: { reason: 'attention' } } });
    await again.engine.stop();
  });

  it('Sync now while the start is still collecting: the cycle wins, the start leaves the schedule to it', async () => {
    const d = await syncedDevice();

    let release!: () => void;
    d.box.gate = new Promise<void>((resolve) => { release = resolve; });
    const engine = d.create();
    const starting = engine.start();
    const synced = engine.syncNow();
    release();
    d.box.gate = undefined;
    expect((await synced).ok).toBe(true);
    await starting;
    // One timer: the cycle's next regular run (interval ± jitter at 0.5 = 15 min), not the start's splay.
    expect(d.clock.pending()).toBe(1);
    expect(engine.status().nextSyncAt! - d.clock.now()).toBe(INTERVAL);
    expect(engine.status().firstSync).toBeUndefined();
    await engine.stop();
    expect(d.clock.pending()).toBe(0);
  });
});
