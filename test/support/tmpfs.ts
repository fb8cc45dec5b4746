// A small tmpfs of our own, for the disk faults that cannot be faked from inside the
// process: a disk that is full (ENOSPC at write time), a file system remounted read-only.
// Needs root and mount(8); where that is not possible, `tmpfsUnavailable` says why and the
// tests that need it skip.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function probe(): string | undefined {
  if (process.platform !== 'linux') return 'tmpfs mounts need Linux';
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root';
  const dir = mkdtempSync(join(tmpdir(), 'da-tmpfs-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    execFileSync('umount', [dir], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'mount(8) refused a tmpfs here (a container without CAP_SYS_ADMIN?)';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Why a tmpfs cannot be mounted here, or undefined when it can. */
export const tmpfsUnavailable: string | undefined = probe();

export interface Tmpfs {
  readonly path: string;
  /** Fills every free byte (writes then fail with ENOSPC; creating empty files and folders still works). */
  fill(): void;
  /** Frees what fill() took. */
  free(): void;
  remountReadOnly(): void;
  unmount(): void;
}

export function mountTmpfs(sizeKb = 1024): Tmpfs {
  const path = mkdtempSync(join(tmpdir(), 'da-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=0755`, 'tmpfs', path]);
  const filler = join(path, 'filler');
  return {
    path,
    fill() {
      try {
        writeFileSync(filler, Buffer.alloc(sizeKb * 1024));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      }
    },
    free() {
      rmSync(filler, { force: true });
    },
    remountReadOnly() {
      execFileSync('mount', ['-o', 'remount,ro', path]);
    },
    unmount() {
      try {
        execFileSync('umount', [path], { stdio: 'ignore' });
      } finally {
        rmSync(path, { recursive: true, force: true });
      }
    },
  };
}
