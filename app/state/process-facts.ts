// Facts about processes and this boot that tell a live lock from a stale one:
// whether a pid exists (and is someone else's), when that process started, which
// boot of the machine this is, which pid namespace we are in, and whether a folder
// lives on a network file system. Linux has them all in /proc; elsewhere what is
// missing is undefined and the lock falls back to the boot time.
import { readlinkSync, realpathSync } from 'node:fs';
import { uptime } from 'node:os';
import { readBoundedText } from '../files/read-bounded.ts';

export type PidState = 'alive' | 'dead' | 'other-user';

/** Whether `pid` exists: EPERM means it exists but belongs to another user. */
export function probePid(pid: number): PidState {
  try {
    process.kill(pid, 0);
    return 'alive';
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM' ? 'other-user' : 'dead';
  }
}

function readProc(path: string, maxBytes = 64 * 1024): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return readBoundedText(path, { maxBytes, mode: 'given' });
  } catch {
    return undefined;
  }
}

/** The start time of `pid` in clock ticks since boot (/proc/<pid>/stat field 22), as text; undefined off Linux. */
export function processStartTicks(pid: number): string | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // The command name (field 2) is in parentheses and may itself hold spaces or ")".
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = fields[19]; // field 22 overall: 20th after the state field
  return ticks !== undefined && /^\d+$/.test(ticks) ? ticks : undefined;
}

let cachedBootId: string | null | undefined;
/** This boot's random id (/proc/sys/kernel/random/boot_id); undefined off Linux. */
export function bootId(): string | undefined {
  if (cachedBootId === undefined) {
    const text = readProc('/proc/sys/kernel/random/boot_id', 256)?.trim();
    cachedBootId = text !== undefined && /^[0-9a-f-]{16,64}$/.test(text) ? text : null;
  }
  return cachedBootId ?? undefined;
}

/** This process's pid namespace ("pid:[4026531836]"): pids are comparable only inside one. */
export function pidNamespace(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return undefined;
  }
}

/** When this machine booted (ms since the epoch, from the uptime: good to a second or so). */
export function bootTimeMs(now: number = Date.now()): number {
  return now - uptime() * 1000;
}

const NETWORK_FILE_SYSTEMS = new Set([
  'nfs', 'nfs4', 'cifs', 'smb3', 'smbfs', 'ncpfs', '9p', 'afs', 'ceph', 'glusterfs', 'lustre', 'gpfs', 'davfs', 'coda', 'ocfs2', 'gfs2',
]);

function unescapeMountPath(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/**
 * Whether `dir` is on a local file system: false for NFS, SMB, sshfs and the like (where
 * another machine may hold a lock in it), true for local ones, undefined when unknown
 * (off Linux, or /proc unreadable). `table` is /proc/self/mountinfo's text (tests pass their own).
 */
export function isLocalFileSystem(dir: string, table: string | undefined = readProc('/proc/self/mountinfo', 4 * 1024 * 1024)): boolean | undefined {
  if (table === undefined) return undefined;
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    return undefined;
  }
  let best: { mountPoint: string; fsType: string } | undefined;
  for (const line of table.split('\n')) {
    const [left, right] = line.split(' - ');
    if (left === undefined || right === undefined) continue;
    const mountPoint = unescapeMountPath(left.split(' ')[4] ?? '');
    const fsType = right.split(' ')[0] ?? '';
    const inside = real === mountPoint || real.startsWith(mountPoint.endsWith('/') ? mountPoint : `${mountPoint}/`);
    if (inside && (best === undefined || mountPoint.length >= best.mountPoint.length)) best = { mountPoint, fsType };
  }
  if (best === undefined) return undefined;
  const type = best.fsType;
  return !(NETWORK_FILE_SYSTEMS.has(type) || type.startsWith('fuse.sshfs') || type === 'fuse.rclone' || type === 'fuse.s3fs' || type.startsWith('nfs'));
}
