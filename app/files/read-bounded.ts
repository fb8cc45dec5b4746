// Reading a file the agent did not write itself, or one a hostile local user may
// have swapped: never more than a stated number of bytes, never stuck on a FIFO or
// a device, never through a symbolic link when the file is one of the agent's own.
//
// Two modes:
//   - `own` (state, identity, lock): the path must be a regular file, checked with
//     lstat before opening (so a FIFO or a device is never opened), opened with
//     O_NOFOLLOW|O_NONBLOCK, and fstat must show the same file (no swap in between).
//   - `given` (config, managed config, keys, CA — paths a person chose): links are
//     followed; a regular file's size is checked before reading; a pipe or a character
//     device (`--config <(…)`, /dev/stdin, /dev/zero) is read up to the bound with a
//     deadline; a directory, socket or block device is refused.
// Errors are FileReadError: a short reason without any of the file's content.
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync } from 'node:fs';
import type { Stats } from 'node:fs';

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;

/** How long a pipe or device may take to deliver its content. */
export const STREAM_DEADLINE_MS = 5_000;

export type FileReadProblem = 'missing' | 'denied' | 'too-large' | 'not-a-file' | 'link' | 'timeout' | 'io';

export class FileReadError extends Error {
  readonly problem: FileReadProblem;
  readonly path: string;
  /** The OS error code when there was one (ENOENT, EACCES, ELOOP...). */
  readonly code: string | undefined;
  constructor(path: string, problem: FileReadProblem, reason: string, code?: string) {
    super(reason);
    this.name = 'FileReadError';
    this.path = path;
    this.problem = problem;
    this.code = code;
  }
}

export interface ReadBoundedOptions {
  /** Refuse anything larger than this many bytes. */
  maxBytes: number;
  /** `own`: the agent's own file (no links, regular files only); `given`: a path a person chose. */
  mode: 'own' | 'given';
  /** For `given` pipes and devices (default STREAM_DEADLINE_MS). */
  deadlineMs?: number;
}

/** "1 MiB", "64 KiB", "512 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** What kind of file system object `stats` is, in words ("a directory", "a named pipe (FIFO)"...). */
export function kindOf(stats: Stats): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

function osError(path: string, error: unknown): FileReadError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new FileReadError(path, 'missing', 'file not found', code);
  if (code === 'EACCES' || code === 'EPERM') return new FileReadError(path, 'denied', 'permission denied', code);
  if (code === 'ELOOP') return new FileReadError(path, 'link', 'is a symbolic link (the agent does not follow links for its own files)', code);
  if (code === 'EISDIR') return new FileReadError(path, 'not-a-file', 'is a directory', code);
  return new FileReadError(path, 'io', `cannot be read (${code ?? 'error'})`, code);
}

function tooLarge(path: string, maxBytes: number): FileReadError {
  return new FileReadError(path, 'too-large', `is larger than ${formatBytes(maxBytes)} (the limit for this file)`);
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleepCell, 0, 0, ms);
}

/** Reads up to maxBytes + 1 bytes (to tell "exactly at the bound" from "over it"). */
function readUpTo(fd: number, path: string, maxBytes: number, stream: boolean, deadlineMs: number): Buffer {
  const buffer = Buffer.alloc(Math.min(maxBytes + 1, 64 * 1024));
  const chunks: Buffer[] = [];
  let total = 0;
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buffer, 0, Math.min(buffer.length, maxBytes + 1 - total), null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (stream && code === 'EAGAIN') {
        if (Date.now() > deadline) throw new FileReadError(path, 'timeout', `gave no end of data within ${deadlineMs / 1000} s`);
        sleepSync(10);
        continue;
      }
      throw osError(path, error);
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buffer.subarray(0, n)));
    total += n;
    if (total > maxBytes) throw tooLarge(path, maxBytes);
  }
  return Buffer.concat(chunks, total);
}

/**
 * The file's bytes, at most `maxBytes` of them. Throws FileReadError naming the
 * problem (never the content): missing, denied, too large, not a regular file, a link.
 */
export function readBounded(path: string, options: ReadBoundedOptions): Buffer {
  const deadlineMs = options.deadlineMs ?? STREAM_DEADLINE_MS;
  let before: Stats | undefined;
  if (options.mode === 'own') {
    try {
      before = lstatSync(path);
    } catch (error) {
      throw osError(path, error);
    }
    if (before.isSymbolicLink()) throw new FileReadError(path, 'link', 'is a symbolic link (the agent does not follow links for its own files)');
    if (!before.isFile()) throw new FileReadError(path, 'not-a-file', `is ${kindOf(before)}, not a regular file`, before.isDirectory() ? 'EISDIR' : undefined);
    if (before.size > options.maxBytes) throw tooLarge(path, options.maxBytes);
  }
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | O_NONBLOCK | (options.mode === 'own' ? O_NOFOLLOW : 0));
  } catch (error) {
    throw osError(path, error);
  }
  try {
    const stats = fstatSync(fd);
    if (before !== undefined && (stats.ino !== before.ino || stats.dev !== before.dev)) {
      throw new FileReadError(path, 'io', 'was replaced while being opened');
    }
    if (stats.isFile()) {
      if (stats.size > options.maxBytes) throw tooLarge(path, options.maxBytes);
      return readUpTo(fd, path, options.maxBytes, false, deadlineMs);
    }
    if (options.mode === 'given' && (stats.isFIFO() || stats.isCharacterDevice())) {
      return readUpTo(fd, path, options.maxBytes, true, deadlineMs);
    }
    throw new FileReadError(path, 'not-a-file', `is ${kindOf(stats)}, not a regular file`, stats.isDirectory() ? 'EISDIR' : undefined);
  } finally {
    closeSync(fd);
  }
}

/** readBounded as UTF-8 text. */
export function readBoundedText(path: string, options: ReadBoundedOptions): string {
  return readBounded(path, options).toString('utf8');
}
