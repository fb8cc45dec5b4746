// Durable sync state in `<stateDir>/state.json`, read through a small Conf-like
// file accessor (bounded, no links followed, regular files only); the Electron shell
// may hand in its own electron-store instance instead (a Conf subclass): anything
// with Conf's `path` and `store` accessors works.
//
// Failure policy: a corrupt, oversized or non-regular file (a link, a FIFO...) is
// moved aside — never read — and the agent starts fresh (so everything is re-sent);
// the copies moved aside are capped (app/files/quarantine.ts). A directory that cannot be written leaves the agent
// running from memory with a warning. Nothing here throws at the engine.
//
// Writes happen off the event loop. Conf's own write is synchronous (temp file,
// fsync, rename: 1-4 ms, tens of ms on a busy disk, a frozen tray in the Electron
// main process). So save() only serializes; writeFileAtomic() does the same temp +
// fsync + rename through fs.promises. One write is in flight at a time, and saves
// made meanwhile coalesce: only the latest is written after it. The synchronous
// writer runs only at process exit, where only synchronous I/O still runs.
// Conf 16 without its `cache` option (electron-store's default) re-reads the
// file on every `.store` access, so a handed-in instance sees what was written.
//
// Write policy: the file is written only when something durable changed (what the
// server acknowledged, desired values, the error, identity, static facts: see
// VOLATILE_FIELDS for what is not). The volatile rest — chart samples, history,
// attempt/success times — rides along with the next durable write, is written when
// it is older than `volatileFlushMs` (so `device-agent status` from another process
// is at most that stale), when the same state is saved twice in a row, on flush()
// (the engine's stop), and at process exit. A kill -9 loses at most that much
// history and the write in flight, never an acknowledgement already on disk.
import { accessSync, constants, existsSync, lstatSync, readdirSync, renameSync, rmSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ensurePrivateDir } from '../files/private-files.ts';
import { pruneQuarantine, quarantinePath } from '../files/quarantine.ts';
import { FileReadError, formatBytes, kindOf, readBoundedText } from '../files/read-bounded.ts';
import { emptySyncState, syncStateSchema } from './sync-state.ts';
import type { SyncState } from './sync-state.ts';
import { isTempFileOf, writeFileAtomic, writeFileAtomicSync } from './write-file-atomic.ts';
import type { AtomicWriteFs } from './write-file-atomic.ts';

export const STATE_FILE_NAME = 'state.json';

/** The largest state file read (a full one is well under 1 MiB: 100 variables × 3 maps, bounded history). */
export const STATE_MAX_BYTES = 4 * 1024 * 1024;

/** The part of Conf's API the store uses; electron-store instances satisfy it. */
export interface ConfLike {
  readonly path: string;
  store: Record<string, unknown>;
}

export interface StateStore {
  /** Where the state lives (even when it cannot currently be written). */
  readonly path: string;
  /** The state as opened: the persisted one, or a fresh one. */
  load(): SyncState;
  /**
   * Keeps `state` in memory, and starts (or queues behind the write in flight) a write of it
   * when a durable field differs from what was last written, the volatile ones are older than
   * the flush age, the last write failed, or the same state is saved twice in a row. Returns
   * true when a write was started or queued. Synchronous and never throws: a failed write
   * shows up in warnings().
   */
  save(state: SyncState): boolean;
  /** Writes what save() kept back, and resolves once no write is in flight or queued. Never rejects. */
  flush?(): Promise<void>;
  /** Problems worth showing in status (corrupt file moved aside, state not being saved). */
  warnings(): string[];
}

export interface OpenStateStoreOptions {
  stateDir: string;
  conf?: ConfLike;
  now?: () => number;
  /** Volatile-only changes are written at the latest this long after they were first kept back; default 1 h. */
  volatileFlushMs?: number;
  /** The file system the writes go through (node:fs/promises); tests slow it down or make it fail. */
  fs?: AtomicWriteFs;
}

/** Fields that change every cycle and that neither the server nor the next run needs to be exact. */
export const VOLATILE_FIELDS = ['samples', 'history', 'lastAttemptAt', 'lastSuccessAt'] as const satisfies readonly (keyof SyncState)[];

export const DEFAULT_VOLATILE_FLUSH_MS = 60 * 60_000;

/** The state without its volatile fields, as JSON: two states with the same durable text need no write. */
export function durableText(state: SyncState): string {
  const durable: Partial<SyncState> = { ...state };
  for (const field of VOLATILE_FIELDS) delete durable[field];
  return JSON.stringify(durable);
}

// Stores with state not yet on disk (kept back, queued or in flight) write it
// synchronously (writeFileAtomicSync) when the process exits (process.exit included): by
// then the async write can no longer finish. One listener for all of them.
const unflushed = new Set<() => void>();
let exitHookInstalled = false;
function flushAtExit(flush: () => void): void {
  unflushed.add(flush);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const f of unflushed) f();
  });
}

/** Per file, the store in this process that saved it last: at exit, only that one writes. */
const lastSaver = new Map<string, object>();

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

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}

