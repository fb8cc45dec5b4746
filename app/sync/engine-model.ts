// The sync engine's state as one record (issue 14): everything the engine knows that is
// plain data. step() (engine-step.ts) and cycleStep() (cycle-step.ts) take it and return a new one;
// the interpreter (engine.ts) holds the one current Model beside what is not data — timer
// handles, the promise of the cycle in flight, its AbortController, the listeners, the ports.
import type { AgentStatus, CollectorFailure, LicenseStateView, SyncTrigger } from '../agent-api.ts';
import type { SyncState } from '../state/sync-state.ts';
import type { CycleRun } from './cycle-phase.ts';
import type { EngineOptions } from './engine-options.ts';
import { isLicenseCode } from './license-check.ts';
import { licenseRecord, licenseView, licenseViewAt } from './license-state.ts';
import type { LicenseFacts } from './ports.ts';
import type { ScheduleState } from './schedule.ts';

export interface Model {
  options: EngineOptions;
  /** What is persisted (the store keeps a copy; every change is saved by an effect). */
  state: SyncState;
  sched: ScheduleState;
  /** Static facts are collected next cycle (at every start, until start() or a cycle did). */
  staticDue: boolean;
  /** Collector failures of a static collection made by start(): the first cycle reports them. */
  startFailures: readonly CollectorFailure[];
  /** No cycle has finished since this engine was made: the status is what the last run left. */
  restored: boolean;
  /** Cycles begun (a start's decision stands only if none began while it was collecting). */
  cyclesBegun: number;
  /** Why the first cycle comes when it does, until it begins. */
  firstSync: AgentStatus['firstSync'];
  collectorFailures: readonly CollectorFailure[];
  paused: boolean;
  started: boolean;
  stopped: boolean;
  syncing: boolean;
  /** A cycle timer is armed (the interpreter holds its handle). */
  timerArmed: boolean;
  nextSyncAt: number | undefined;
  /** The trigger a debounced burst runs as; set while the debounce timer is armed. */
  pendingTrigger: SyncTrigger | undefined;
  /** Names sent in a request whose fate is unknown (in-doubt.ts). */
  inDoubt: ReadonlySet<string>;
  /** In-doubt names already read back once: read back once more a cycle later (a late copy of the request may still land). */
  recheck: ReadonlySet<string>;
  /** What the server last said about the license (check_license or an activation). */
  license: LicenseStateView | undefined;
  lastLicenseCheckAt: number | undefined;
  licenseCheckDue: boolean;
  /** Set by deactivate(): the headline says so while paused. */
  deactivated: boolean;
  /** The cycle in flight, its phase and what it learnt so far (cycle-step.ts); absent between cycles. */
  cycle: CycleRun | undefined;
}

/** The model of a new engine over the persisted state, at `now`. */
export function initialModel(options: EngineOptions, state: SyncState, now: number): Model {
  return {
    options,
    state,
    sched: { attempt: 0 },
    staticDue: true,
    startFailures: [],
    restored: true,
    cyclesBegun: 0,
    firstSync: undefined,
    collectorFailures: [],
    paused: false,
    started: false,
    stopped: false,
    syncing: false,
    timerArmed: false,
    nextSyncAt: undefined,
    pendingTrigger: undefined,
    inDoubt: new Set<string>(),
    recheck: new Set<string>(),
    license: state.license && licenseViewAt(state.license, now),
    lastLicenseCheckAt: state.license?.checkedAt,
    // At start (the daemon, the desktop app); for `once` only when the last run ended on the license.
    licenseCheckDue: options.checkLicenseAtStart !== false || (state.lastError !== undefined && isLicenseCode(state.lastError.code)),
    deactivated: false,
    cycle: undefined,
  };
}

/** What the server said about the license (check_license, an activation's reply), recorded at `at`. */
export function withLicenseFacts(model: Model, facts: LicenseFacts, at: number): Model {
  const license = licenseView(facts, at, model.license);
  return { ...model, license, lastLicenseCheckAt: at, licenseCheckDue: false, state: { ...model.state, license: licenseRecord(license) } };
}
