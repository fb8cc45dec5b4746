// What each agent of a simulated fleet finds in its state.json when it starts, and
// when it starts. A fleet that has been running (the outage experiment) starts in
// sync, all at once; a login storm starts within one minute, with a mix of states:
// mostly in sync since the evening before, some with a static fact changed overnight
// (an OS update), a few with values left unsent, a few starting for the first time.
// Both runners (real engines and the replica) start from exactly these states.
import { identityHash } from '../../app/sync/engine.ts';
import { emptySyncState, type SyncState } from '../../app/state/sync-state.ts';
import type { SyncIdentity } from '../../app/sync/ports.ts';
import type { VariableMap } from '../../app/variables.ts';
import { createIdleDevice, idleDeviceModel } from './idle-device.ts';
import { hashUnit } from './random.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** The simulated License API's address, as the engines are configured with it (part of the identity hash). */
export const FLEET_API_URL = 'in-process';

/** What an agent's state.json says when it starts. */
export type StartKind = 'in-sync' | 'static-changed' | 'pending' | 'first-start';
export const START_KINDS: readonly StartKind[] = ['in-sync', 'static-changed', 'pending', 'first-start'];

/** Shares of each kind in a fleet (they add up to 1). */
export type StartMix = Record<StartKind, number>;

/**
 * An ordinary morning: most machines were in sync when they shut down the evening before;
 * 5 % took an update overnight that changed a static fact (a Linux kernel, a macOS point
 * release, the agent itself: Windows' monthly updates leave os_release and kernel alone, as
 * they carry the build without its revision); 2 % shut down with values unsent (offline,
 * closed mid-request); 1 % are new or re-imaged.
 */
export const ORDINARY_MORNING: StartMix = { 'in-sync': 0.92, 'static-changed': 0.05, pending: 0.02, 'first-start': 0.01 };
/** The worst case for the short splay: every machine's OS changed overnight (a fleet-wide kernel or feature update), all log in within the minute. */
export const PATCH_DAY: StartMix = { 'in-sync': 0, 'static-changed': 0.97, pending: 0.02, 'first-start': 0.01 };
/** A fleet that has been running and restarts together (the outage experiment). */
export const ALL_IN_SYNC: StartMix = { 'in-sync': 1, 'static-changed': 0, pending: 0, 'first-start': 0 };

export const START_MIXES = { ordinary: ORDINARY_MORNING, 'patch-day': PATCH_DAY } as const;
export type StartMixName = keyof typeof START_MIXES;

/** Random channels of this module (idle-device.ts uses 1-6). */
const KIND = 21;
const OFFSET = 22;
const REFRESH = 23;

export function startKindOf(seed: number, agent: number, mix: StartMix): StartKind {
  const u = hashUnit(seed, agent, KIND);
  let upTo = 0;
  for (const kind of START_KINDS) {
    upTo += mix[kind];
    if (u < upTo) return kind;
  }
  return 'in-sync';
}

/** When agent `agent` starts, in ms after the run's start: uniform over `windowMs` (0: all at once). */
export function startOffsetOf(seed: number, agent: number, windowMs: number): number {
  return windowMs <= 0 ? 0 : Math.floor(hashUnit(seed, agent, OFFSET) * windowMs);
}

export function fleetIdentity(product: string, licenseKey: string, hardwareId: string): SyncIdentity {
  return { product, hardwareId, licenseKey };
}

/** An older version of a static fact (what the server holds after an update it has not heard of). */
function before(value: VariableMap[string] | undefined): string {
  return `${String(value ?? '')}-before-update`;
}

export interface PersistedStateInput {
  seed: number;
  agent: number;
  kind: StartKind;
  identity: SyncIdentity;
  /** The run's start. */
  start: number;
  /** How long the agent was off: it stopped `offMs` before the run's start. */
  offMs: number;
}

/**
 * The state.json agent `agent` starts from: what a run that stopped `offMs` earlier on
 * the same device left (its values read then, through a quantiser of their own).
 */
export function persistedState(input: PersistedStateInput): SyncState {
  if (input.kind === 'first-start') return emptySyncState();
  const { seed, agent, start, offMs } = input;
  const stoppedAt = start - offMs;
  const device = createIdleDevice(idleDeviceModel(seed, agent, start));
  const staticValues = device.staticValues();
  if (input.kind === 'static-changed') {
    staticValues.os_release = before(staticValues.os_release);
    staticValues.kernel = before(staticValues.kernel);
  }
  const acknowledged = { ...staticValues, ...device.dynamicValues(stoppedAt) };
  const desired = { ...acknowledged };
  const state: SyncState = {
    ...emptySyncState(),
    desired, acknowledged, staticValues,
    identityHash: identityHash(input.identity, FLEET_API_URL),
    lastStaticAt: stoppedAt - 12 * HOUR,
    // The daily full refresh falls anywhere in the day before.
    lastFullRefreshAt: stoppedAt - Math.floor(hashUnit(seed, agent, REFRESH) * DAY),
    lastAttemptAt: stoppedAt,
    lastSuccessAt: stoppedAt,
  };
  if (input.kind === 'pending') {
    // The last send failed (offline at shutdown): one metric the server has not confirmed.
    const load = Number(desired.cpu_load_pct ?? 0);
    desired.cpu_load_pct = load >= 50 ? load - 25 : load + 25;
    state.lastError = { code: 'network_error', errorClass: 'retryable', summary: 'The License API could not be reached.', remedy: 'Nothing to do.', at: stoppedAt };
    state.lastSuccessAt = stoppedAt - 15 * MIN;
  }
  return state;
}

/** How a fleet's agents start: their states' mix, the window their starts fall in, how long they were off. */
export interface FleetStarts {
  mix: StartMix;
  /** Starts fall uniformly in [0, windowMs) from the run's start (0: all at once). */
  windowMs: number;
  offMs: number;
}

/** A fleet that has been running, restarted at once a moment after it stopped (the outage experiment's). */
export const RUNNING_FLEET: FleetStarts = { mix: ALL_IN_SYNC, windowMs: 0, offMs: MIN };

/** Agent `agent`'s start: when, from what state, of which kind. */
export function agentStart(seed: number, agent: number, starts: FleetStarts, identity: SyncIdentity, start: number): { offsetMs: number; kind: StartKind; state: SyncState } {
  const kind = startKindOf(seed, agent, starts.mix);
  return { offsetMs: startOffsetOf(seed, agent, starts.windowMs), kind, state: persistedState({ seed, agent, kind, identity, start, offMs: starts.offMs }) };
}
