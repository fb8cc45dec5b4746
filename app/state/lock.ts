// One agent per state directory, exclusive by construction.
//
// The lock is a DIRECTORY, `<stateDir>/agent.lock/`, holding exactly one file,
// `owner-<token>.json` (pid, host, start time, boot id, the pid's own start time,
// pid namespace). It is made complete under a unique name (`agent.lock.new-<token>/`)
// and put in place with rename(), which succeeds only where no lock is, or where an
// empty one is (a take-over in progress). Removing a lock only ever happens by
//   - unlink(`agent.lock/owner-<token>.json`) of a token judged stale — a name no live
//     agent can hold, since tokens are never reused —, or
//   - rmdir(`agent.lock`), which the OS refuses while an owner file is inside, or
//   - unlink(`agent.lock`) of a lock file of the previous format, which the OS refuses
//     for a directory.
// So no starter can remove or replace a live lock, however many race over a stale one:
// exactly one rename wins. (test/reliability/lock-race.test.ts drives 16 at once.)
//
// Stale: see lock-staleness.ts.
import { chmodSync, lstatSync, mkdirSync, readdirSync, renameSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../config/load.ts';
import { FileReadError, kindOf, readBoundedText } from '../files/read-bounded.ts';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../files/private-files.ts';
import { heldTokens, ownerSchema, realFacts, staleReason, type LockFacts, type LockOwner } from './lock-staleness.ts';
import { PRODUCT_NAME } from '../branding/index.ts';

export { BOOT_TIME_MARGIN_MS, staleReason, type LockFacts, type LockOwner } from './lock-staleness.ts';

export const LOCK_FILE_NAME = 'agent.lock';

/** An owner file that cannot be read and is younger than this belongs to a writer that may still finish. */
export const UNREADABLE_GRACE_MS = 10_000;
const MAX_OWNER_BYTES = 4096;
const MAX_ATTEMPTS = 12;
const OWNER_PREFIX = 'owner-';
const NEW_PREFIX = `${LOCK_FILE_NAME}.new-`;

export interface AcquireOptions {
  facts?: Partial<LockFacts>;
}

export interface StateLock {
  readonly path: string;
  /** False when the directory could not be written, so no lock could be taken (see `warning`). */
  readonly held: boolean;
  /** Why the agent runs without a lock, for status. */
  readonly warning?: string;
  release(): void;
}

export class StateLockedError extends Error {
  readonly pid: number | undefined;
  readonly stateDir: string;
  readonly host: string | undefined;
  constructor(pid: number | undefined, stateDir: string, host?: string) {
    const elsewhere = host !== undefined && host !== hostname();
    const where = elsewhere ? ` on ${host}` : '';
    const who = pid === undefined ? '' : ` (pid ${pid}${where})`;
    const remote = elsewhere ? ` If no agent runs on ${host}, remove ${join(stateDir, LOCK_FILE_NAME)}.` : '';
    super(`Another ${PRODUCT_NAME}${who} is already using ${stateDir}. Stop it, or give this one its own --state-dir.${remote}`);
    this.name = 'StateLockedError';
    this.pid = pid;
    this.stateDir = stateDir;
    this.host = host;
  }
}

type Found =
  | { kind: 'none' }
  | { kind: 'changed' }
  | { kind: 'unreadable-by-us' }
  | { kind: 'empty' }
  | { kind: 'owner'; owner: LockOwner; remove: () => void }
  | { kind: 'unreadable'; mtimeMs: number; remove: () => void };

function unusable(path: string, what: string): ConfigError {
  return new ConfigError([{ field: 'stateDir', message: `${path} ${what}; the agent does not use it. Remove it if no agent is running.` }]);
}

type OwnerRead = { owner: LockOwner } | { unreadable: true } | { gone: true } | { notAFile: string } | { denied: true };

function readOwner(path: string): OwnerRead {
  try {
    const parsed = ownerSchema.safeParse(JSON.parse(readBoundedText(path, { maxBytes: MAX_OWNER_BYTES, mode: 'own' })));
    return parsed.success ? { owner: parsed.data } : { unreadable: true };
  } catch (error) {
    if (error instanceof FileReadError) {
      if (error.problem === 'missing') return { gone: true };
      if (error.problem === 'denied') return { denied: true };
      if (error.problem === 'link' || error.problem === 'not-a-file') return { notAFile: error.message };
    }
    return { unreadable: true };
  }
}

function mtimeOf(path: string): number {
  try {
    return lstatSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** What is at the lock path now. */
function inspect(lockPath: string): Found {
  let stats;
  try {
    stats = lstatSync(lockPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    throw error;
  }
  if (stats.isFile()) {
    // The previous format: a file holding the owner. unlink() cannot remove a directory lock.
    const read = readOwner(lockPath);
    const remove = () => unlinkSync(lockPath);
    if ('owner' in read) return { kind: 'owner', owner: read.owner, remove };
    if ('unreadable' in read) return { kind: 'unreadable', mtimeMs: stats.mtimeMs, remove };
    if ('denied' in read) return { kind: 'unreadable-by-us' };
    return { kind: 'changed' }; // replaced since the lstat (by a new lock): look again
  }
  if (!stats.isDirectory()) throw unusable(lockPath, `is ${kindOf(stats)}, not the agent's lock`);
  let names: string[];
  try {
    names = readdirSync(lockPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'changed' };
    if (code === 'EACCES' || code === 'EPERM') return { kind: 'unreadable-by-us' }; // another user's private lock
    throw error;
  }
  if (names.length === 0) return { kind: 'empty' };
  const name = names[0]!;
  if (names.length > 1 || !name.startsWith(OWNER_PREFIX)) throw unusable(lockPath, 'holds files the agent did not put there');
  const file = join(lockPath, name);
  const remove = () => unlinkSync(file); // only this token's file: never a newer owner's
  const read = readOwner(file);
  if ('notAFile' in read) throw unusable(file, read.notAFile);
  if ('gone' in read) return { kind: 'changed' }; // released or taken over meanwhile
  if ('denied' in read) return { kind: 'unreadable-by-us' };
  if ('unreadable' in read || `${OWNER_PREFIX}${read.owner.token}.json` !== name) return { kind: 'unreadable', mtimeMs: mtimeOf(file), remove };
  return { kind: 'owner', owner: read.owner, remove };
}

function ignoreMissing(action: () => void): void {
  try {
    action();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOTDIR' && code !== 'EISDIR' && code !== 'EPERM') throw error;
  }
}

/** Removes `dir` and the one file inside it, if they are there (best effort: it may never have been created). */
function removeCandidate(dir: string, file: string): void {
  try { unlinkSync(file); } catch { /* not there */ }
  try { rmdirSync(dir); } catch { /* not there */ }
}

/** Codes that mean "this folder cannot be written" (not a lock problem). */
const CANNOT_WRITE = new Set(['EACCES', 'EPERM', 'ENOSPC', 'EDQUOT', 'ENOENT']);

function cannotWrite(lockPath: string, code: string): StateLock {
  const warning = `The state directory cannot be written (${code}), so this agent runs without its lock (${lockPath}): another agent started on the same directory would not be kept out.`;
  return { path: lockPath, held: false, warning, release() {} };
}

/** Candidate lock folders (`agent.lock.new-*`) older than this were left by a starter that died. */
const ABANDONED_CANDIDATE_MS = 60_000;

function removeAbandonedCandidates(stateDir: string, now: number, ownCandidate: string): void {
  let names: string[];
  try {
    names = readdirSync(stateDir);
  } catch {
    return;
  }
  for (const name of names) {
    // Never our own: on a file server whose clock is behind ours, a fresh folder already looks old.
    if (!name.startsWith(NEW_PREFIX) || name === ownCandidate) continue;
    const dir = join(stateDir, name);
    try {
      if (now - lstatSync(dir).mtimeMs < ABANDONED_CANDIDATE_MS) continue;
      for (const inner of readdirSync(dir)) unlinkSync(join(dir, inner));
      rmdirSync(dir);
    } catch {
      // someone else's, or gone already
    }
  }
}

/**
 * Takes the lock of `stateDir` (which must exist). Throws StateLockedError when a live agent
 * holds it, ConfigError when something that is not a lock sits at the lock path or the
 * directory is on a read-only file system. When the directory cannot be written (permissions,
 * disk full), returns an unheld lock with a warning: the agent then runs from memory.
 */
export function acquireStateLock(stateDir: string, options: AcquireOptions = {}): StateLock {
  const facts = realFacts(options.facts);
  const lockPath = join(stateDir, LOCK_FILE_NAME);
  const token = randomBytes(12).toString('hex');
  const owner: LockOwner = {
    pid: facts.pid, host: facts.host, startedAt: facts.now(), token,
    ...(facts.bootId ? { bootId: facts.bootId } : {}),
    ...(facts.pidNs ? { pidNs: facts.pidNs } : {}),
  };
  const ownStart = facts.pidStart(facts.pid);
  if (ownStart !== undefined) owner.pidStart = ownStart;

  // The candidate: a complete lock under a unique name, so the real one never exists half-written.
  const candidate = join(stateDir, `${NEW_PREFIX}${token}`);
  const ownerFile = `${OWNER_PREFIX}${token}.json`;
  try {
    mkdirSync(candidate, { mode: PRIVATE_DIR_MODE });
    if (process.platform !== 'win32') chmodSync(candidate, PRIVATE_DIR_MODE);
    writeFileSync(join(candidate, ownerFile), JSON.stringify(owner), { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  } catch (error) {
    removeCandidate(candidate, join(candidate, ownerFile));
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOTDIR') throw new ConfigError([{ field: 'stateDir', message: `${stateDir} is not a directory` }]);
    if (code === 'EROFS') throw new ConfigError([{ field: 'stateDir', message: `${stateDir} is on a read-only file system; the agent needs a writable state directory` }]);
    if (!CANNOT_WRITE.has(code)) throw error;
    // Nothing can be written here, so no lock can be taken; a live agent still keeps this one out.
    const found = inspect(lockPath);
    if (found.kind === 'owner' && staleReason(found.owner, stateDir, facts) === undefined) {
      throw new StateLockedError(found.owner.pid, stateDir, found.owner.host);
    }
    if (found.kind === 'unreadable-by-us') throw new StateLockedError(undefined, stateDir);
    return cannotWrite(lockPath, code);
  }
  removeAbandonedCandidates(stateDir, facts.now(), `${NEW_PREFIX}${token}`);

  const lockedBy = (found: Found): StateLockedError => {
    removeCandidate(candidate, join(candidate, ownerFile));
    return found.kind === 'owner' ? new StateLockedError(found.owner.pid, stateDir, found.owner.host) : new StateLockedError(undefined, stateDir);
  };

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    try {
      renameSync(candidate, lockPath); // only where no lock is, or an empty one
      heldTokens.add(token);
      return held(lockPath, join(lockPath, ownerFile), token);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOTDIR' && code !== 'EISDIR' && code !== 'EPERM' && code !== 'EACCES') {
        removeCandidate(candidate, join(candidate, ownerFile));
        throw error;
      }
    }
    let found: Found;
    try {
      found = inspect(lockPath);
    } catch (error) {
      removeCandidate(candidate, join(candidate, ownerFile));
      throw error;
    }
    switch (found.kind) {
      case 'none':
      case 'changed':
        continue;
      case 'empty':
        // A take-over or a release in progress (or Windows, where rename does not replace a folder).
        ignoreMissing(() => rmdirSync(lockPath));
        continue;
      case 'unreadable-by-us':
        throw lockedBy(found); // a lock we may not even read is another user's, and may be live
      case 'unreadable':
        if (facts.now() - found.mtimeMs < UNREADABLE_GRACE_MS) throw lockedBy(found);
        ignoreMissing(found.remove);
        continue;
      case 'owner':
        if (staleReason(found.owner, stateDir, facts) === undefined) throw lockedBy(found);
        ignoreMissing(found.remove);
        continue;
    }
  }
  const last = (() => {
    try {
      return inspect(lockPath);
    } catch {
      return { kind: 'none' } as Found;
    }
  })();
  throw lockedBy(last);
}

function held(lockPath: string, ownerPath: string, token: string): StateLock {
  let released = false;
  return {
    path: lockPath,
    held: true,
    release() {
      if (released) return;
      released = true;
      heldTokens.delete(token);
      ignoreMissing(() => unlinkSync(ownerPath)); // only our own token's file
      ignoreMissing(() => rmdirSync(lockPath)); // refused if another owner is already inside
    },
  };
}
