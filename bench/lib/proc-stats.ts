// CPU and memory of a process as the kernel accounts them, read from /proc
// (Linux). process.cpuUsage() covers this process's threads; the children's
// CPU (cutime + cstime) only appears once the kernel has reaped them, i.e.
// after the parent waited for them — every child_process API does.
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ: 100 on every Linux ABI Node runs on). */
export const CLOCK_TICKS_PER_SECOND = 100;

export interface ProcCpu {
  /** utime + stime of the process (all threads), ms. */
  ownMs: number;
  /** cutime + cstime: CPU of children that were waited for, ms. */
  childrenMs: number;
}

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number | 'self'): string[] {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).trim().split(' ');
}

/** CPU of a process from /proc/<pid>/stat (10 ms resolution). */
export function procCpu(pid: number | 'self' = 'self'): ProcCpu {
  const fields = statFields(pid);
  // Fields after ")" start at field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
  const tick = (field: number) => Number(fields[field - 3]) * (1000 / CLOCK_TICKS_PER_SECOND);
  return { ownMs: tick(14) + tick(15), childrenMs: tick(16) + tick(17) };
}

export interface ProcMemory {
  /** VmRSS: every resident page, the shared file-backed pages of the node binary included, MiB. */
  rssMb: number;
  /** RssAnon: the process's anonymous resident memory (heap, malloc), MiB. */
  anonMb: number;
  /** RssFile: resident pages of mapped files (mostly the node executable, shared by every node process), MiB. */
  fileMb: number;
  /**
   * Private_Clean + Private_Dirty from /proc/<pid>/smaps_rollup (the USS): what the process alone
   * holds, freed when it exits — anonymous memory and the file pages no other process maps. MiB.
   */
  privateMb: number;
  /** Pss from smaps_rollup: private memory plus each shared page divided by the processes sharing it, MiB. */
  pssMb: number;
}

function kbField(text: string, name: string): number {
  return Number(new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(text)?.[1] ?? Number.NaN) / 1024;
}

/** Resident memory from /proc/<pid>/status and smaps_rollup, or undefined once the process is gone. */
export function procMemory(pid: number | 'self' = 'self'): ProcMemory | undefined {
  let status: string;
  let rollup: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
    rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  } catch {
    return undefined;
  }
  return {
    rssMb: kbField(status, 'VmRSS'), anonMb: kbField(status, 'RssAnon'), fileMb: kbField(status, 'RssFile'),
    privateMb: kbField(rollup, 'Private_Clean') + kbField(rollup, 'Private_Dirty'), pssMb: kbField(rollup, 'Pss'),
  };
}

/** This process's CPU in ms (all threads) with microsecond resolution. */
export function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Children's CPU in ms (reaped children only). */
export function childrenCpuMs(): number {
  return procCpu('self').childrenMs;
}
