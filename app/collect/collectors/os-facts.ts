// Static facts Node knows without asking anyone: platform, arch, kernel, CPU
// model and cores, installed memory, and the versions. (Time zone and locale
// come from locale-facts.ts: Intl's first use blocks the loop.)
import { arch, availableParallelism, cpus, platform, release, totalmem } from 'node:os';
import { bytesToGb } from '../quantise.ts';
import type { Collector } from './types.ts';

export function createOsFactsCollector(versions: { agentVersion: string; appVersion?: string }): Collector {
  return {
    name: 'os-facts',
    refresh: 'static',
    produces: ['os_platform', 'os_arch', 'kernel', 'cpu_model', 'cpu_cores', 'ram_total_gb', 'agent_version', 'app_version'],
    async collect() {
      return {
        os_platform: platform(),
        os_arch: arch(),
        kernel: release(),
        cpu_model: cpus()[0]?.model,
        cpu_cores: availableParallelism(),
        ram_total_gb: bytesToGb(totalmem()),
        agent_version: versions.agentVersion,
        app_version: versions.appVersion,
      };
    },
  };
}
