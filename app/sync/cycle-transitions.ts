// What each answer of a cycle's requests does to the engine's Model, as pure functions
// (cycleStep() in cycle-step.ts applies one of these to each answer): a hardware id read again, the
// collection, a license check that failed without ending the cycle, the read-back, a send
// that went through or failed, an activation, and the cycle's end in success or error.
// Each is a table in cycle-transitions.test.ts.
import type { AgentErrorView, CollectorFailure, VariableSourceView } from '../agent-api.ts';
import type { VariableMap } from '../variables.ts';
import { acknowledge } from './diff.ts';
import type { Model } from './engine-model.ts';
import { recordOutcome, recordSample, sampleOf } from './history.ts';
import { forIdentity } from './identity-change.ts';
import { markInDoubt, reconcile, reconfirmLater } from './in-doubt.ts';
import type { Reconciled } from './in-doubt.ts';

/** The hardware id file was read again: another id is another identity (the next step sees it in the hash). */
export function withHardwareId(m: Model, hardwareId: string): Model {
  return { ...m, options: { ...m.options, identity: { ...m.options.identity, hardwareId } } };
}

/** The static facts were collected at `now`: the next are due one period later. */
export function afterStaticCollect(m: Model, values: VariableMap, now: number): Model {
  return { ...m, state: { ...m.state, staticValues: { ...values }, lastStaticAt: now }, staticDue: false };
}

export interface Collected {
  desired: VariableMap;
  failures: readonly CollectorFailure[];
  /** What each drop-in file and managed source did (none: no field). */
  sources: VariableSourceView[];
  /** The identity hash of this cycle (engine-options.ts hashOf). */
  hash: string;
  now: number;
}

/**
 * The cycle's desired values under the cycle's identity: another identity than the one the
 * acknowledged values belong to forgets them (identity-change.ts) and asks about the license
 * again; the metrics are sampled; this is the cycle's attempt time.
 */
export function afterCollect(m: Model, c: Collected): { model: Model; identityChanged: boolean } {
  const withSources = { ...m.state, variableSources: c.sources.length > 0 ? c.sources : undefined };
  const { state: underHash, changed } = forIdentity(withSources, c.hash);
  const state = { ...underHash, desired: c.desired, samples: recordSample(withSources.samples, sampleOf(c.desired, c.now)), lastAttemptAt: c.now };
  const model: Model = { ...m, collectorFailures: c.failures, state, ...(changed ? { licenseCheckDue: true, license: undefined } : {}) };
  return { model, identityChanged: changed };
}

/** A license check failed in a way that does not end the cycle (license-check.ts afterLicenseCheckFailure). */
export function afterLicenseCheckGoOn(m: Model, next: { checkedNow: boolean; askNextCycle: boolean }, now: number): Model {
  return { ...m, ...(next.checkedNow ? { lastLicenseCheckAt: now } : {}), licenseCheckDue: next.askNextCycle };
}

/** What the server holds was read: it counts as acknowledged (in-doubt.ts reconcile); nothing is in doubt any more. */
export function afterReadBack(m: Model, identityChanged: boolean, held: Record<string, string>): { model: Model; done: Reconciled } {
  const { state, inDoubt, recheck } = m;
  const done = reconcile({ identityChanged, desired: state.desired, acknowledged: state.acknowledged, held, inDoubt, recheck });
  return { model: { ...m, state: { ...state, acknowledged: done.acknowledged }, recheck: done.recheck, inDoubt: new Set() }, done };
}

/** A send went through: its values are acknowledged, but those in doubt are sent once more next cycle. */
export function afterSent(m: Model, variables: VariableMap, full: boolean, now: number): Model {
  const acknowledged = reconfirmLater(acknowledge(m.state.acknowledged, variables), m.inDoubt);
  return { ...m, state: { ...m.state, acknowledged, ...(full ? { lastFullRefreshAt: now } : {}) }, inDoubt: new Set<string>() };
}

/** A send failed with `code`: after a timeout its values' fate is unknown. */
export function afterSendFailure(m: Model, code: string | undefined, names: readonly string[]): Model {
  return { ...m, inDoubt: markInDoubt(m.inDoubt, code, names) };
}

/** An activation is about to be tried for identity `hash` (at most one a day after an unsigned device_not_found). */
export function activationTried(m: Model, hash: string, now: number): Model {
  return { ...m, state: { ...m.state, lastActivationAttempt: { identityHash: hash, at: now } } };
}

/** An activation carrying `desired` went through: the server stores what it carries, so it counts as acknowledged. */
export function afterActivation(m: Model, desired: VariableMap, now: number): Model {
  return { ...m, state: { ...m.state, acknowledged: acknowledge(m.state.acknowledged, desired), lastFullRefreshAt: now } };
}

/** The cycle ended well, having sent `sent` values. */
export function succeeded(m: Model, sent: number, now: number): Model {
  return { ...m, state: { ...m.state, lastSuccessAt: now, lastError: undefined, history: recordOutcome(m.state.history, { at: now, outcome: sent > 0 ? 'ok' : 'nothing-to-send', sent }) } };
}

/** The cycle ended in `view`; after a license error the license is asked about next cycle. */
export function failed(m: Model, view: AgentErrorView, licenseError: boolean, now: number): Model {
  const state = { ...m.state, lastError: view, history: recordOutcome(m.state.history, { at: now, outcome: 'error', sent: 0, code: view.code }) };
  return { ...m, state, ...(licenseError ? { licenseCheckDue: true } : {}) };
}
