// Durable sync state in `<stateDir>/state.json`, read through a small Conf-like
// file accessor (state-file.ts: bounded, no links followed, regular files only); the
// Electron shell may hand in its own electron-store instance instead (a Conf subclass):
// anything with Conf's `path` and `store` accessors works.
//
// Failure policy: a corrupt, oversized or non-regular file is moved aside — never read —
// and the agent starts fresh (so everything is re-sent): state-file.ts. A directory that
// cannot be written leaves the agent running from memory with a warning. Nothing here
// throws at the engine.
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
// Write policy (write-policy.ts, pure): the file is written only when something durable
// changed (what the server acknowledged, desired values, the error, identity, static
// facts: see VOLATILE_FIELDS for what is not). The volatile rest — chart samples, history,
// attempt/success times — rides along with the next durable write, is written when
// it is older than `volatileFlushMs` (so `device-agent status` from another process
// is at most that stale), when the same state is saved twice in a row, on flush()
// (the engine's stop), and at process exit. A kill -9 loses at most that much
// history and the write in flight, never an acknowledgement already on disk.
import { accessSync, constants, existsSync, lstatSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ensurePrivateDir } from '../files/private-files.ts';
import { quarantineIfCorrupt, readState, removeAbandonedTempFiles, STATE_FILE_NAME, stateFile, type ConfLike, type Quarantined } from './state-file.ts';
import { emptySyncState, stateText } from './sync-state.ts';
import type { SyncState } from './sync-state.ts';
import { writeFileAtomic, writeFileAtomicSync } from './write-file-atomic.ts';
import type { AtomicWriteFs } from './write-file-atomic.ts';
import { DEFAULT_VOLATILE_FLUSH_MS, durableText, keepBack } from './write-policy.ts';
import { processExitWrites, type ExitWrites } from './exit-writes.ts';

// The store's API as callers know it: the file's names and checks live in state-file.ts,
// what is durable and when to write in write-policy.ts.
export { quarantineIfCorrupt, removeAbandonedTempFiles, STALE_TEMP_MS, STATE_FILE_NAME, STATE_MAX_BYTES, type ConfLike } from './state-file.ts';

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
  /** Where the store registers its write at exit (default: the process's own, on 'exit'). */
  exitWrites?: ExitWrites;
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
  const exitWrites = options.exitWrites ?? processExitWrites();
  const self = {};
  /** The text (and its durable part) of the newest write started or queued: what the file holds once writes land. */
  let scheduled = stateText(state);
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
    exitWrites.remove(flushAtExitIfLatest);
    exitWrites.release(path, self);
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
    exitWrites.claim(path, self);
    exitWrites.add(flushAtExitIfLatest);
    inFlight ??= drain();
    return true;
  };

  function flushAtExitIfLatest(): void {
    if (conf === undefined || (keptSince === undefined && inFlight === undefined)) return;
    // Not when another store in this process saved the file after us (a restart in the same
    // process), nor over another process's newer file, nor into a directory removed meanwhile
    // (the write would recreate it). A write in flight may have renamed already: it was ours.
    if (!exitWrites.isLatest(path, self) || !existsSync(dirname(path))) return;
    if (inFlight === undefined && fileTime() !== ourFileTime) return;
    try {
      if (options.conf === undefined) writeFileAtomicSync(path, stateText(state));
      else conf.store = JSON.parse(stateText(state)) as Record<string, unknown>;
    } catch {
      // exiting: nowhere left to report it
    }
  }

  return {
    path,
    load: () => structuredClone(state),
    save(next) {
      const text = stateText(next);
      const again = text === lastSaved;
      lastSaved = text;
      if (conf !== undefined) exitWrites.claim(path, self);
      if (text === scheduled && writeWarning === undefined) {
        keptSince = undefined;
        settleIfIdle();
        return false;
      }
      state = structuredClone(next);
      if (conf === undefined) return false;
      const at = now();
      // The same state saved twice in a row is written.
      if (keepBack({ again, writeFailed: writeWarning !== undefined, sameDurable: durableText(next) === scheduledDurable, keptSince, now: at, volatileFlushMs })) {
        keptSince ??= at;
        exitWrites.add(flushAtExitIfLatest);
        return false;
      }
      return schedule(text);
    },
    async flush() {
      // Kept-back changes queue behind a write in flight; after a failure, the state is tried again.
      if (conf !== undefined && (keptSince !== undefined || (writeWarning !== undefined && inFlight === undefined))) {
        schedule(stateText(state));
      }
      while (inFlight !== undefined) await inFlight;
    },
    warnings: () => [corruptWarning, writeWarning].filter((w): w is string => w !== undefined),
  };
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}

function cannotSave(path: string, error: unknown): string {
  return `The agent state cannot be saved to ${path} (${errorCode(error)}); syncing continues from memory, and values will be re-sent after a restart.`;
}

