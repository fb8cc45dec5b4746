// What a cycle (cycle.ts and its steps) needs of the engine: the one Model, read and
// written in place through the host at the moment a step needs it, the ports, and the abort
// of stop(); and the small writes every step makes.
import type { Logger } from '../log/logger.ts';
import type { SyncState } from '../state/sync-state.ts';
import type { Model } from './engine-model.ts';
import { withLicenseFacts } from './engine-model.ts';
import type { CallOptions, Clock, CollectorPort, LicenseApiPort, LicenseFacts } from './ports.ts';

/** What the cycle needs of the engine: its model (read and written in place), its ports, and the abort of stop(). */
export interface CycleHost {
  model(): Model;
  update(change: (model: Model) => Model): void;
  client(): LicenseApiPort;
  collector(): CollectorPort;
  clock: Clock;
  log: Logger;
  /** Per-call options of this cycle: stop() aborts its requests. */
  callOptions(): CallOptions;
  /** stop() aborted this cycle's request. */
  cancelling(): boolean;
}

/** What a step of the cycle can end in instead of going on. */
export type StepOutcome = { stop: true; error: unknown } | { stop: false };
export const GO_ON: StepOutcome = { stop: false };

export function setState(host: CycleHost, change: (state: SyncState) => SyncState): void {
  host.update((m) => ({ ...m, state: change(m.state) }));
}

export function patch(host: CycleHost, change: Partial<Model>): void {
  host.update((m) => ({ ...m, ...change }));
}

export function recordLicense(host: CycleHost, facts: LicenseFacts, at: number): void {
  host.update((m) => withLicenseFacts(m, facts, at));
}
