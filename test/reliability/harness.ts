// Shared parts of the fault matrix: a sandbox that can go down and come back on the
// same port (its data and keys live in a sqlite file), a virtual clock that fires the
// engine's timers one at a time while the HTTP exchanges stay real, a collector whose
// values the test changes, and the end-of-scenario check "the server holds exactly
// the device's latest values".
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { AgentStatus } from '../../app/agent-api.ts';
import { layerFromObject, resolveConfig } from '../../app/config/index.ts';
import type { AgentConfig } from '../../app/config/index.ts';
import { createLicenseApiClient } from '../../app/licenseapi/client.ts';
import type { LicenseApiClient, LicenseApiClientOptions } from '../../app/licenseapi/client.ts';
import { createTransport } from '../../app/licenseapi/transport.ts';
import { createLogger, silentLogger } from '../../app/log/logger.ts';
import type { Logger } from '../../app/log/logger.ts';
import { openStateStore } from '../../app/state/state-store.ts';
import { createSyncEngine } from '../../app/sync/engine.ts';
import { virtualClock, type VirtualClock } from '../support/virtual-clock.ts';
import type { EngineOptions, SyncEngine } from '../../app/sync/engine.ts';
import type { CollectorPort } from '../../app/sync/ports.ts';
import type { VariableMap } from '../../app/variables.ts';
import { startSandbox } from '../../sandbox/server.ts';
import type { Sandbox } from '../../sandbox/server.ts';

export const HOUR = 3_600_000;

export async function tempDir(label: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `da-rel-${label}-`));
}

/** A sandbox whose process can "go down" (port closed: ECONNREFUSED) and come back with the same data. */
export interface SwitchableSandbox {
  readonly current: Sandbox;
  readonly url: string;
  readonly isUp: boolean;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function switchableSandbox(): Promise<SwitchableSandbox> {
  const dbPath = join(await tempDir('sandbox-db'), 'sandbox.db');
  let sandbox = await startSandbox({ dbPath });
  const port = sandbox.port;
  let up = true;
  return {
    get current() { return sandbox; },
    get url() { return sandbox.url; },
    get isUp() { return up; },
    async down() {
      if (!up) return;
      up = false;
      await sandbox.close();
    },
    async up() {
      if (up) return;
      // The port was ours a moment ago; a retry covers the rare TIME_WAIT/bind race.
      for (let attempt = 0; ; attempt++) {
        try {
          sandbox = await startSandbox({ dbPath, port });
          break;
        } catch (error) {
          if (attempt >= 20) throw error;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      up = true;
    },
    async close() {
      if (up) await sandbox.close();
      up = false;
    },
  };
}

/** Resolves with the status the engine emits when the cycle now starting has ended. */
export function cycleEnd(engine: SyncEngine, timeoutMs = 10_000): Promise<AgentStatus> {
  return new Promise((resolve, reject) => {
    let sawSyncing = false;
    const timer = setTimeout(() => { off(); reject(new Error(`no cycle ended within ${timeoutMs} ms; status: ${engine.status().headline}`)); }, timeoutMs);
    const off = engine.onStatus((status) => {
      if (status.phase === 'syncing') sawSyncing = true;
      else if (sawSyncing) {
        clearTimeout(timer);
        off();
        resolve(status);
      }
    });
  });
}

/** Fires the engine's next timer (the scheduled cycle) and waits for that cycle to end. */
export async function runScheduledCycle(clock: VirtualClock, engine: SyncEngine): Promise<{ delayMs: number; status: AgentStatus }> {
  const ended = cycleEnd(engine);
  const { delayMs } = clock.fireNext();
  const status = await ended;
  // The engine clears its in-flight marker just after the cycle's last status event; a timer
  // fired before that would join the finished cycle. Real timers never fire that fast.
  await new Promise((resolve) => setImmediate(resolve));
  return { delayMs, status };
}

/** A collector whose values the test sets (the device's facts changing). */
export function settableCollector(initial: VariableMap): { collector: CollectorPort; set(values: VariableMap): void } {
  let values = { ...initial };
  return {
    collector: {
      async collectStatic() { return { values: {}, failures: [], durationMs: 0 }; },
      async collectDynamic() { return { values: { ...values }, failures: [], durationMs: 0 }; },
    },
    set(next) { values = { ...next }; },
  };
}

export function freshHardwareId(): string {
  return `rel-${randomUUID()}`;
}

export function debugLogger(): Logger {
  return process.env.DBG ? createLogger({ level: 'debug', console: true }) : silentLogger;
}

export interface EngineRig {
  engine: SyncEngine;
  clock: VirtualClock;
  client: LicenseApiClient;
  hardwareId: string;
  stateDir: string;
  device: ReturnType<typeof settableCollector>;
}

export interface RigOptions {
  values: VariableMap;
  client?: Partial<LicenseApiClientOptions>;
  engine?: Partial<EngineOptions>;
  /** Device clock offset from real time (ms), for both the engine and the client's Date header. */
  clockOffsetMs?: number;
  hardwareId?: string;
}

/** The real engine, real client and real state files against `sandbox`, on a virtual clock. */
export async function engineRig(sandbox: { url: string; current: Sandbox } | Sandbox, options: RigOptions): Promise<EngineRig> {
  const box = 'current' in sandbox ? sandbox.current : sandbox;
  const offset = options.clockOffsetMs ?? 0;
  const clock = virtualClock(Date.now() + offset);
  const hardwareId = options.hardwareId ?? freshHardwareId();
  const stateDir = await tempDir('state');
  const device = settableCollector(options.values);
  const client = createLicenseApiClient({
    apiUrl: sandbox.url,
    auth: { kind: 'hmac', apiKey: box.demo.apiKey, sharedKey: box.demo.sharedKey },
    publicKeyPem: box.demo.publicKeyPem,
    timeoutMs: 3_000,
    now: () => Date.now() + offset,
    transport: createTransport({ proxyForUrl: () => '' }),
    ...options.client,
  });
  const engine = createSyncEngine({
    identity: { product: box.demo.product, hardwareId, licenseKey: box.demo.licenseKey },
    intervalMs: 15 * 60_000,
    autoActivate: true,
    startImmediately: true,
    display: { apiUrl: sandbox.url, usingSandbox: true, licenseDisplay: '••••' },
    ...options.engine,
  }, { client, collector: device.collector, store: openStateStore({ stateDir }), logger: debugLogger(), clock, random: () => 0.5 });
  return { engine, clock, client, hardwareId, stateDir, device };
}

const asStored = (values: VariableMap): Record<string, string> => Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)]));

