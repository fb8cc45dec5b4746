// uptime_h: os.uptime() (Linux: /proc/uptime, read by libuv without a process).
import { uptime } from 'node:os';
import type { Collector } from './types.ts';

export function createUptimeCollector(readSeconds: () => number = uptime): Collector {
  return {
    name: 'uptime',
    refresh: 'dynamic',
    produces: ['uptime_h'],
    async collect() {
      return { uptime_h: readSeconds() / 3600 };
    },
  };
}
