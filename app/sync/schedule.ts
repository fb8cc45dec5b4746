// When to try next. Pure: every function takes `random` (and state) as arguments, so
// bench/fleet simulates thousands of agents on a virtual clock with exactly this code.
import type { ErrorClass } from '../licenseapi/error-codes.ts';
import type { FirstSyncReason, SyncTrigger } from '../agent-api.ts';
import type { SyncState } from '../state/sync-state.ts';
import type { VariableMap } from '../variables.ts';
import { pendingVariables, sameValue } from './diff.ts';

export interface BackoffSettings {
  /** Longest retry delay (default 1 h); windows grow to half of it. */
  capMs: number;
  /** No retry sooner than this (default 1 s), whatever the draw. */
  floorMs: number;
}

export interface ScheduleSettings {
  intervalMs: number;
  /** Fraction of the interval each regular delay may vary by (default 0.1 = ±10 %). */
  jitter: number;
  backoff: BackoffSettings;
  /** How often a parked agent probes on its own (default 6 h). */
  parkedProbeMs: number;
}

export const DEFAULT_INTERVAL_MS = 15 * 60_000;
export const DEFAULT_BACKOFF: BackoffSettings = { capMs: 60 * 60_000, floorMs: 1_000 };
export const DEFAULT_PARKED_PROBE_MS = 6 * 60 * 60_000;
/** A server asking for more than a day is capped (a typo or a hostile proxy must not silence an agent forever). */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60_000;

export const DEFAULT_SCHEDULE: ScheduleSettings = {
  intervalMs: DEFAULT_INTERVAL_MS,
  jitter: 0.1,
  backoff: DEFAULT_BACKOFF,
  parkedProbeMs: DEFAULT_PARKED_PROBE_MS,
};

export type Random = () => number;

/** `ms` varied uniformly by ±`jitter` (a fraction). */
export function jittered(ms: number, jitter: number, random: Random): number {
  return Math.round(ms * (1 + jitter * (2 * random() - 1)));
}

/** The first run after start: uniform in [0, interval), so a fleet booting together spreads out. */
export function firstDelay(intervalMs: number, random: Random): number {
  return Math.floor(random() * intervalMs);
}

// ---------------------------------------------------------------------------
// The first cycle after a start. What the persisted state says decides how soon:
// the regular splay (up to one interval) spreads a fleet that starts together, and
// is kept for agents with nothing new to say; the rest go sooner, each class with a
// splay of its own. bench/fleet's login storm measures what this does to a server.

/** "Within seconds": a first start, a new configuration. */
export const SOON_SPLAY_MS = 5_000;
/** A static fact changed while the agent was off, or values were left unsent. */
export const SHORT_SPLAY_MS = 2 * 60_000;

/** How soon the first cycle comes: at once, within seconds, within the short splay, within one interval. */
export type FirstCycleKind = 'now' | 'soon' | 'short' | 'regular';

/** What a start knows when it decides (startFacts derives it from the persisted state). */
export interface StartFacts {
  /** Asked to sync at once (the desktop app's first run, the sandbox, the demo). */
  startImmediately: boolean;
  /** The persisted state holds nothing at all: no identity, no values, no attempt. */
  firstStart: boolean;
  /** The acknowledged values belong to another identity (server, credentials, device, license) or to none. */
  configurationChanged: boolean;
  /** The last run ended on a problem a person must solve (not a retryable one). */
  needsAttention: boolean;
  /** Desired values the server has not confirmed. */
  pendingCount: number;
  /** Static facts that differ from the persisted ones (restart noise left out); undefined: not collected. */
  changedStatic: readonly string[] | undefined;
}

export interface FirstCycle {
  kind: FirstCycleKind;
  reason: FirstSyncReason;
  delayMs: number;
}

export interface StartSplay {
  intervalMs: number;
  /** Default SOON_SPLAY_MS; never above the interval. */
  soonMs?: number;
  /** Default SHORT_SPLAY_MS; never above the interval. */
  shortMs?: number;
}

