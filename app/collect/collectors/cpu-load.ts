// cpu_load_pct: the share of CPU time not idle between two samples of the
// cumulative CPU counters (Linux: /proc/stat; elsewhere: os.cpus() times, which
// spawn nothing either). The previous sample lives in the collector, so the
// value is the average load over the whole interval between cycles. Without a
// usable previous sample (first cycle, or less than a second ago) it falls back
// to the 1-minute load average per core (not on Windows, where it is always 0).
// /proc files are read synchronously: the kernel generates them from memory in
// microseconds, and an async read costs 4 thread-pool round trips (open, fstat,
// read, close) — 3x the CPU of the whole floor (bench/, docs/performance.md).
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseProcStat } from './proc-files.ts';
import type { CpuTimes } from './proc-files.ts';
import type { Collector } from './types.ts';

export interface CpuLoadOptions {
  platform?: NodeJS.Platform;
  procRoot?: string;
  now?: () => number;
  /** Samples closer together than this are too coarse (10 ms jiffies); default 1000. */
  minIntervalMs?: number;
  /** The value without a usable previous sample; default: 1-minute load average per core (none on Windows). */
  fallback?: () => number | undefined;
}

function osCpuTimes(): CpuTimes {
  let idle = 0;
  let total = 0;
  for (const cpu of cpus()) {
    const t = cpu.times;
    idle += t.idle;
    total += t.user + t.nice + t.sys + t.irq + t.idle;
  }
  return { idle, total };
}

export function loadFromTimes(previous: CpuTimes, current: CpuTimes): number | undefined {
  const total = current.total - previous.total;
  const idle = current.idle - previous.idle;
  if (!(total > 0) || idle < 0) return undefined;
  return Math.min(100, Math.max(0, (1 - idle / total) * 100));
}

export function createCpuLoadCollector(options: CpuLoadOptions = {}): Collector {
  const platform = options.platform ?? process.platform;
  const procRoot = options.procRoot ?? '/proc';
  const now = options.now ?? Date.now;
  const minIntervalMs = options.minIntervalMs ?? 1000;
  let previous: { times: CpuTimes; at: number } | undefined;

  const readTimes = (): CpuTimes => platform === 'linux'
    ? parseProcStat(readFileSync(join(procRoot, 'stat'), 'latin1'))
    : osCpuTimes();

  const fallback = options.fallback ?? ((): number | undefined => {
    if (platform === 'win32') return undefined;
    const [oneMinute = 0] = loadavg();
    return Math.min(100, (oneMinute / availableParallelism()) * 100);
  });

  return {
    name: 'cpu-load',
    refresh: 'dynamic',
    produces: ['cpu_load_pct'],
    async collect() {
      const times = readTimes();
      const at = now();
      const load = previous && at - previous.at >= minIntervalMs ? loadFromTimes(previous.times, times) : undefined;
      if (!previous || at - previous.at >= minIntervalMs) previous = { times, at };
      return { cpu_load_pct: load ?? fallback() };
    },
  };
}
