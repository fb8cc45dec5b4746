// Static facts that need systeminformation: the OS's marketing name and release
// and whether this is a virtual machine. systeminformation gathers them with
// blocking calls (execSync of `hostname -f`, dmidecode, dmesg on Linux; PowerShell
// on Windows), which would stall the event loop for ~90 ms here — and for
// seconds when DNS is slow. So they run in a short-lived worker thread: the
// event loop stays free, and a timeout really stops the work (terminate()).
// Only with the static set: at start and once a day.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import type { Collector } from './types.ts';

const WINDOWS_POWERSHELL_TIMEOUT_MS = 15_000;

export interface SystemFacts {
  distro: string;
  release: string;
  virtual: boolean;
}

// Plain CommonJS, so it runs from a bundle too (no separate worker file to ship).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const si = require(workerData.systeminformation);
Promise.all([si.osInfo(), si.system()]).then(
  ([os, system]) => parentPort.postMessage({ ok: true, distro: os.distro, release: os.release, virtual: system.virtual }),
  (error) => parentPort.postMessage({ ok: false, message: String((error && error.message) || error) }),
);
`;

const replySchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), distro: z.string(), release: z.string(), virtual: z.boolean() }),
  z.object({ ok: z.literal(false), message: z.string() }),
]);

/** Runs systeminformation's osInfo() and system() in a worker thread; abort terminates it. */
export function readSystemFactsInWorker(signal?: AbortSignal): Promise<SystemFacts> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Error('aborted before start'));
      return;
    }
    const systeminformation = createRequire(import.meta.url).resolve('systeminformation');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { systeminformation }, stdout: true, stderr: true });
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      outcome();
    };
    const onAbort = () => finish(() => reject(new Error('system facts worker stopped (timeout)')));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (message: unknown) => {
      const parsed = replySchema.safeParse(message);
      if (!parsed.success) return finish(() => reject(new Error('system facts worker sent an unexpected reply')));
      const reply = parsed.data;
      if (reply.ok) finish(() => resolve({ distro: reply.distro, release: reply.release, virtual: reply.virtual }));
      else finish(() => reject(new Error(`systeminformation failed: ${reply.message}`)));
    });
    worker.once('error', (error) => finish(() => reject(new Error(`system facts worker failed: ${error.message}`))));
    worker.once('exit', (code) => finish(() => reject(new Error(`system facts worker exited (code ${code}) without a reply`))));
  });
}

export function createSystemFactsCollector(options: { platform?: NodeJS.Platform; read?: (signal?: AbortSignal) => Promise<SystemFacts> } = {}): Collector {
  const read = options.read ?? readSystemFactsInWorker;
  return {
    name: 'system-facts',
    refresh: 'static',
    produces: ['os_distro', 'os_release', 'is_vm'],
    ...((options.platform ?? process.platform) === 'win32' ? { minTimeoutMs: WINDOWS_POWERSHELL_TIMEOUT_MS } : {}),
    async collect(signal) {
      const facts = await read(signal);
      return { os_distro: facts.distro, os_release: facts.release, is_vm: facts.virtual };
    },
  };
}