/** The class and its reason, without a delay; the first match wins. */
export function firstCycleClass(facts: StartFacts): { kind: FirstCycleKind; reason: FirstSyncReason } {
  if (facts.startImmediately) return { kind: 'now', reason: 'asked' };
  if (facts.firstStart) return { kind: 'soon', reason: 'first-start' };
  if (facts.configurationChanged) return { kind: 'soon', reason: 'configuration' };
  // Parked on a license or a setting: trying sooner would only fail sooner (and a whole fleet
  // with an expired license would fail together).
  if (facts.needsAttention) return { kind: 'regular', reason: 'attention' };
  if (facts.pendingCount > 0) return { kind: 'short', reason: 'pending' };
  if (facts.changedStatic !== undefined && facts.changedStatic.length > 0) return { kind: 'short', reason: 'static-changed' };
  return { kind: 'regular', reason: 'drift' };
}

/** True when only a fresh static collection can tell drift from a changed fact (the start collects them first). */
export function needsStaticProbe(facts: StartFacts): boolean {
  return facts.changedStatic === undefined && firstCycleClass(facts).reason === 'drift';
}

/** When the first cycle after a start runs: one draw from `random` (none for `now`). */
export function firstCycle(facts: StartFacts, splay: StartSplay, random: Random): FirstCycle {
  const { kind, reason } = firstCycleClass(facts);
  const window = (ms: number) => Math.min(Math.max(0, ms), splay.intervalMs);
  switch (kind) {
    case 'now': return { kind, reason, delayMs: 0 };
    case 'soon': return { kind, reason, delayMs: Math.floor(random() * window(splay.soonMs ?? SOON_SPLAY_MS)) };
    case 'short': return { kind, reason, delayMs: Math.floor(random() * window(splay.shortMs ?? SHORT_SPLAY_MS)) };
    case 'regular': return { kind, reason, delayMs: firstDelay(splay.intervalMs, random) };
  }
}

/** The static facts collected now that differ from the persisted ones: new or changed names, noise left out (a name missing now is a failed collector, not news). */
export function changedStaticFacts(persisted: VariableMap, now: VariableMap, noise: ReadonlySet<string>): string[] {
  return Object.keys(now)
    .filter((name) => !noise.has(name) && (!Object.hasOwn(persisted, name) || !sameValue(persisted[name], now[name])))
    .sort();
}

/** The part of the persisted state a start decides from. */
export type StartState = Pick<SyncState, 'desired' | 'acknowledged' | 'identityHash' | 'staticValues' | 'lastAttemptAt' | 'lastSuccessAt' | 'lastError'>;

/**
 * What a start knows, from the persisted state, the identity it runs as now (a hash: see
 * engine.ts identityHash) and, when collected, the static facts of this start. Pure.
 */
export function startFacts(
  state: StartState,
  current: { identityHash: string; startImmediately: boolean; staticNow?: VariableMap | undefined; noise: ReadonlySet<string> },
): StartFacts {
  const firstStart = state.identityHash === undefined && state.lastAttemptAt === undefined && state.lastSuccessAt === undefined
    && Object.keys(state.desired).length === 0 && Object.keys(state.acknowledged).length === 0;
  return {
    startImmediately: current.startImmediately,
    firstStart,
    configurationChanged: state.identityHash !== current.identityHash,
    needsAttention: state.lastError !== undefined && state.lastError.errorClass !== 'retryable',
    pendingCount: Object.keys(pendingVariables(state.desired, state.acknowledged)).length,
    changedStatic: current.staticNow === undefined ? undefined : changedStaticFacts(state.staticValues, current.staticNow, current.noise),
  };
}

/** The next regular run: interval ± jitter. */
export function regularDelay(settings: Pick<ScheduleSettings, 'intervalMs' | 'jitter'>, random: Random): number {
  return jittered(settings.intervalMs, settings.jitter, random);
}

/**
 * Backoff after a retryable failure, built for a fleet: the window starts at one
 * interval and doubles per consecutive failure up to half the cap, and the delay is
 * drawn uniformly over [window, 2 × window]. No retry comes sooner than the regular
 * rhythm, so when a server comes back the agents that failed during its outage
 * return spread over a whole interval instead of within seconds of each other
 * (bench/fleet measures this: fast first retries of 15 s, 30 s, 1 min gave 4.3× the
 * steady request rate after a 10-minute outage; this gives 1.1×). Never below the
 * floor, and never sooner than a server's `Retry-After` (capped at a day).
 */
