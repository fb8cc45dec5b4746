// Static facts that need systeminformation: the OS's marketing name and release
// (os-release, sw_vers, the registry) and whether this is a virtual machine.
// These spawn processes (Linux: ~14 each; Windows: PowerShell, seconds), so they
// run only with the static set: at start and once a day.
import si from 'systeminformation';
import type { Collector } from './types.ts';

const WINDOWS_POWERSHELL_TIMEOUT_MS = 15_000;

function slowOn(platform: NodeJS.Platform): Pick<Collector, 'minTimeoutMs'> {
  return platform === 'win32' ? { minTimeoutMs: WINDOWS_POWERSHELL_TIMEOUT_MS } : {};
}

export function createOsInfoCollector(options: { platform?: NodeJS.Platform; read?: () => Promise<{ distro: string; release: string }> } = {}): Collector {
  const read = options.read ?? (() => si.osInfo());
  return {
    name: 'os-info',
    refresh: 'static',
    produces: ['os_distro', 'os_release'],
    ...slowOn(options.platform ?? process.platform),
    async collect() {
      const info = await read();
      return { os_distro: info.distro, os_release: info.release };
    },
  };
}

export function createVirtualisationCollector(options: { platform?: NodeJS.Platform; read?: () => Promise<{ virtual: boolean }> } = {}): Collector {
  const read = options.read ?? (() => si.system());
  return {
    name: 'virtualisation',
    refresh: 'static',
    produces: ['is_vm'],
    ...slowOn(options.platform ?? process.platform),
    async collect() {
      const system = await read();
      return { is_vm: system.virtual };
    },
  };
}
