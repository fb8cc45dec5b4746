// systeminformation (and the first use of Intl), only ever in a short-lived worker thread. Its calls block
// (execSync of `hostname -f`, dmidecode, dmesg on Linux; PowerShell on Windows;
// ioreg on macOS), which would stall the event loop for ~90 ms here — and for
// seconds when DNS is slow — and loading it costs the main thread memory for a
// library used once a day. In a worker the event loop stays free, a timeout
// really stops the work (terminate()), and the library's memory goes with the
// worker. Only with the static set: at start and once a day.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';

/** What a worker can be asked for; each answers with a small plain object. */
export type SiTask = 'system-facts' | 'battery' | 'intl';

// Plain JavaScript evaluated as the worker, so it runs from a bundle too (no
// separate worker file to ship); systeminformation is required by absolute path.
// Built-ins come through process.getBuiltinModule, which works whether Node
// evaluates the source as CommonJS or (under --input-type=module) as ESM.
const WORKER_SOURCE = `
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
const si = () => process.getBuiltinModule('node:module').createRequire(workerData.systeminformation)(workerData.systeminformation);
const tasks = {
  'system-facts': () => Promise.all([si().osInfo(), si().system()]).then(([os, system]) => ({ distro: os.distro, release: os.release, virtual: system.virtual, virtualHost: system.virtualHost || '' })),
  battery: () => si().battery().then((b) => ({ hasBattery: b.hasBattery, percent: b.percent, isCharging: b.isCharging })),
  // The first use of Intl in a process initialises ICU: ~17 ms of blocked event loop here.
  intl: async () => { const o = Intl.DateTimeFormat().resolvedOptions(); return { timeZone: o.timeZone, locale: o.locale }; },
};
tasks[workerData.task]().then(
  (value) => parentPort.postMessage({ ok: true, value }),
  (error) => parentPort.postMessage({ ok: false, message: String((error && error.message) || error) }),
);
`;

const replySchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), message: z.string() }),
]);

/** Where systeminformation is installed (resolved from this module, so from a bundle in dist/ too). */
export function systeminformationPath(): string {
  return createRequire(import.meta.url).resolve('systeminformation');
}

/**
 * Runs one systeminformation task in a fresh worker thread and checks its answer
 * against `schema`; `signal` terminates the worker. `label` names the worker in errors.
 */
export function runInSiWorker<T>(task: SiTask, schema: z.ZodType<T>, label: string, signal?: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Error('aborted before start'));
      return;
    }
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { systeminformation: systeminformationPath(), task }, stdout: true, stderr: true });
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      outcome();
    };
    const onAbort = () => finish(() => reject(new Error(`${label} worker stopped (timeout)`)));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (message: unknown) => {
      const reply = replySchema.safeParse(message);
      if (!reply.success) return finish(() => reject(new Error(`${label} worker sent an unexpected reply`)));
      if (!reply.data.ok) {
        const { message: why } = reply.data;
        return finish(() => reject(new Error(`systeminformation failed: ${why}`)));
      }
      const value = schema.safeParse(reply.data.value);
      if (value.success) finish(() => resolve(value.data));
      else finish(() => reject(new Error(`${label} worker sent an unexpected reply`)));
    });
    worker.once('error', (error) => finish(() => reject(new Error(`${label} worker failed: ${error.message}`))));
    worker.once('exit', (code) => finish(() => reject(new Error(`${label} worker exited (code ${code}) without a reply`))));
  });
}
