// One agent per state directory: an O_EXCL lock file holding the owner's pid, host
// and start time. A lock left by a process that no longer exists (on this host) is
// taken over; a live owner makes acquisition fail with a message that says what to do.
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

export const LOCK_FILE_NAME = 'agent.lock';

/** A lock file with no readable content younger than this is assumed to be mid-creation by its owner. */
const UNREADABLE_GRACE_MS = 10_000;

export interface StateLock {
  readonly path: string;
  release(): void;
}

export class StateLockedError extends Error {
  readonly pid: number | undefined;
  readonly stateDir: string;
  constructor(pid: number | undefined, stateDir: string, host?: string) {
    const where = host !== undefined && host !== hostname() ? ` on ${host}` : '';
    const who = pid === undefined ? '' : ` (pid ${pid}${where})`;
    super(`Another Device Agent${who} is already using ${stateDir}. Stop it, or give this one its own --state-dir.`);
    this.name = 'StateLockedError';
    this.pid = pid;
    this.stateDir = stateDir;
  }
}

const lockContent = z.object({ pid: z.number().int().positive(), host: z.string(), startedAt: z.number(), token: z.string() });
type LockContent = z.infer<typeof lockContent>;

export interface AcquireOptions {
  /** Whether a pid is alive (tests). Default: `process.kill(pid, 0)`. */
  isAlive?: (pid: number) => boolean;
}

function defaultIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM'; // exists, owned by someone else
  }
}

function readLock(path: string): LockContent | undefined {
  try {
    const parsed = lockContent.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function acquireStateLock(stateDir: string, options: AcquireOptions = {}): StateLock {
  const isAlive = options.isAlive ?? defaultIsAlive;
  mkdirSync(stateDir, { recursive: true });
  const path = join(stateDir, LOCK_FILE_NAME);
  const mine: LockContent = { pid: process.pid, host: hostname(), startedAt: Date.now(), token: `${process.pid}-${Math.random().toString(36).slice(2)}` };

  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o644);
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
      const owner = readLock(path);
      if (owner === undefined) {
        // Unreadable: either being written right now, or left half-written by a crash.
        let mtimeMs: number;
        try { mtimeMs = statSync(path).mtimeMs; } catch { continue; }
        if (Date.now() - mtimeMs < UNREADABLE_GRACE_MS) throw new StateLockedError(undefined, stateDir);
      } else if (owner.host !== hostname() || isAlive(owner.pid)) {
        throw new StateLockedError(owner.pid, stateDir, owner.host);
      }
      // Stale: move it out of the way atomically (only one taker wins the rename), then retry O_EXCL.
      try { renameSync(path, `${path}.stale-${mine.token}`); rmSync(`${path}.stale-${mine.token}`, { force: true }); } catch { /* someone else took it over */ }
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(mine));
    } finally {
      closeSync(fd);
    }
    let released = false;
    return {
      path,
      release() {
        if (released) return;
        released = true;
        if (readLock(path)?.token === mine.token) rmSync(path, { force: true });
      },
    };
  }
  const owner = readLock(path);
  throw new StateLockedError(owner?.pid, stateDir, owner?.host);
}
