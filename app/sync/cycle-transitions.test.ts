// What each answer of a cycle's requests does to the engine's model: tables over the pure
// transitions cycle.ts applies between its awaits (no port, clock or store).
import { describe, expect, it } from 'vitest';
import type { AgentErrorView, LicenseStateView, VariableSourceView } from '../agent-api.ts';
import { emptySyncState } from '../state/sync-state.ts';
import type { SyncState } from '../state/sync-state.ts';
import {
  activationTried, afterActivation, afterCollect, afterLicenseCheckGoOn, afterReadBack, afterSendFailure, afterSent, afterStaticCollect, failed, succeeded,
  withHardwareId,
} from './cycle-transitions.ts';
import type { Model } from './engine-model.ts';
import { engineOptions, newModel } from '../../test/support/engine-model.ts';

const NOW = 50_000;
const options = engineOptions();
const stateOf = (over: Partial<SyncState>): SyncState => ({ ...emptySyncState(), ...over });
const model = (over: Partial<Model> = {}): Model => newModel({ started: true, licenseCheckDue: false, ...over });
const license: LicenseStateView = { active: true, checkedAt: 1, summary: 'active' };
const error: AgentErrorView = { code: 'license_expired', errorClass: 'license-state', summary: 's', remedy: 'r', at: NOW };

/** `after` is `before` with exactly `changed` (nothing else touched). */
function expectChanged(before: Model, after: Model, changed: Partial<Model>): void {
  expect(after).toStrictEqual({ ...before, ...changed });
}

describe('the hardware id file read again', () => {
  it('another id is another identity; nothing else changes', () => {
    const before = model();
    expectChanged(before, withHardwareId(before, 'hw-2'), { options: { ...options, identity: { ...options.identity, hardwareId: 'hw-2' } } });
  });
});

describe('the collection', () => {
  it('static facts collected: kept (a copy), the next due a period later', () => {
    const values = { os: 'linux' };
    const before = model({ staticDue: true });
    const after = afterStaticCollect(before, values, NOW);
    expectChanged(before, after, { state: stateOf({ staticValues: { os: 'linux' }, lastStaticAt: NOW }), staticDue: false });
    expect(after.state.staticValues).not.toBe(values);
  });

  const held = stateOf({ identityHash: 'h1', desired: { a: '1' }, acknowledged: { a: '1' }, lastFullRefreshAt: 7, license: { checkedAt: 1, active: true } as SyncState['license'] });
  const failures = [{ collector: 'battery', message: 'none', at: NOW }];
  const sources: VariableSourceView[] = [{ source: 'acme', scope: 'per-user folder', origin: 'x', state: 'ok', variables: 1 }];
  const desired = { a: '2', cpu_load_pct: 12 } as unknown as Record<string, string>;
  const cases: Array<[name: string, hash: string, sources: VariableSourceView[], identityChanged: boolean, changed: Partial<Model>]> = [
    ['the same identity: what was acknowledged stays', 'h1', [], false, {
      collectorFailures: failures,
      state: { ...held, variableSources: undefined, desired, samples: [{ at: NOW, values: { cpu_load_pct: 12 } }], lastAttemptAt: NOW },
    }],
    ['another identity: nothing counts as acknowledged, the license is asked again', 'h2', [], true, {
      collectorFailures: failures, licenseCheckDue: true, license: undefined,
      state: { ...held, identityHash: 'h2', acknowledged: {}, lastFullRefreshAt: undefined, license: undefined, variableSources: undefined, desired, samples: [{ at: NOW, values: { cpu_load_pct: 12 } }], lastAttemptAt: NOW },
    }],
    ['the sources are kept for the status and the next start', 'h1', sources, false, {
      collectorFailures: failures,
      state: { ...held, variableSources: sources, desired, samples: [{ at: NOW, values: { cpu_load_pct: 12 } }], lastAttemptAt: NOW },
    }],
  ];
  it.each(cases)('%s', (_, hash, srcs, identityChanged, changed) => {
    const before = model({ state: held, license });
    const out = afterCollect(before, { desired, failures, sources: srcs, hash, now: NOW });
    expect(out.identityChanged).toBe(identityChanged);
    expectChanged(before, out.model, changed);
  });
});

describe('a license check that failed without ending the cycle', () => {
  const cases: Array<[checkedNow: boolean, askNextCycle: boolean, changed: Partial<Model>]> = [
    [true, false, { lastLicenseCheckAt: NOW, licenseCheckDue: false }],
    [false, true, { licenseCheckDue: true }],
    [false, false, { licenseCheckDue: false }],
  ];
  it.each(cases)('checkedNow %s, askNextCycle %s → %j', (checkedNow, askNextCycle, changed) => {
    const before = model({ lastLicenseCheckAt: 3, licenseCheckDue: true });
    expectChanged(before, afterLicenseCheckGoOn(before, { checkedNow, askNextCycle }, NOW), changed);
  });
});

