// Runs one program for a variable source: an argv array (no shell: nothing in it is
// interpreted — quotes, $(…), ;, | are just characters of an argument), stdin closed,
// a deadline after which the program and its children are killed, and a bound on its
// output (more is an error, and the program is killed at once). The environment is the
// agent's without DEVICE_AGENT_* (which may hold its secrets). Never throws.
import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { printable } from '../printable.ts';

export type RunResult = { ok: true; stdout: string } | { ok: false; problem: string };

export interface RunOptions {
  timeoutMs: number;
  maxOutputBytes: number;
  env?: NodeJS.ProcessEnv;
}

export type RunBounded = (argv: readonly string[], options: RunOptions) => Promise<RunResult>;

/** Kept of stderr for the message of a failed run. */
const STDERR_KEPT = 512;
/** How long output may still arrive after the program ended (or was killed). */
const STRAGGLER_MS = 500;

/** The agent's environment without its own settings (DEVICE_AGENT_SHARED_KEY and the like). */
export function commandEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.toUpperCase().startsWith('DEVICE_AGENT_')));
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '') ?? '';
  const shown = printable(line);
  return shown.length > 200 ? `${shown.slice(0, 197)}...` : shown;
}

export const runBounded: RunBounded = (argv, options) => new Promise<RunResult>((resolve) => {
  const [program, ...args] = argv;
  if (program === undefined) {
    resolve({ ok: false, problem: 'no program to run' });
    return;
  }
  const group = process.platform !== 'win32';
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn(program, args, {
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      // Its own process group on POSIX, so a timeout ends what it started too.
      detached: group,
      cwd: dirname(program),
      env: options.env ?? commandEnv(),
    });
  } catch (error) {
    resolve({ ok: false, problem: `could not be started (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` });
    return;
  }
  const out: Buffer[] = [];
  let outBytes = 0;
  let err = '';
  let failure: string | undefined;
  let settled = false;
  const kill = () => {
    try {
      if (group && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch {
      // already gone
    }
  };
  const finish = (result: RunResult) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    clearTimeout(straggler);
    child.stdout?.destroy();
    child.stderr?.destroy();
    resolve(result);
  };
  const outcome = (code: number | null, signal: NodeJS.Signals | null): RunResult => {
    if (failure !== undefined) return { ok: false, problem: failure };
    if (code === 0) return { ok: true, stdout: Buffer.concat(out).toString('utf8') };
    const said = firstLine(err);
    return { ok: false, problem: `${code === null ? `was ended by ${signal ?? 'a signal'}` : `exited with code ${code}`}${said ? `: ${said}` : ''}` };
  };
  // Something it left behind (a daemon of its own session) may hold its output open: the
  // run ends STRAGGLER_MS after the program itself did, or after it was killed, whatever else runs.
  let straggler: ReturnType<typeof setTimeout> | undefined;
  const endSoon = (result: () => RunResult) => {
    clearTimeout(straggler);
    straggler = setTimeout(() => finish(result()), STRAGGLER_MS);
    straggler.unref();
  };
  const timer = setTimeout(() => {
    failure ??= `did not finish within ${options.timeoutMs / 1000} s and was stopped`;
    kill();
    endSoon(() => ({ ok: false, problem: failure! }));
  }, options.timeoutMs);
  timer.unref();
  child.stdout?.on('data', (chunk: Buffer) => {
    if (failure !== undefined) return;
    outBytes += chunk.length;
    if (outBytes > options.maxOutputBytes) {
      failure = `printed more than ${options.maxOutputBytes} bytes and was stopped`;
      kill();
      endSoon(() => ({ ok: false, problem: failure! }));
      return;
    }
    out.push(chunk);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    if (err.length < STDERR_KEPT) err += chunk.toString('utf8').slice(0, STDERR_KEPT - err.length);
  });
  child.on('error', (error: NodeJS.ErrnoException) => {
    finish({ ok: false, problem: `could not be started (${error.code ?? error.message})` });
  });
  child.on('exit', (code, signal) => endSoon(() => outcome(code, signal)));
  child.on('close', (code, signal) => finish(outcome(code, signal)));
});
