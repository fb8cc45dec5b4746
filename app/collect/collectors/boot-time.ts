// boot_time: when the OS last booted, ISO-8601 UTC to the minute. A static fact
// (it changes only with a reboot, which restarts the agent), so it costs nothing
// per cycle — unlike an uptime that changes every hour and sends a request for it.
// Linux: `btime` of /proc/stat (the kernel's boot time, seconds since the epoch);
// elsewhere: now - os.uptime(). Whole minutes, floored, so the second-level
// jitter of either source does not make a new value.
import { readFileSync } from 'node:fs';
import { uptime } from 'node:os';
import { join } from 'node:path';
import { parseBootTime } from './proc-files.ts';
import type { Collector } from './types.ts';

export interface BootTimeOptions {
  platform?: NodeJS.Platform;
  procRoot?: string;
  now?: () => number;
  uptimeSeconds?: () => number;
}

/** "2026-11-26T08:14:00Z": the minute that holds `epochMs`, in UTC. */
export function bootTimeText(epochMs: number): string {
  const minute = Math.floor(epochMs / 60_000) * 60_000;
  return `${new Date(minute).toISOString().slice(0, 16)}:00Z`;
}

export function createBootTimeCollector(options: BootTimeOptions = {}): Collector {
  const platform = options.platform ?? process.platform;
  const procRoot = options.procRoot ?? '/proc';
  const now = options.now ?? Date.now;
  const uptimeSeconds = options.uptimeSeconds ?? uptime;
  return {
    name: 'boot-time',
    refresh: 'static',
    produces: ['boot_time'],
    async collect() {
      const bootMs = platform === 'linux'
        ? parseBootTime(readFileSync(join(procRoot, 'stat'), 'latin1')) * 1000
        : now() - uptimeSeconds() * 1000;
      return { boot_time: bootTimeText(bootMs) };
    },
  };
}
