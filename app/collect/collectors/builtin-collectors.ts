// Every built-in collector, one line each: adding a source is one file and one line.
import { createBatteryCollector } from './battery.ts';
import { createBootTimeCollector } from './boot-time.ts';
import { createCpuLoadCollector } from './cpu-load.ts';
import { createDiskSizeCollector, createDiskUsageCollector } from './disk.ts';
import { createLocaleFactsCollector } from './locale-facts.ts';
import { createMemoryCollector } from './memory.ts';
import { createOsFactsCollector } from './os-facts.ts';
import { createHostnameCollector, createNetworkAddressCollector, createUsernameCollector } from './personal-data.ts';
import { createSystemFactsCollector } from './system-facts.ts';
import type { Collector } from './types.ts';

export function createBuiltinCollectors(versions: { agentVersion: string; appVersion?: string }): Collector[] {
  return [
    // static
    createOsFactsCollector(versions),
    createLocaleFactsCollector(),
    createSystemFactsCollector(),
    createDiskSizeCollector(),
    createBootTimeCollector(),
    createHostnameCollector(),
    createUsernameCollector(),
    createNetworkAddressCollector(),
    // dynamic
    createCpuLoadCollector(),
    createMemoryCollector(),
    createDiskUsageCollector(),
    createBatteryCollector(),
  ];
}
