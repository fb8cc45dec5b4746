// ram_used_gb / ram_used_pct: total minus available. Linux reads /proc/meminfo
// (MemAvailable counts reclaimable cache as free, unlike os.freemem() there);
// elsewhere os.totalmem() - os.freemem().
import { readFile } from 'node:fs/promises';
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
  const read = async (): Promise<MemoryInfo> => platform === 'linux'
    ? parseMeminfo(await readFile(join(procRoot, 'meminfo'), 'utf8'))
    : { totalBytes: totalmem(), availableBytes: freemem() };
  return {
    name: 'memory',
    refresh: 'dynamic',
    produces: ['ram_used_gb', 'ram_used_pct'],
    async collect() {
      const { totalBytes, availableBytes } = await read();
      const used = totalBytes - availableBytes;
      return {
        ram_used_gb: bytesToGb(used),
        ram_used_pct: totalBytes > 0 ? (used / totalBytes) * 100 : undefined,
      };
    },
  };
}
