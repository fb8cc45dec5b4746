// The agent in-process for N accelerated cycles (run by bench/run.ts as a child
// with --expose-gc): the real collector, signed client, state store, logger and
// sync engine, wired as app/create-agent.ts wires them, against the sandbox
// process. One extra variable, bench_cycle, changes on every other cycle so that
// both paths run: "something to send" (a request) and "nothing to send".
// Prints one JSON line: CPU per cycle by outcome, bytes per request, heap after
// gc at cycle 100, half-way and at the end, RSS, event-loop delay (p99, max).
//
//   node --expose-gc bench/agent-soak.ts <cycles> [memory-store]   (BENCH_SANDBOX = sandbox settings JSON)
// "memory-store" keeps the state in memory instead of state.json: the
// attribution run that shows what the synchronous state write costs the loop.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { createCollector } from '../app/collect/collector.ts';
import { createLicenseApiClient } from '../app/licenseapi/client.ts';
import { createTransport } from '../app/licenseapi/transport.ts';
import { createLogger } from '../app/log/logger.ts';
import { openStateStore } from '../app/state/state-store.ts';
import type { StateStore } from '../app/state/state-store.ts';
import { emptySyncState } from '../app/state/sync-state.ts';
import { createSyncEngine } from '../app/sync/engine.ts';
import type { CollectorPort } from '../app/sync/ports.ts';
import { AGENT_VERSION } from '../app/version.ts';
import { diffCounters } from './lib/byte-counting-proxy.ts';
import type { ByteCounters } from './lib/byte-counting-proxy.ts';
import { ownCpuMs, procMemory } from './lib/proc-stats.ts';
import { median } from './lib/stats.ts';

const settings = z.object({
  apiUrl: z.string(), apiKey: z.string(), sharedKey: z.string(), product: z.string(),
  licenseKey: z.string(), publicKeyPem: z.string(), statsUrl: z.string(),
}).parse(JSON.parse(process.env.BENCH_SANDBOX ?? 'null'));
const cycles = Number(process.argv[2] ?? 1000);
if (!Number.isInteger(cycles) || cycles < 100) throw new Error('cycles must be a whole number >= 100');
const memoryStore = process.argv[3] === 'memory-store';
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const stats = async (): Promise<ByteCounters & { requests: number }> => {
  const body = await (await fetch(settings.statsUrl)).json() as ByteCounters & { requests: Record<string, number> };
  return { up: body.up, down: body.down, connections: body.connections, requests: Object.values(body.requests).reduce((a, b) => a + b, 0) };
};

const stateDir = mkdtempSync(join(tmpdir(), 'device-agent-soak-'));
const logger = createLogger({ level: 'info', file: join(stateDir, 'logs', 'agent.log'), secrets: () => [settings.sharedKey] });
const realCollector = createCollector({ pii: { hostname: false, username: false, ip: false, mac: false }, agentVersion: AGENT_VERSION });
let churn = 0;
let staticCollections = 0;
const collector: CollectorPort = {
  collectStatic: () => {
    staticCollections += 1;
    return realCollector.collectStatic();
  },
  async collectDynamic() {
    const result = await realCollector.collectDynamic();
    return { ...result, values: { ...result.values, bench_cycle: churn } };
  },
};
const client = createLicenseApiClient({
  apiUrl: settings.apiUrl,
  auth: { kind: 'hmac', apiKey: settings.apiKey, sharedKey: settings.sharedKey },
  publicKeyPem: settings.publicKeyPem,
  transport: createTransport({ proxyForUrl: () => '' }),
  userAgent: `device-agent/${AGENT_VERSION}`,
});
const engine = createSyncEngine({
  identity: { product: settings.product, hardwareId: `bench-soak-${process.pid}`, licenseKey: settings.licenseKey },
  intervalMs: 15 * 60_000,
  autoActivate: true,
  display: { apiUrl: settings.apiUrl, usingSandbox: true, licenseDisplay: '' },
}, { client, collector, store: countingWrites(memoryStore ? inMemoryStore(join(stateDir, 'memory')) : openStateStore({ stateDir })), logger });

/** Counts the saves that wrote state.json (the store keeps back volatile-only changes). */
let stateWrites = 0;
function countingWrites(store: StateStore): StateStore {
  return { ...store, path: store.path, save: (state) => { const wrote = store.save(state); if (wrote) stateWrites += 1; return wrote; } };
}

function inMemoryStore(path: string): StateStore {
  return { path, load: () => emptySyncState(), save: () => false, warnings: () => [] };
}

// The same process idle (a 1 ms timer loop) for a baseline: scheduling noise
// from the machine shows up here too, and is not the agent's doing.
const idleDelay = monitorEventLoopDelay({ resolution: 1 });
idleDelay.enable();
for (const end = Date.now() + 2000; Date.now() < end;) await sleep(1);
idleDelay.disable();

