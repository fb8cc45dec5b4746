// systeminformation (and the first use of Intl), never on the main thread. Its calls
// block (execSync of `hostname -f`, dmidecode, dmesg on Linux; PowerShell on Windows;
// ioreg on macOS), which would stall the event loop for ~90 ms here — and for
// seconds when DNS is slow. Only with the static set: at start and once a day.
//
// Under Node (the headless agent) each task runs in a short-lived child process
// (`node -e`): when it exits, all its memory goes back to the system. A worker
// thread, even terminated, left ~20 MB of the agent's resident memory behind for
// good (its malloc arena, the node binary's pages it touched, ICU's data;
// docs/performance.md). Under Electron, whose packaged binary cannot run as Node
// (the runAsNode fuse is off), a worker thread does the same job.
// Either way a timeout really stops the work (kill / terminate()).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { z } from 'zod';

/** What a worker can be asked for; each answers with a small plain object. */
export type SiTask = 'system-facts' | 'battery' | 'intl';

// Plain JavaScript evaluated as the worker, so it runs from a bundle too (no
// separate file to ship); systeminformation is required by absolute path.
// Built-ins come through process.getBuiltinModule, which works whether Node
// evaluates the source as CommonJS or (under --input-type=module) as ESM.
const TASKS_SOURCE = `
const si = (path) => process.getBuiltinModule('node:module').createRequire(path)(path);
const tasks = {
  'system-facts': (path) => Promise.all([si(path).osInfo(), si(path).system()]).then(([os, system]) => ({ distro: os.distro, release: os.release, virtual: system.virtual, virtualHost: system.virtualHost || '' })),
  battery: (path) => si(path).battery().then((b) => ({ hasBattery: b.hasBattery, percent: b.percent, isCharging: b.isCharging })),
  // The first use of Intl in a process initialises ICU: ~17 ms of blocked event loop here.
  intl: async () => { const o = Intl.DateTimeFormat().resolvedOptions(); return { timeZone: o.timeZone, locale: o.locale }; },
};
const runTask = (task, path, reply) => tasks[task](path).then(
  (value) => reply({ ok: true, value }),
  (error) => reply({ ok: false, message: String((error && error.message) || error) }),
);
`;

const THREAD_SOURCE = `${TASKS_SOURCE}
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
runTask(workerData.task, workerData.systeminformation, (message) => parentPort.postMessage(message));
`;

// One JSON line on stdout, then exit (systeminformation may leave timers behind).
const PROCESS_SOURCE = `${TASKS_SOURCE}
runTask(process.argv[1], process.argv[2], (message) => process.stdout.write(JSON.stringify(message) + '\\n', () => process.exit(0)));
`;

/** A reply larger than this is not one of ours: the child is stopped. */
const MAX_REPLY_BYTES = 64 * 1024;

const replySchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), message: z.string() }),
]);

/** Where systeminformation is installed (resolved from this module, so from a bundle in dist/ too). */
export function systeminformationPath(): string {
  return createRequire(import.meta.url).resolve('systeminformation');
}

export type SiIsolation = 'process' | 'thread';

/** A child process under Node; a worker thread under Electron (no Node binary to run). */
export function defaultIsolation(): SiIsolation {
  return process.versions.electron === undefined ? 'process' : 'thread';
}

interface Helper {
  /** Stops the work (never throws). */
  stop(): void;
}

interface HelperEvents {
  message(message: unknown): void;
  failed(why: string): void;
  exited(code: number | null): void;
}

function startThread(task: SiTask, on: HelperEvents): Helper {
  // Loaded here: only Electron runs the helper as a thread.
  const { Worker } = process.getBuiltinModule('node:worker_threads');
  const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { systeminformation: systeminformationPath(), task }, stdout: true, stderr: true });
  worker.once('message', on.message);
  worker.once('error', (error) => on.failed(error.message));
  worker.once('exit', on.exited);
  return { stop: () => void worker.terminate() };
}

function startProcess(task: SiTask, on: HelperEvents): Helper {
  const child = spawn(process.execPath, ['--input-type=commonjs', '-e', PROCESS_SOURCE, task, systeminformationPath()], {
    stdio: ['ignore', 'pipe', 'ignore'],
    windowsHide: true,
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    out += text;
    if (out.length > MAX_REPLY_BYTES) {
      on.failed('its reply is too large');
      return;
    }
    const newline = out.indexOf('\n');
    if (newline === -1) return;
    let message: unknown;
    try {
      message = JSON.parse(out.slice(0, newline));
    } catch {
      message = undefined;
    }
    on.message(message);
  });
  child.once('error', (error) => on.failed(error.message));
  child.once('close', on.exited);
  return { stop: () => { child.kill('SIGKILL'); } };
}

/**
 * Runs one systeminformation task in a fresh child process (or worker thread, see
 * defaultIsolation) and checks its answer against `schema`; `signal` stops it.
 * `label` names the worker in errors.
 */
export function runInSiWorker<T>(task: SiTask, schema: z.ZodType<T>, label: string, signal?: AbortSignal, isolation: SiIsolation = defaultIsolation()): Promise<T> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Error('aborted before start'));
      return;
    }
    let settled = false;
    let helper: Helper | undefined;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      helper?.stop();
      outcome();
    };
    const onAbort = () => finish(() => reject(new Error(`${label} worker stopped (timeout)`)));
    signal?.addEventListener('abort', onAbort, { once: true });
    const events: HelperEvents = {
      message(message) {
        const reply = replySchema.safeParse(message);
        if (!reply.success) return finish(() => reject(new Error(`${label} worker sent an unexpected reply`)));
        if (!reply.data.ok) {
          const { message: why } = reply.data;
          return finish(() => reject(new Error(`systeminformation failed: ${why}`)));
        }
        const value = schema.safeParse(reply.data.value);
        if (value.success) finish(() => resolve(value.data));
        else finish(() => reject(new Error(`${label} worker sent an unexpected reply`)));
      },
      failed: (why) => finish(() => reject(new Error(`${label} worker failed: ${why}`))),
      exited: (code) => finish(() => reject(new Error(`${label} worker exited (code ${code}) without a reply`))),
    };
    try {
      helper = (isolation === 'process' ? startProcess : startThread)(task, events);
    } catch (error) {
      events.failed((error as Error).message);
    }
    // A helper that settled while starting (a synchronous failure) is stopped now.
    if (settled) helper?.stop();
  });
}