export function openStateStore(options: OpenStateStoreOptions): StateStore {
  const now = options.now ?? Date.now;
  const path = options.conf?.path ?? join(options.stateDir, STATE_FILE_NAME);
  let corruptWarning: string | undefined;
  let writeWarning: string | undefined;

  const noteQuarantine = (q: Quarantined | undefined): void => {
    if (q === undefined) return;
    corruptWarning = q.removed
      ? `The saved state was unusable (${q.reason}); it was removed (too large to keep a copy) and the agent started fresh: it reads what the server holds and sends what differs.`
      : q.movedTo === undefined
        ? `The saved state ${path} was unusable (${q.reason}) and could not be moved aside; starting fresh: the agent reads what the server holds and sends what differs.`
        : `The saved state was unusable (${q.reason}); it was moved to ${q.movedTo} and the agent started fresh: it reads what the server holds and sends what differs.`;
  };

  let conf: ConfLike | undefined = options.conf;
  if (conf === undefined) {
    try {
      ensurePrivateDir(options.stateDir);
      noteQuarantine(quarantineIfCorrupt(path, now()));
      removeAbandonedTempFiles(path, now());
      conf = stateFile(path);
    } catch (error) {
      writeWarning = cannotSave(path, error);
    }
  }

  let state = emptySyncState();
  if (conf !== undefined) {
    try {
      state = readState(conf, path, now, noteQuarantine);
    } catch (error) {
      writeWarning = cannotSave(path, error);
      conf = undefined;
    }
  }
  if (conf !== undefined && options.conf === undefined) {
    // Say so now rather than at the first durable write (which may be hours away).
    try {
      accessSync(options.stateDir, constants.W_OK);
    } catch (error) {
      writeWarning = cannotSave(path, error);
    }
  }
  const volatileFlushMs = options.volatileFlushMs ?? DEFAULT_VOLATILE_FLUSH_MS;
  const fs = options.fs;
  const self = {};
  /** The text (and its durable part) of the newest write started or queued: what the file holds once writes land. */
  let scheduled = JSON.stringify(state);
  let scheduledDurable = durableText(state);
  let lastSaved = scheduled;
  /** When the oldest change not yet on disk was kept back; undefined when nothing is kept back. */
  let keptSince: number | undefined;
  /** The write in flight (it also writes what is queued), and the newest text queued behind it. */
  let inFlight: Promise<void> | undefined;
  let queued: string | undefined;
  const fileTime = (): number | undefined => {
    try {
      return lstatSync(path).mtimeMs;
    } catch {
      return undefined;
    }
  };
  /** The file's mtime after our last write (or at open): another writer since then means ours is not the latest. */
  let ourFileTime = fileTime();

  const settleIfIdle = (): void => {
    if (inFlight !== undefined || keptSince !== undefined) return;
    unflushed.delete(flushAtExitIfLatest);
    if (lastSaver.get(path) === self) lastSaver.delete(path);
  };

  const drain = async (): Promise<void> => {
    while (queued !== undefined) {
      const text = queued;
      queued = undefined;
      try {
        ourFileTime = await writeFileAtomic(path, text, fs);
        writeWarning = undefined;
      } catch (error) {
        writeWarning = cannotSave(path, error);
      }
    }
    inFlight = undefined;
    settleIfIdle();
  };

  /** Queues `text` (replacing anything queued but not started) and starts writing unless a write is in flight. */
  const schedule = (text: string): true => {
    scheduled = text;
    scheduledDurable = durableText(state);
    keptSince = undefined;
    queued = text;
    lastSaver.set(path, self);
    flushAtExit(flushAtExitIfLatest);
    inFlight ??= drain();
    return true;
  };

  function flushAtExitIfLatest(): void {
    if (conf === undefined || (keptSince === undefined && inFlight === undefined)) return;
    // Not when another store in this process saved the file after us (a restart in the same
    // process), nor over another process's newer file, nor into a directory removed meanwhile
    // (the write would recreate it). A write in flight may have renamed already: it was ours.
    if (lastSaver.get(path) !== self || !existsSync(dirname(path))) return;
    if (inFlight === undefined && fileTime() !== ourFileTime) return;
    try {
      if (options.conf === undefined) writeFileAtomicSync(path, JSON.stringify(state));
      else conf.store = JSON.parse(JSON.stringify(state)) as Record<string, unknown>;
    } catch {
      // exiting: nowhere left to report it
    }
  }

  return {
    path,
    load: () => structuredClone(state),
    save(next) {
      const text = JSON.stringify(next);
      const again = text === lastSaved;
      lastSaved = text;
      if (conf !== undefined) lastSaver.set(path, self);
      if (text === scheduled && writeWarning === undefined) {
        keptSince = undefined;
        settleIfIdle();
        return false;
      }
      state = structuredClone(next);
      if (conf === undefined) return false;
      const at = now();
      // The same state saved twice in a row is written.
      const keepBack = !again && writeWarning === undefined && durableText(next) === scheduledDurable
        && (keptSince === undefined || at - keptSince < volatileFlushMs);
      if (keepBack) {
        keptSince ??= at;
        flushAtExit(flushAtExitIfLatest);
        return false;
      }
      return schedule(text);
    },
    async flush() {
      // Kept-back changes queue behind a write in flight; after a failure, the state is tried again.
      if (conf !== undefined && (keptSince !== undefined || (writeWarning !== undefined && inFlight === undefined))) {
        schedule(JSON.stringify(state));
      }
      while (inFlight !== undefined) await inFlight;
    },
    warnings: () => [corruptWarning, writeWarning].filter((w): w is string => w !== undefined),
  };
}

function cannotSave(path: string, error: unknown): string {
  return `The agent state cannot be saved to ${path} (${errorCode(error)}); syncing continues from memory, and values will be re-sent after a restart.`;
}

/** Reads and validates what the Conf instance holds; a bad store is moved aside and replaced by a fresh state. */
function readState(conf: ConfLike, path: string, now: () => number, noteQuarantine: (q: Quarantined | undefined) => void): SyncState {
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
function stateFile(path: string): ConfLike {
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