// The delay monitor watches the agent only: the bench's own work (its byte-counter
// fetches, whose first use loads undici, and forced collections) happens outside it.
// The monitor runs throughout (stopping and restarting it would count the stopped time as a
// delay); around the bench's own work the figures so far are kept as a segment, and what the
// work itself recorded is dropped once the loop has turned again.
const delay = monitorEventLoopDelay({ resolution: 1 });
const segments: Array<{ p99: number; max: number }> = [];
const closeSegment = () => {
  if (delay.count > 0) segments.push({ p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 });
};
const unwatched = async <T>(work: () => Promise<T> | T): Promise<T> => {
  closeSegment();
  const result = await work();
  await sleep(5);
  delay.reset();
  return result;
};

// First cycle: static facts (helper process) + activation carrying every variable.
let before = await stats();
let cpu0 = ownCpuMs();
let t0 = performance.now();
delay.enable();
const first = await engine.syncNow('start');
const firstWallMs = performance.now() - t0;
const firstCpuMs = ownCpuMs() - cpu0;
const firstDelayMaxMs = delay.max / 1e6; // the first cycle alone, before any segment
const firstCycle = { ok: first.ok, sent: first.sent, cpuMs: firstCpuMs, wallMs: firstWallMs, ...diffCounters(await unwatched(stats), before) };
segments.length = 0; // the steady-state figures start after the first cycle

const sendCpu: number[] = [];
const idleCpu: number[] = [];
const sendWall: number[] = [];
let failures = 0;
let heapAt100 = 0;
let heapAtHalf = 0;
let memoryAt100 = procMemory();

for (let i = 1; i <= cycles; i += 1) {
  if (i % 2 === 1) churn += 1;
  before = i === 101 ? await unwatched(stats) : before;
  cpu0 = ownCpuMs();
  t0 = performance.now();
  const result = await engine.syncNow('timer');
  const cpu = ownCpuMs() - cpu0;
  if (!result.ok) failures += 1;
  if (result.sent > 0) { sendCpu.push(cpu); sendWall.push(performance.now() - t0); } else idleCpu.push(cpu);
  if (i === Math.floor(cycles / 2)) {
    await unwatched(gc);
    heapAtHalf = process.memoryUsage().heapUsed / 1048576;
  }
  if (i === 100) {
    await unwatched(gc);
    heapAt100 = process.memoryUsage().heapUsed / 1048576;
    memoryAt100 = procMemory();
    before = await unwatched(stats);
  }
  await sleep(1); // a turn of the event loop between cycles, as timers give
}
closeSegment();
const after = await stats();
const traffic = diffCounters(after, before);
const sendBytes = { up: traffic.up, down: traffic.down, requests: after.requests - before.requests };
delay.disable();
gc();
const heapAtEnd = process.memoryUsage().heapUsed / 1048576;
const memoryAtEnd = procMemory();
await engine.stop();
rmSync(stateDir, { recursive: true, force: true });

process.stdout.write(`${JSON.stringify({
  cycles,
  failures,
  /** collectStatic calls over the whole run (the engine's rule: at start, then every 24 h). */
  staticCollections,
  /** Saves that wrote state.json, over all cycles (the first included). */
  stateWrites,
  firstCycle: { ...firstCycle, eventLoopDelayMaxMs: firstDelayMaxMs },
  sendCycles: sendCpu.length,
  sendCpuMs: median(sendCpu),
  sendWallMs: median(sendWall),
  idleCycles: idleCpu.length,
  idleCpuMs: median(idleCpu),
  /** Bytes per request over cycles 101..N (each request carried bench_cycle plus any changed metric). */
  requestBytesUp: sendBytes.up / Math.max(1, sendBytes.requests),
  requestBytesDown: sendBytes.down / Math.max(1, sendBytes.requests),
  requests: sendBytes.requests,
  connections: traffic.connections,
  heapAt100Mb: heapAt100,
  heapAtHalfMb: heapAtHalf,
  heapAtEndMb: heapAtEnd,
  rssAt100Mb: memoryAt100?.rssMb,
  rssAtEndMb: memoryAtEnd?.rssMb,
  anonAt100Mb: memoryAt100?.anonMb,
  anonAtEndMb: memoryAtEnd?.anonMb,
  /** Over the cycles after the first: the largest segment p99 (conservative) and the max. */
  eventLoopDelayP99Ms: Math.max(0, ...segments.map((g) => g.p99)),
  eventLoopDelayMaxMs: Math.max(0, ...segments.map((g) => g.max)),
  idleEventLoopDelayP99Ms: idleDelay.percentile(99) / 1e6,
  idleEventLoopDelayMaxMs: idleDelay.max / 1e6,
})}\n`);
