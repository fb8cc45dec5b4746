// Every built-in collector, one line each: adding a source is one file and one line.
import { createBatteryCollector } from './battery.ts';
import { createCpuLoadCollector } from './cpu-load.ts';
import { createDiskSizeCollector, createDiskUsageCollector } from './disk.ts';
import { createMemoryCollector } from './memory.ts';
import { createOsFactsCollector } from './os-facts.ts';
import { createHostnameCollector, createNetworkAddressCollector, createUsernameCollector } from './personal-data.ts';
import { createSystemFactsCollector } from './system-facts.ts';
import { createUptimeCollector } from './uptime.ts';
import type { Collector } from './types.ts';

export function createBuiltinCollectors(versions: { agentVersion: string; appVersion?: string }): Collector[] {
  return [
    // static
    createOsFactsCollector(versions),
    createSystemFactsCollector(),
    createDiskSizeCollector(),
    createHostnameCollector(),
    createUsernameCollector(),
    createNetworkAddressCollector(),
    // dynamic
    createCpuLoadCollector(),
    createMemoryCollector(),
    createDiskUsageCollector(),
    createUptimeCollector(),
    createBatteryCollector(),
  ];
}
