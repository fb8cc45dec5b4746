// Writes a file atomically without blocking the event loop: a temp file in the
// same directory is written, fsynced and closed, then renamed over the target —
// every step through fs.promises, so the slow part (fsync) runs on libuv's
// thread pool. A reader sees the old file or the new one, never a partial one;
// a process killed mid-write leaves only the temp file (`<name>.tmp-…`, the
// pattern removeAbandonedTempFiles() cleans up). writeFileAtomicSync() does the same
// synchronously, for process exit, where only synchronous I/O still runs.
import { chmodSync, closeSync, fstatSync, fsyncSync, lstatSync, mkdirSync, openSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import { basename, dirname } from 'node:path';

/** The part of node:fs/promises the write uses; tests hand in a slowed or failing one. */
export type AtomicWriteFs = Pick<typeof fsPromises, 'open' | 'rename' | 'unlink' | 'mkdir' | 'lstat' | 'realpath' | 'stat'>;

/** Temp files are `<file>.tmp-<10 timestamp digits><6 hex>`: the same shape conf's atomically uses. */
export function tempPathFor(filePath: string, now: number = Date.now(), random: () => number = Math.random): string {
  const stamp = String(now).slice(-10);
  const noise = Math.floor(random() * 0x1000000).toString(16).padStart(6, '0');
  return `${filePath}.tmp-${stamp}${noise}`;
}

/** Whether `name` is a temp file of a write to `filePath` (a leftover when old). */
export function isTempFileOf(filePath: string, name: string): boolean {
  return name.startsWith(`${basename(filePath)}.tmp-`);
}

/** A symlink at the path is written through (as conf does), so the link itself survives. */
async function targetOf(filePath: string, fs: AtomicWriteFs): Promise<string> {
  try {
    if (!(await fs.lstat(filePath)).isSymbolicLink()) return filePath;
    return await fs.realpath(filePath);
  } catch {
    return filePath; // absent (first write) or a dangling link: write at the path itself
  }
}

/**
 * Writes `data` to `filePath` atomically and durably; resolves with the file's mtime (ms).
 * The file keeps the mode it had (as conf's write does); a new file gets 0o666 less the umask.
 * The directory is created when missing (as conf does). On failure the temp file is removed
 * and the error (with its `code`) is thrown; the target is untouched.
 */
export async function writeFileAtomic(filePath: string, data: string, fs: AtomicWriteFs = fsPromises): Promise<number> {
  const target = await targetOf(filePath, fs);
  await fs.mkdir(dirname(target), { recursive: true });
  let mode: number | undefined;
  try {
    mode = (await fs.stat(target)).mode & 0o7777;
  } catch {
    mode = undefined; // a new file
  }
  const temp = tempPathFor(target);
  const handle = await fs.open(temp, 'wx', mode ?? 0o666);
  let renamed = false;
  try {
    if (mode !== undefined) await handle.chmod(mode); // exactly the old mode, whatever the umask
    await handle.writeFile(data, 'utf8');
    await handle.sync();
    const { mtimeMs } = await handle.stat();
    await handle.close();
    await fs.rename(temp, target);
    renamed = true;
    return mtimeMs;
  } finally {
    if (!renamed) {
      await handle.close().catch(() => undefined);
      await fs.unlink(temp).catch(() => undefined);
    }
  }
}

/** writeFileAtomic(), synchronously (at process exit): the same temp file, mode, fsync and rename. */
export function writeFileAtomicSync(filePath: string, data: string): number {
  let target = filePath;
  try {
    if (lstatSync(filePath).isSymbolicLink()) target = realpathSync(filePath);
  } catch {
    // absent (first write) or a dangling link: write at the path itself
  }
  mkdirSync(dirname(target), { recursive: true });
  let mode: number | undefined;
  try {
    mode = statSync(target).mode & 0o7777;
  } catch {
    mode = undefined;
  }
  const temp = tempPathFor(target);
  const fd = openSync(temp, 'wx', mode ?? 0o666);
  let open = true;
  let renamed = false;
  try {
    if (mode !== undefined) chmodSync(temp, mode);
    writeFileSync(fd, data, 'utf8');
    fsyncSync(fd);
    const { mtimeMs } = fstatSync(fd);
    open = false;
    closeSync(fd);
    renameSync(temp, target);
    renamed = true;
    return mtimeMs;
  } finally {
    if (open) closeSync(fd);
    if (!renamed) rmSync(temp, { force: true });
  }
}
