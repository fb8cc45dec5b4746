// ram_used_gb / ram_used_pct: total minus available. Linux reads /proc/meminfo
// (MemAvailable counts reclaimable cache as free, unlike os.freemem() there);
// elsewhere os.totalmem() - os.freemem(). /proc/meminfo is read synchronously:
// a pseudo file served from memory, cheaper than 4 thread-pool round trips.
import { readFileSync } from 'node:fs';
import { freemem, totalmem } from 'node:os';
import { join } from 'node:path';
import { bytesToGb } from '../quantise.ts';
import { parseMeminfo } from './proc-files.ts';
import type { MemoryInfo } from './proc-files.ts';
import type { Collector } from './types.ts';

export interface MemoryOptions {
  platform?: NodeJS.Platform;
  procRoot?: string;
}

export function createMemoryCollector(options: MemoryOptions = {}): Collector {
  const platform = options.platform ?? process.platform;
  const procRoot = options.procRoot ?? '/proc';
  const read = (): MemoryInfo => platform === 'linux'
    ? parseMeminfo(readFileSync(join(procRoot, 'meminfo'), 'latin1'))
    : { totalBytes: totalmem(), availableBytes: freemem() };
  return {
    name: 'memory',
    refresh: 'dynamic',
    produces: ['ram_used_gb', 'ram_used_pct'],
    async collect() {
      const { totalBytes, availableBytes } = read();
      const used = totalBytes - availableBytes;
      return {
        ram_used_gb: bytesToGb(used),
        ram_used_pct: totalBytes > 0 ? (used / totalBytes) * 100 : undefined,
      };
    },
  };
}