export function retryDelay(attempt: number, intervalMs: number, backoff: BackoffSettings, random: Random, retryAfterMs?: number): number {
  const window = Math.min(backoff.capMs / 2, intervalMs * 2 ** Math.min(attempt, 30));
  const drawn = Math.max(backoff.floorMs, Math.round(window + random() * window));
  const serverFloor = retryAfterMs === undefined ? 0 : Math.min(Math.max(0, retryAfterMs), MAX_RETRY_AFTER_MS);
  return Math.max(drawn, serverFloor);
}

/** Why an agent stopped retrying and waits for a person (or a trigger). */
export type ParkReason = 'needs-configuration' | 'license-state' | 'needs-activation';

export interface ScheduleState {
  /** Consecutive failed attempts (0 after a success). */
  attempt: number;
  parked?: ParkReason;
}

export type CycleOutcome =
  | { ok: true }
  | {
    ok: false;
    errorClass: ErrorClass;
    retryAfterMs?: number | undefined;
    /** False for errors that must not park the agent (their cause may clear by itself, or the reply could be forged): retried with backoff instead. */
    parkable?: boolean | undefined;
  };

export interface NextRun {
  kind: 'regular' | 'retry' | 'parked';
  delayMs: number;
  state: ScheduleState;
}

/** What the schedule does after a cycle ends. */
export function nextAfter(outcome: CycleOutcome, state: ScheduleState, settings: ScheduleSettings, autoActivate: boolean, random: Random): NextRun {
  if (outcome.ok) return { kind: 'regular', delayMs: regularDelay(settings, random), state: { attempt: 0 } };
  const parks = outcome.errorClass === 'needs-configuration' || outcome.errorClass === 'license-state' || (outcome.errorClass === 'needs-activation' && !autoActivate);
  if (parks && outcome.parkable === false) {
    return { kind: 'retry', delayMs: retryDelay(state.attempt, settings.intervalMs, settings.backoff, random, outcome.retryAfterMs), state: { attempt: state.attempt + 1 } };
  }
  switch (outcome.errorClass) {
    case 'retryable':
      return { kind: 'retry', delayMs: retryDelay(state.attempt, settings.intervalMs, settings.backoff, random, outcome.retryAfterMs), state: { attempt: state.attempt + 1 } };
    case 'needs-activation':
      if (autoActivate) {
        // Activation was tried in this cycle and the device still is not found: retry with backoff.
        return { kind: 'retry', delayMs: retryDelay(state.attempt, settings.intervalMs, settings.backoff, random, outcome.retryAfterMs), state: { attempt: state.attempt + 1 } };
      }
      return park('needs-activation', state, settings, random);
    case 'needs-configuration':
    case 'license-state':
      return park(outcome.errorClass, state, settings, random);
    case 'fatal':
      // The request itself was refused (an agent bug or odd data): retrying the same bytes fast is
      // pointless, but the next regular cycle may carry different values.
      return { kind: 'regular', delayMs: regularDelay(settings, random), state: { attempt: state.attempt + 1 } };
  }
}

function park(reason: ParkReason, state: ScheduleState, settings: ScheduleSettings, random: Random): NextRun {
  return { kind: 'parked', delayMs: jittered(settings.parkedProbeMs, settings.jitter, random), state: { attempt: state.attempt + 1, parked: reason } };
}

/**
 * What a trigger does. Manual always runs (bypasses parking, backoff and pause); a
 * configuration change and a resume from sleep leave a parked state; network-back only cuts
 * a backoff short (it cannot fix a license). Paused agents ignore everything but manual.
 */
export function onTrigger(trigger: SyncTrigger, state: ScheduleState, paused: boolean): { run: boolean; state: ScheduleState } {
  if (trigger === 'manual') return { run: true, state: { attempt: state.attempt } };
  if (paused) return { run: false, state };
  switch (trigger) {
    case 'config-change':
      return { run: true, state: { attempt: 0 } };
    case 'resume':
      return { run: true, state: { attempt: state.attempt } };
    case 'network-back':
      return state.parked === undefined ? { run: true, state } : { run: false, state };
    default:
      return { run: true, state };
  }
}
