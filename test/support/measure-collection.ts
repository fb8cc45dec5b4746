// Measures the collector on this machine: one static collection, then N dynamic
// cycles — wall time, this process's CPU (process.cpuUsage: all threads),
// processes spawned by the main thread (spawn-counter.ts) and the worst
// event-loop delay while collecting. The static set's systeminformation calls
// run in one short-lived node process (counted), whose own children
// (the commands systeminformation runs) the counter does not see.
//
//   node tools/with-node24.js node test/support/measure-collection.ts [cycles]
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createCollector } from '../../app/collect/collector.ts';
import type { CollectionResult } from '../../app/collect/collector.ts';
import { startSpawnCounter } from './spawn-counter.ts';

export interface CycleCost {
  wallMs: number;
  cpuMs: number;
  spawned: number;
}

export interface CollectionCost {
  static: CycleCost & { variables: number; failures: number; maxEventLoopDelayMs: number };
  dynamic: { cycles: number; medianWallMs: number; medianCpuMs: number; maxWallMs: number; spawned: number; variables: number; failures: number; maxEventLoopDelayMs: number };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function measure(work: () => Promise<CollectionResult>, spawnCount: () => number): Promise<CycleCost & { result: CollectionResult }> {
  const spawnedBefore = spawnCount();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = await work();
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, spawned: spawnCount() - spawnedBefore, result };
}

export async function measureCollection(cycles = 50): Promise<CollectionCost> {
  const spawns = startSpawnCounter();
  try {
    const collector = createCollector({ pii: { hostname: false, username: false, ip: false, mac: false }, agentVersion: '0.0.0-measure' });
    const staticDelay = monitorEventLoopDelay({ resolution: 1 });
    staticDelay.enable();
    const stat = await measure(() => collector.collectStatic(), spawns.count);
    staticDelay.disable();
    // Warm-up: the first dynamic cycle loads code paths and primes the CPU sample.
    await collector.collectDynamic();
    const walls: number[] = [];
    const cpus: number[] = [];
    let spawned = 0;
    let last: CollectionResult | undefined;
    let failures = 0;
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    for (let i = 0; i < cycles; i += 1) {
      const cycle = await measure(() => collector.collectDynamic(), spawns.count);
      walls.push(cycle.wallMs);
      cpus.push(cycle.cpuMs);
      spawned += cycle.spawned;
      failures += cycle.result.failures.length;
      last = cycle.result;
    }
    delay.disable();
    return {
      static: { wallMs: stat.wallMs, cpuMs: stat.cpuMs, spawned: stat.spawned, variables: Object.keys(stat.result.values).length, failures: stat.result.failures.length, maxEventLoopDelayMs: staticDelay.max / 1e6 },
      dynamic: {
        cycles,
        medianWallMs: median(walls),
        medianCpuMs: median(cpus),
        maxWallMs: Math.max(...walls),
        spawned,
        variables: last ? Object.keys(last.values).length : 0,
        failures,
        maxEventLoopDelayMs: delay.max / 1e6,
      },
    };
  } finally {
    spawns.stop();
  }
}

if (import.meta.main) {
  const cycles = Number(process.argv[2] ?? 50);
  if (!Number.isInteger(cycles) || cycles < 1) {
    console.error('usage: measure-collection.ts [cycles: a whole number >= 1]');
    process.exit(2);
  }
  const cost = await measureCollection(cycles);
  const f = (n: number) => n.toFixed(2);
  console.log(`static  (once):        wall ${f(cost.static.wallMs)} ms, CPU ${f(cost.static.cpuMs)} ms, ${cost.static.spawned} processes spawned by the main thread (the static helpers; systeminformation's own are not counted), ${cost.static.variables} variables, ${cost.static.failures} failures, event-loop delay max ${f(cost.static.maxEventLoopDelayMs)} ms`);
  console.log(`dynamic (median of ${cost.dynamic.cycles}): wall ${f(cost.dynamic.medianWallMs)} ms (max ${f(cost.dynamic.maxWallMs)}), CPU ${f(cost.dynamic.medianCpuMs)} ms, ${cost.dynamic.spawned} processes spawned in all cycles, ${cost.dynamic.variables} variables, event-loop delay max ${f(cost.dynamic.maxEventLoopDelayMs)} ms`);
  console.log(JSON.stringify(cost));
}
