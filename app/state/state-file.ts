// The state file itself: where it is, how large it may be, and what is done with a bad one.
// A corrupt, oversized or non-regular file (a link, a FIFO...) is moved aside — never
// read — and the copies moved aside are capped (app/files/quarantine.ts); temp files left
// by a write that died are removed; the file is read through a small Conf-like accessor
// (bounded, no links followed, regular files only). Used by the store (state-store.ts)
// and, before electron-store opens the file, by the Electron shell.
import { lstatSync, readdirSync, renameSync, rmSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pruneQuarantine, quarantinePath } from '../files/quarantine.ts';
import { FileReadError, formatBytes, kindOf, readBoundedText } from '../files/read-bounded.ts';
import { emptySyncState, syncStateSchema } from './sync-state.ts';
import type { SyncState } from './sync-state.ts';
import { isTempFileOf, writeFileAtomicSync } from './write-file-atomic.ts';

export const STATE_FILE_NAME = 'state.json';

/** The largest state file read (a full one is well under 1 MiB: 100 variables × 3 maps, bounded history). */
export const STATE_MAX_BYTES = 4 * 1024 * 1024;

/** The part of Conf's API the store uses; electron-store instances satisfy it. */
export interface ConfLike {
  readonly path: string;
  store: Record<string, unknown>;
}

export interface Quarantined {
  /** Where the bad file was moved, or undefined when even the move failed (or it was removed). */
  movedTo?: string;
  /** True when the file was moved aside and then removed at once: larger than the copies kept may be together. */
  removed?: boolean;
  /** Why the file was refused, e.g. "not valid JSON". */
  reason: string;
}

/**
 * Checks a state file before anyone parses it for real. A file that is empty, not JSON, not
 * the state's shape, larger than `maxBytes`, or not a regular file at all (a symbolic link, a
 * FIFO, a device: never opened) is renamed to `<file>.corrupt-<timestamp>`, and the copies
 * moved aside are capped (pruneQuarantine: the newest 3, 16 MiB together). Returns undefined when the file is fine or absent.
 * The Electron shell runs it before constructing electron-store, which would otherwise throw
 * on the bad JSON.
 */
export function quarantineIfCorrupt(filePath: string, now: number = Date.now(), maxBytes: number = STATE_MAX_BYTES): Quarantined | undefined {
  let stats: Stats;
  try {
    stats = lstatSync(filePath);
  } catch {
    return undefined; // absent or not reachable: nothing to judge; a real problem shows when writing
  }
  let reason: string | undefined;
  if (stats.isSymbolicLink()) reason = 'it was a symbolic link, which the agent never follows for its own files';
  else if (stats.isDirectory()) return undefined; // cannot be moved out of the way safely; writes report it
  else if (!stats.isFile()) reason = `it was ${kindOf(stats)}, not a regular file`;
  else if (stats.size > maxBytes) reason = `it was larger than ${formatBytes(maxBytes)}`;
  else {
    try {
      reason = corruptionReason(readBoundedText(filePath, { maxBytes, mode: 'own' }));
    } catch (error) {
      if (!(error instanceof FileReadError) || error.problem === 'denied' || error.problem === 'missing') return undefined;
      reason = error.message;
    }
  }
  if (reason === undefined) return undefined;
  const movedTo = quarantinePath(filePath, now);
  try {
    renameSync(filePath, movedTo);
  } catch {
    return { reason };
  }
  const removed = pruneQuarantine(filePath);
  return removed.includes(basename(movedTo)) ? { reason, removed: true } : { movedTo, reason };
}

/** A temp file untouched this long belongs to a write that died (writes take milliseconds). */
export const STALE_TEMP_MS = 60_000;

/**
 * Removes `<file>.tmp-*` files that a process killed mid-write left behind (a write goes to
 * a temp file renamed over the state: writeFileAtomic, or writeFileAtomicSync at exit). Only old ones: a fresh one may be the running
 * agent's write in flight (`device-agent status` opens the store without the lock).
 * Returns the names removed; never throws.
 */
export function removeAbandonedTempFiles(filePath: string, now: number = Date.now()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dirname(filePath));
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!isTempFileOf(filePath, name)) continue;
    const path = join(dirname(filePath), name);
    try {
      if (now - lstatSync(path).mtimeMs < STALE_TEMP_MS) continue;
      rmSync(path, { force: true });
      removed.push(name);
    } catch {
      // gone already, or not ours to remove: leave it
    }
  }
  return removed;
}

function corruptionReason(text: string): string | undefined {
  if (text.trim() === '') return 'the file is empty';
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return 'the file is not valid JSON (truncated or damaged)';
  }
  return shapeProblem(data);
}

function shapeProblem(data: unknown): string | undefined {
  const parsed = syncStateSchema.safeParse(data);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? 'the file' : `field "${issue.path.join('.')}"`;
  return `${where}: ${issue?.message ?? 'unexpected shape'}`;
}

/** Reads and validates what the Conf instance holds; a bad store is moved aside and replaced by a fresh state. */
export function readState(conf: ConfLike, path: string, now: () => number, noteQuarantine: (q: Quarantined | undefined) => void): SyncState {
  let data: Record<string, unknown>;
  try {
    data = conf.store;
  } catch (error) {
    if ((error as { name?: string }).name !== 'SyntaxError') throw error;
    noteQuarantine(quarantineIfCorrupt(path, now()) ?? { reason: 'the file is not valid JSON (truncated or damaged)' });
    return emptySyncState();
  }
  if (Object.keys(data).length === 0) return emptySyncState();
  const parsed = syncStateSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  noteQuarantine(quarantineIfCorrupt(path, now()) ?? { reason: shapeProblem(data) ?? 'unexpected shape' });
  return emptySyncState();
}

/**
 * The agent's own state file as a Conf-like accessor: reading is bounded, follows no link and
 * opens only a regular file (what quarantineIfCorrupt let through); an absent file is an empty
 * store. Writing (used only at process exit) is atomic, private and replaces a link.
 */
export function stateFile(path: string): ConfLike {
  return {
    path,
    get store(): Record<string, unknown> {
      let text: string;
      try {
        text = readBoundedText(path, { maxBytes: STATE_MAX_BYTES, mode: 'own' });
      } catch (error) {
        if (error instanceof FileReadError && error.problem === 'missing') return {};
        throw error;
      }
      const data: unknown = JSON.parse(text); // a SyntaxError is a corrupt file
      return typeof data === 'object' && data !== null && !Array.isArray(data) ? data as Record<string, unknown> : { invalid: data };
    },
    set store(value: Record<string, unknown>) {
      writeFileAtomicSync(path, JSON.stringify(value));
    },
  };
}
