// Measures collection designs side by side, in the same process and the same
// run: own CPU per cycle (process.cpuUsage, all threads), children's CPU
// (/proc/self/stat cutime+cstime of reaped children), processes spawned
// (test/support/spawn-counter.ts: every child_process path) and wall time.
// Contenders run interleaved, a batch each per round, so a noisy neighbour
// hits them alike.
import { performance } from 'node:perf_hooks';
import { startSpawnCounter } from '../test/support/spawn-counter.ts';
import { childrenCpuMs, ownCpuMs } from './lib/proc-stats.ts';
import { median } from './lib/stats.ts';

export interface Contender {
  name: string;
  run(): unknown;
  /** Cycles measured per round (slow contenders run fewer). */
  perRound: number;
  /** Unmeasured cycles before the first round (JIT, caches, first CPU sample). */
  warmup?: number;
}

export interface CollectionFigures {
  name: string;
  cycles: number;
  /** Median of per-cycle own CPU, ms. */
  ownCpuMs: number;
  /** Mean own CPU per cycle (total / cycles), ms. */
  ownCpuMeanMs: number;
  /** Children's CPU per cycle (reaped children, 10 ms ticks summed over all cycles), ms. */
  childrenCpuMs: number;
  /** ownCpuMs + childrenCpuMs. */
  totalCpuMs: number;
  spawnedPerCycle: number;
  /** Commands spawned (first few), for the report. */
  spawnedCommands: string[];
  wallMs: number;
  maxWallMs: number;
}

export async function measureContenders(contenders: readonly Contender[], rounds: number): Promise<CollectionFigures[]> {
  const spawns = startSpawnCounter();
  try {
    const acc = contenders.map(() => ({ own: [] as number[], wall: [] as number[], children: 0, spawned: 0, commands: new Set<string>() }));
    for (const contender of contenders) {
      for (let i = 0; i < (contender.warmup ?? 2); i += 1) await contender.run();
    }
    for (let round = 0; round < rounds; round += 1) {
      // Rotate the order each round so no contender always follows a heavy one.
      for (let k = 0; k < contenders.length; k += 1) {
        const index = (k + round) % contenders.length;
        const contender = contenders[index]!;
        const a = acc[index]!;
        const childrenBefore = childrenCpuMs();
        const spawnedBefore = spawns.count();
        for (let i = 0; i < contender.perRound; i += 1) {
          const cpu0 = ownCpuMs();
          const t0 = performance.now();
          await contender.run();
          a.wall.push(performance.now() - t0);
          a.own.push(ownCpuMs() - cpu0);
        }
        // Children are reaped asynchronously (exit event); give libuv a turn before reading cutime.
        await new Promise((resolve) => setImmediate(resolve));
        a.children += childrenCpuMs() - childrenBefore;
        a.spawned += spawns.count() - spawnedBefore;
        for (const command of spawns.commands().slice(spawnedBefore)) a.commands.add(command);
      }
    }
    return contenders.map((contender, index) => {
      const a = acc[index]!;
      const cycles = a.own.length;
      const own = median(a.own);
      const children = a.children / cycles;
      return {
        name: contender.name,
        cycles,
        ownCpuMs: own,
        ownCpuMeanMs: a.own.reduce((x, y) => x + y, 0) / cycles,
        childrenCpuMs: children,
        totalCpuMs: own + children,
        spawnedPerCycle: a.spawned / cycles,
        spawnedCommands: [...a.commands].slice(0, 8),
        wallMs: median(a.wall),
        maxWallMs: Math.max(...a.wall),
      };
    });
  } finally {
    spawns.stop();
  }
}