/** The values the agent wants on the server (its desired state), as the server stores them. */
export function desiredOf(status: AgentStatus): Record<string, string> {
  return asStored(Object.fromEntries(status.variables.map((v) => [v.name, v.value])));
}

/**
 * The end of every scenario: nothing pending, and the server holds exactly the
 * desired values — read both through the admin view and over the API.
 */
export async function expectServerHoldsLatest(sandbox: Sandbox, rig: { hardwareId: string; engine: SyncEngine; licenseKey?: string }, expected: VariableMap): Promise<void> {
  const status = rig.engine.status();
  expect(desiredOf(status)).toEqual(asStored(expected));
  expect(status.variables.filter((v) => v.pending).map((v) => v.name)).toEqual([]);
  expect(sandbox.admin.deviceVariables(sandbox.demo.product, rig.hardwareId)).toEqual(asStored(expected));
  const api = createLicenseApiClient({ apiUrl: sandbox.url, auth: { kind: 'hmac', apiKey: sandbox.demo.apiKey, sharedKey: sandbox.demo.sharedKey }, timeoutMs: 3_000 });
  const rows = await api.getDeviceVariables({ product: sandbox.demo.product, hardwareId: rig.hardwareId, licenseKey: rig.licenseKey ?? sandbox.demo.licenseKey });
  expect(Object.fromEntries(rows.map((r) => [r.variable, r.value]))).toEqual(asStored(expected));
}

/** Track requests the sandbox answered, as statuses (0 = dropped). */
export function trackStatuses(sandbox: Sandbox): number[] {
  return sandbox.admin.requests().filter((r) => r.endpoint === 'track_device_variables').map((r) => r.status);
}

/** A real configuration (the same validation the CLI applies) for the sandbox's demo license. */
export function sandboxConfig(sandbox: Sandbox, stateDir: string, extra: Record<string, unknown> = {}): AgentConfig {
  return resolveConfig([layerFromObject({
    apiUrl: sandbox.url,
    apiKey: sandbox.demo.apiKey,
    sharedKey: sandbox.demo.sharedKey,
    product: sandbox.demo.product,
    licenseKey: sandbox.demo.licenseKey,
    autoActivate: true,
    allow: ['agent_version'],
    stateDir,
    ...extra,
  }, 'test')]);
}

const CLI_BIN = join(import.meta.dirname, '..', '..', 'bin', 'device-agent.js');

/** The environment of a `device-agent` child process pointed at `sandbox`: nothing from the parent but PATH. */
export function sandboxEnv(sandbox: Sandbox, stateDir: string, home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { demo } = sandbox;
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home,
    DEVICE_AGENT_API_URL: sandbox.url, DEVICE_AGENT_API_KEY: demo.apiKey, DEVICE_AGENT_SHARED_KEY: demo.sharedKey,
    DEVICE_AGENT_PRODUCT: demo.product, DEVICE_AGENT_LICENSE_KEY: demo.licenseKey, DEVICE_AGENT_STATE_DIR: stateDir,
    DEVICE_AGENT_AUTO_ACTIVATE: 'true', DEVICE_AGENT_ALLOW: 'agent_version,os_*',
    ...extra,
  };
}

export interface CliRun { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }

/** Runs `node bin/device-agent.js <args>` to its end (killed after `timeoutMs`). */
export async function runAgentCli(args: string[], env: NodeJS.ProcessEnv, options: { timeoutMs?: number; uid?: number; gid?: number; node?: string } = {}): Promise<CliRun> {
  const { spawn } = await import('node:child_process');
  const started = Date.now();
  const child = spawn(options.node ?? process.execPath, [CLI_BIN, ...args], {
    env, stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid !== undefined ? { uid: options.uid } : {}), ...(options.gid !== undefined ? { gid: options.gid } : {}),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
  clearTimeout(timer);
  return { code, signal, stdout, stderr, ms: Date.now() - started };
}
