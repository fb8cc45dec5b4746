// What of the sync state is durable and when a save is written (pure: no I/O, no clock of
// its own). The file is written only when something durable changed (what the server
// acknowledged, desired values, the error, identity, static facts); the volatile rest —
// chart samples, history, attempt/success times — rides along with the next durable
// write, or is written when it was kept back longer than the flush age, when the same
// state is saved twice in a row, or after a failed write.
import type { SyncState } from './sync-state.ts';

/** Fields that change every cycle and that neither the server nor the next run needs to be exact. */
export const VOLATILE_FIELDS = ['samples', 'history', 'lastAttemptAt', 'lastSuccessAt'] as const satisfies readonly (keyof SyncState)[];

export const DEFAULT_VOLATILE_FLUSH_MS = 60 * 60_000;

/** The state without its volatile fields, as JSON: two states with the same durable text need no write. */
export function durableText(state: SyncState): string {
  const durable: Partial<SyncState> = { ...state };
  for (const field of VOLATILE_FIELDS) delete durable[field];
  return JSON.stringify(durable);
}

export interface KeepBackFacts {
  /** The same state was saved twice in a row. */
  again: boolean;
  /** The last write failed. */
  writeFailed: boolean;
  /** The durable part equals what the newest write started or queued holds. */
  sameDurable: boolean;
  /** When the oldest change not yet on disk was kept back (undefined: nothing is). */
  keptSince: number | undefined;
  now: number;
  volatileFlushMs: number;
}

/** True when a save need not be written now: only volatile fields changed, and not for too long. */
export function keepBack(facts: KeepBackFacts): boolean {
  return !facts.again && !facts.writeFailed && facts.sameDurable
    && (facts.keptSince === undefined || facts.now - facts.keptSince < facts.volatileFlushMs);
}
