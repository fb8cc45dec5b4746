// The agent's own files are private to the account it runs as: folders 0700,
// files 0600, whatever the umask (a service with UMask=0000 included). Links are
// never followed for them. On Windows the modes mean little; the per-user
// profile folders' ACLs (%LOCALAPPDATA%) keep the default state directory private.
import { chmodSync, closeSync, constants, fstatSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { relative, sep } from 'node:path';
import { kindOf } from './read-bounded.ts';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;

/**
 * Creates `dir` (and missing parents) with mode 0700 exactly; folders that already
 * exist keep their mode. Throws the OS error (EACCES, ENOTDIR, EROFS, ENOSPC...).
 */
export function ensurePrivateDir(dir: string): void {
  const first = mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (first === undefined || process.platform === 'win32') return;
  // mkdir applies the umask: set the mode of every folder created here explicitly.
  let current = first;
  chmodSync(current, PRIVATE_DIR_MODE);
  for (const part of relative(first, dir).split(sep).filter(Boolean)) {
    current = `${current}${sep}${part}`;
    chmodSync(current, PRIVATE_DIR_MODE);
  }
}

/** True when every local user may write `stats`' file or folder (a folder with the sticky bit, like /tmp, included). */
export function isWorldWritable(stats: Stats): boolean {
  return process.platform !== 'win32' && (stats.mode & 0o002) !== 0;
}

/**
 * Appends `data` to the agent's own file at `path`, creating it 0600. Refuses (throws
 * with code ELOOP or ENOTREG) a link or anything but a regular file at the path; a
 * FIFO never blocks (O_NONBLOCK).
 */
export function appendPrivateFile(path: string, data: string): void {
  const flags = constants.O_WRONLY | constants.O_APPEND | O_NOFOLLOW | O_NONBLOCK;
  let fd: number;
  let created = false;
  try {
    fd = openSync(path, flags | constants.O_CREAT | constants.O_EXCL, PRIVATE_FILE_MODE);
    created = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    fd = openSync(path, flags);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw Object.assign(new Error(`${path} is ${kindOf(stats)}, not a regular file`), { code: 'ENOTREG' });
    if (created && process.platform !== 'win32' && (stats.mode & 0o777) !== PRIVATE_FILE_MODE) chmodSync(path, PRIVATE_FILE_MODE);
    writeSync(fd, data);
  } finally {
    closeSync(fd);
  }
}

/** Renames whatever is at `path` (a link, a FIFO, a damaged file) out of the way; returns the new name. */
export function moveAside(path: string, tag: string, now: number = Date.now()): string {
  const aside = `${path}.${tag}-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
  renameSync(path, aside);
  return aside;
}
