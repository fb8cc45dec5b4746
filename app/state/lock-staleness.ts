// Whether a lock's owner can still be running (see lock.ts for the lock itself): the
// owner file's shape, the facts about this machine and its processes the judgement needs
// (tests replace parts), and the judgement.
//
// Stale = its owner cannot be running: a different boot of this machine (boot id, or the
// boot time where there is no boot id), a pid that does not exist, or a pid that exists
// but started at another time (reused). A pid of another user (EPERM) is live. A lock
// from another host is live when the directory is on a network file system (that host
// may be running), and stale after a reboot when the directory is local. An owner file
// that cannot be read is given a grace period (its writer may have died mid-write, or
// the disk lost it in a crash).
import { hostname } from 'node:os';
import { z } from 'zod';
import { bootId, bootTimeMs, isLocalFileSystem, pidNamespace, probePid, processStartTicks } from './process-facts.ts';
import type { PidState } from './process-facts.ts';

/** Without a boot id, a lock started this long before the boot time is from an earlier boot (the uptime is coarse and clocks move). */
export const BOOT_TIME_MARGIN_MS = 10 * 60_000;

export const ownerSchema = z.object({
  pid: z.number().int().positive(),
  host: z.string().max(256),
  startedAt: z.number(),
  token: z.string().max(128),
  bootId: z.string().max(128).optional(),
  pidStart: z.string().max(32).optional(),
  pidNs: z.string().max(128).optional(),
});
export type LockOwner = z.infer<typeof ownerSchema>;

/** What the staleness test needs to know about this machine and its processes (tests replace parts). */
export interface LockFacts {
  host: string;
  pid: number;
  bootId: string | undefined;
  pidNs: string | undefined;
  bootTimeMs: number;
  probePid(pid: number): PidState;
  pidStart(pid: number): string | undefined;
  /** Whether the state directory is on a local file system (undefined: unknown, treated as local). */
  isLocal(dir: string): boolean | undefined;
  now(): number;
}

export function realFacts(overrides: Partial<LockFacts> = {}): LockFacts {
  return {
    host: hostname(),
    pid: process.pid,
    bootId: bootId(),
    pidNs: pidNamespace(),
    bootTimeMs: bootTimeMs(),
    probePid,
    pidStart: processStartTicks,
    isLocal: isLocalFileSystem,
    now: Date.now,
    ...overrides,
  };
}

/** Tokens of the locks this process holds: a lock naming our own pid is live only if it is one of these. */
export const heldTokens = new Set<string>();

/** Why `owner` is stale, or undefined when it may be live. */
export function staleReason(owner: LockOwner, stateDir: string, facts: LockFacts): string | undefined {
  const sameHost = owner.host === facts.host;
  const sameBoot = owner.bootId !== undefined && facts.bootId !== undefined ? owner.bootId === facts.bootId : undefined;
  if (sameBoot === false) {
    // Another boot id: this machine rebooted, or another machine wrote it.
    if (sameHost) return 'left before the machine restarted';
    return facts.isLocal(stateDir) === false ? undefined : 'left by another host name before this boot, in a local folder';
  }
  if (sameBoot === undefined) {
    if (!sameHost && facts.isLocal(stateDir) === false) return undefined;
    if (owner.startedAt < facts.bootTimeMs - BOOT_TIME_MARGIN_MS) return 'started before the machine restarted';
  }
  // Same boot (or as far as can be told): the pid decides, in the same pid namespace only.
  if (owner.pidNs !== undefined && facts.pidNs !== undefined && owner.pidNs !== facts.pidNs) return undefined;
  if (owner.pid === facts.pid) return heldTokens.has(owner.token) ? undefined : 'left by an earlier agent with this process\'s pid';
  const state = facts.probePid(owner.pid);
  if (state === 'dead') return `pid ${owner.pid} is not running`;
  if (state === 'other-user') return undefined;
  if (owner.pidStart !== undefined) {
    const now = facts.pidStart(owner.pid);
    if (now !== undefined && now !== owner.pidStart) return `pid ${owner.pid} now belongs to another process`;
  }
  return undefined;
}
