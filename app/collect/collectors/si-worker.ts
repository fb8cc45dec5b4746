// systeminformation (and the first use of Intl), never on the main thread. Its calls
// block (execSync of `hostname -f`, dmidecode, dmesg on Linux; PowerShell on Windows;
// ioreg on macOS), which would stall the event loop for ~90 ms here — and for
// seconds when DNS is slow. Only with the static set: at start and once a day.
//
// Under Node (the headless agent) the tasks asked for together (the static set: system
// facts and locale facts on Linux) run in ONE short-lived child process (`node -e`):
// when it exits, all its memory goes back to the system. A worker
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

// argv: systeminformation's path, then the tasks. One JSON line per task on stdout
// ({ index, ok, … }), then exit once all are written (systeminformation may leave timers behind).
const PROCESS_SOURCE = `${TASKS_SOURCE}
const [path, ...list] = process.argv.slice(1);
let left = list.length;
list.forEach((task, index) => runTask(task, path, (message) => process.stdout.write(JSON.stringify({ index, ...message }) + '\\n', () => {
  left -= 1;
  if (left === 0) process.exit(0);
})));
`;

/** A reply line larger than this is not one of ours: the child is stopped. */
const MAX_REPLY_BYTES = 64 * 1024;

const indexedReply = z.object({ index: z.number().int().nonnegative() }).loose();

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

interface Batched {
  task: SiTask;
  on: HelperEvents;
  /** The caller is done with it (answered, failed, or stopped). */
  done: boolean;
}

/** Tasks asked for in the current tick; they start together in one process on the next. */
let batch: Batched[] | undefined;

/**
 * One child process for every task asked for in the same tick (the static collectors start
 * together): one spawn — a synchronous fork of the agent, a few ms of event loop — and one
 * node start-up instead of one per task. The process is killed once every caller is done
 * with it (a caller's timeout stops only its own task's wait); when all are answered it has
 * exited by itself before the last answer is handed over.
 */
function startProcess(task: SiTask, on: HelperEvents): Helper {
  const entry: Batched = { task, on, done: false };
  if (batch === undefined) {
    const entries: Batched[] = [];
    batch = entries;
    setImmediate(() => {
      batch = undefined;
      launch(entries);
    });
  }
  batch.push(entry);
  return {
    stop() {
      entry.done = true;
      const child = running.get(entry);
      if (child !== undefined && [...running].every(([other, c]) => c !== child || other.done)) child.kill('SIGKILL');
    },
  };
}

/** The child each launched entry runs in, until its process closes. */
const running = new Map<Batched, ReturnType<typeof spawn>>();

function launch(entries: Batched[]): void {
  const waiting = entries.filter((e) => !e.done);
  if (waiting.length === 0) return;
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn(process.execPath, ['--input-type=commonjs', '-e', PROCESS_SOURCE, systeminformationPath(), ...waiting.map((e) => e.task)], {
      stdio: ['ignore', 'pipe', 'ignore'],
      windowsHide: true,
    });
  } catch (error) {
    for (const e of waiting) e.on.failed((error as Error).message);
    return;
  }
  for (const e of waiting) running.set(e, child);
  let out = '';
  let answered = 0;
  // The last answer is handed over once the process has closed (it exits right after writing
  // it): the caller then sees a helper that is gone, and its CPU is the agent's (reaped child).
  let last: (() => void) | undefined;
  child.stdout!.setEncoding('utf8').on('data', (text: string) => {
    out += text;
    for (let newline = out.indexOf('\n'); newline !== -1; newline = out.indexOf('\n')) {
      const line = out.slice(0, newline);
      out = out.slice(newline + 1);
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        parsed = undefined;
      }
      const reply = indexedReply.safeParse(parsed);
      const target = reply.success ? waiting[reply.data.index] : undefined;
      if (!reply.success || target === undefined) {
        for (const e of waiting) e.on.failed('it sent an unexpected reply');
        child.kill('SIGKILL');
        return;
      }
      const { index: _index, ...message } = reply.data;
      answered += 1;
      if (answered < waiting.length) target.on.message(message);
      else last = () => target.on.message(message);
    }
    if (out.length > MAX_REPLY_BYTES) {
      for (const e of waiting) e.on.failed('its reply is too large');
      child.kill('SIGKILL');
    }
  });
  child.once('error', (error) => { for (const e of waiting) e.on.failed(error.message); });
  child.once('close', (code) => {
    for (const e of waiting) running.delete(e);
    last?.();
    for (const e of waiting) e.on.exited(code);
  });
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
