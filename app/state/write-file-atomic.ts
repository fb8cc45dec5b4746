// Writes a file atomically without blocking the event loop: a temp file in the
// same directory is written, fsynced and closed, then renamed over the target —
// every step through fs.promises, so the slow part (fsync) runs on libuv's
// thread pool. A reader sees the old file or the new one, never a partial one;
// a process killed mid-write leaves only the temp file (`<name>.tmp-…`, the
// pattern removeAbandonedTempFiles() cleans up).
//
// The agent's files are private and its own: the file is 0600 whatever the umask,
// and a symbolic link at the path is replaced, never written through (the temp file
// is created with O_EXCL, which does not follow links, and rename() replaces the
// link itself). A folder that is missing is created 0700.
import { closeSync, fchmodSync, fstatSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { ensurePrivateDir, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../files/private-files.ts';

/** The part of node:fs/promises the write uses; tests hand in a slowed or failing one. */
export type AtomicWriteFs = Pick<typeof fsPromises, 'open' | 'rename' | 'unlink' | 'mkdir'>;

/** Temp files are `<file>.tmp-<10 timestamp digits><6 hex>`. */
export function tempPathFor(filePath: string, now: number = Date.now(), random: () => number = Math.random): string {
  const stamp = String(now).slice(-10);
  const noise = Math.floor(random() * 0x1000000).toString(16).padStart(6, '0');
  return `${filePath}.tmp-${stamp}${noise}`;
}

/** Whether `name` is a temp file of a write to `filePath` (a leftover when old). */
export function isTempFileOf(filePath: string, name: string): boolean {
  return name.startsWith(`${basename(filePath)}.tmp-`);
}

/**
 * Writes `data` to `filePath` atomically and durably; resolves with the file's mtime (ms).
 * On failure the temp file is removed and the error (with its `code`) is thrown; the target
 * is untouched.
 */
export async function writeFileAtomic(filePath: string, data: string, fs: AtomicWriteFs = fsPromises): Promise<number> {
  await fs.mkdir(dirname(filePath), { recursive: true, mode: PRIVATE_DIR_MODE });
  const temp = tempPathFor(filePath);
  const handle = await fs.open(temp, 'wx', PRIVATE_FILE_MODE);
  let renamed = false;
  try {
    if (process.platform !== 'win32') await handle.chmod(PRIVATE_FILE_MODE); // exactly, whatever the umask
    await handle.writeFile(data, 'utf8');
    await handle.sync();
    const { mtimeMs } = await handle.stat();
    await handle.close();
    await fs.rename(temp, filePath);
    renamed = true;
    return mtimeMs;
  } finally {
    if (!renamed) {
      await handle.close().catch(() => undefined);
      await fs.unlink(temp).catch(() => undefined);
    }
  }
}

/** writeFileAtomic for the moment of process exit, when only synchronous I/O still runs. */
export function writeFileAtomicSync(filePath: string, data: string): number {
  ensurePrivateDir(dirname(filePath));
  const temp = tempPathFor(filePath);
  const fd = openSync(temp, 'wx', PRIVATE_FILE_MODE);
  let renamed = false;
  let closed = false;
  try {
    if (process.platform !== 'win32') fchmodSync(fd, PRIVATE_FILE_MODE);
    writeSync(fd, data);
    fsyncSync(fd);
    const { mtimeMs } = fstatSync(fd);
    closeSync(fd);
    closed = true;
    renameSync(temp, filePath);
    renamed = true;
    return mtimeMs;
  } finally {
    if (!renamed) {
      if (!closed) try { closeSync(fd); } catch { /* closing after a failure */ }
      try { unlinkSync(temp); } catch { /* never created, or gone */ }
    }
  }
}
