// Static facts that need systeminformation: the OS's marketing name and release,
// whether this is a virtual machine and which kind — read in the static helper
// (si-worker.ts: a short-lived process; a worker thread under Electron), at start
// and once a day.
import { z } from 'zod';
import { runInSiWorker } from './si-worker.ts';
import type { Collector } from './types.ts';

const WINDOWS_POWERSHELL_TIMEOUT_MS = 15_000;

export interface SystemFacts {
  distro: string;
  release: string;
  virtual: boolean;
  /** The hypervisor systeminformation names when virtual (e.g. "KVM"), else ''. */
  virtualHost?: string;
}

const factsSchema = z.object({ distro: z.string(), release: z.string(), virtual: z.boolean(), virtualHost: z.string().max(100).optional() });

/** Runs systeminformation's osInfo() and system() in the static helper; abort stops it. */
export function readSystemFactsInWorker(signal?: AbortSignal): Promise<SystemFacts> {
  return runInSiWorker('system-facts', factsSchema, 'system facts', signal);
}

export function createSystemFactsCollector(options: { platform?: NodeJS.Platform; read?: (signal?: AbortSignal) => Promise<SystemFacts> } = {}): Collector {
  const read = options.read ?? readSystemFactsInWorker;
  return {
    name: 'system-facts',
    refresh: 'static',
    produces: ['os_distro', 'os_release', 'is_vm', 'vm_type'],
    ...((options.platform ?? process.platform) === 'win32' ? { minTimeoutMs: WINDOWS_POWERSHELL_TIMEOUT_MS } : {}),
    async collect(signal) {
      const facts = await read(signal);
      const host = facts.virtual ? (facts.virtualHost ?? '').trim() : '';
      return { os_distro: facts.distro, os_release: facts.release, is_vm: facts.virtual, ...(host ? { vm_type: host } : {}) };
    },
  };
}