describe('the read-back: what the server holds counts as acknowledged', () => {
  it('after an identity change every value is compared; nothing stays in doubt', () => {
    const before = model({ state: stateOf({ desired: { a: '1', b: '2' }, acknowledged: { z: '9' } }), inDoubt: new Set(['a']) });
    const { model: after, done } = afterReadBack(before, true, { a: '1', b: 'other' });
    expectChanged(before, after, { state: { ...before.state, acknowledged: { a: '1' } }, inDoubt: new Set(), recheck: new Set() });
    expect(done.matching).toBe(1);
  });

  it('after a timeout only the names in doubt are compared, and read once more a cycle later', () => {
    const before = model({ state: stateOf({ desired: { a: '1', b: '2' }, acknowledged: { a: 'x', b: '2' } }), inDoubt: new Set(['a']) });
    const { model: after } = afterReadBack(before, false, { a: '1' });
    expectChanged(before, after, { state: { ...before.state, acknowledged: { a: '1', b: '2' } }, inDoubt: new Set(), recheck: new Set(['a']) });
  });
});

describe('a send', () => {
  const acknowledged = { a: '1', b: '2' };
  const cases: Array<[name: string, inDoubt: string[], full: boolean, changed: (before: Model) => Partial<Model>]> = [
    ['went through: its values are acknowledged', [], false, (b) => ({ state: { ...b.state, acknowledged: { a: '1', b: '3', c: '4' } }, inDoubt: new Set() })],
    ['went through as the daily full refresh', [], true, (b) => ({ state: { ...b.state, acknowledged: { a: '1', b: '3', c: '4' }, lastFullRefreshAt: NOW }, inDoubt: new Set() })],
    ['went through after a timeout: the names in doubt are sent once more next cycle', ['b', 'c'], false, (b) => ({ state: { ...b.state, acknowledged: { a: '1' } }, inDoubt: new Set() })],
  ];
  it.each(cases)('%s', (_, inDoubt, full, changed) => {
    const before = model({ state: stateOf({ acknowledged }), inDoubt: new Set(inDoubt) });
    expectChanged(before, afterSent(before, { b: '3', c: '4' }, full, NOW), changed(before));
  });

  it('failed by a timeout: its names are in doubt; by anything else: no change', () => {
    const before = model({ inDoubt: new Set(['a']) });
    expectChanged(before, afterSendFailure(before, 'timeout', ['b']), { inDoubt: new Set(['a', 'b']) });
    expect(afterSendFailure(before, 'unknown_license', ['b'])).toStrictEqual(before);
    expect(afterSendFailure(before, undefined, ['b'])).toStrictEqual(before);
  });
});

describe('an activation', () => {
  it('its attempt is recorded for the identity (one a day after an unsigned device_not_found)', () => {
    const before = model();
    expectChanged(before, activationTried(before, 'h1', NOW), { state: stateOf({ lastActivationAttempt: { identityHash: 'h1', at: NOW } }) });
  });

  it('it went through: what it carried is acknowledged, as a full refresh', () => {
    const before = model({ state: stateOf({ acknowledged: { a: '0', z: '9' } }) });
    expectChanged(before, afterActivation(before, { a: '1', b: '2' }, NOW), { state: stateOf({ acknowledged: { a: '1', z: '9', b: '2' }, lastFullRefreshAt: NOW }) });
  });
});

describe("the cycle's end", () => {
  it.each([
    [3, 'ok'],
    [0, 'nothing-to-send'],
  ] as const)('succeeded with %i sent: %s in the history, the error goes', (sent, outcome) => {
    const before = model({ state: stateOf({ lastError: error }) });
    expectChanged(before, succeeded(before, sent, NOW), { state: stateOf({ lastSuccessAt: NOW, lastError: undefined, history: [{ at: NOW, outcome, sent }] }) });
  });

  it.each([
    [true, { licenseCheckDue: true }],
    [false, {}],
  ] as const)('failed (a license error: %s): the error and its history line; the license asked next cycle after a license error', (licenseError, extra) => {
    const before = model({ state: stateOf({ lastSuccessAt: 4 }) });
    expectChanged(before, failed(before, error, licenseError, NOW), { state: stateOf({ lastSuccessAt: 4, lastError: error, history: [{ at: NOW, outcome: 'error', sent: 0, code: 'license_expired' }] }), ...extra });
  });
});
