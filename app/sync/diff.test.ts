import { describe, expect, it } from 'vitest';
import { acknowledge, isFullRefreshDue, isInSync, pendingVariables, planCycle, planSend, sameValue } from './diff.ts';
import type { CyclePlan, CyclePlanInput } from './diff.ts';
import type { VariableMap } from '../variables.ts';

const DAY = 24 * 60 * 60_000;

describe('pendingVariables', () => {
  it('is strict and type-aware: 5 and "5" differ, true and "true" differ', () => {
    expect(sameValue(5, '5')).toBe(false);
    expect(sameValue(true, 'true')).toBe(false);
    expect(sameValue(5, 5)).toBe(true);
    expect(pendingVariables({ a: 5, b: true, c: 'x' }, { a: '5', b: 'true', c: 'x' })).toEqual({ a: 5, b: true });
  });

  it('sends never-acknowledged names, ignores acknowledged names no longer desired', () => {
    expect(pendingVariables({ a: 1, b: 2 }, { a: 1, gone: 3 })).toEqual({ b: 2 });
  });

  it('does not treat inherited names as acknowledged', () => {
    expect(pendingVariables({ toString: 'x', constructor: 'y' }, {})).toEqual({ toString: 'x', constructor: 'y' });
  });

  it('NaN equals NaN (a reading that is not a number is not re-sent every cycle); other numbers are not NaN', () => {
    expect(sameValue(Number.NaN, Number.NaN)).toBe(true);
    expect(sameValue(Number.NaN, 1)).toBe(false);
    expect(sameValue(1, Number.NaN)).toBe(false);
    expect(sameValue(Number.NaN, 'NaN')).toBe(false);
    expect(sameValue(undefined, undefined)).toBe(true);
    expect(pendingVariables({ a: Number.NaN }, { a: Number.NaN })).toEqual({});
    expect(pendingVariables({ a: undefined as unknown as number }, {})).toEqual({ a: undefined });
  });
});

describe('planSend', () => {
  const base = { desired: { a: 1, b: 'two' }, acknowledged: { a: 1, b: 'two' }, identityChanged: false, lastFullRefreshAt: 1_000, now: 2_000, fullRefreshMs: DAY };

  it('sends nothing when everything is acknowledged', () => {
    expect(planSend(base)).toEqual({ variables: {}, reason: 'nothing', full: false });
  });

  it('sends only what changed', () => {
    expect(planSend({ ...base, desired: { a: 2, b: 'two' } })).toEqual({ variables: { a: 2 }, reason: 'changed', full: false });
  });

  it('sends everything when the daily full refresh is due (or never happened, or the clock went back)', () => {
    expect(planSend({ ...base, now: 1_000 + DAY })).toEqual({ variables: base.desired, reason: 'full-refresh', full: true });
    expect(planSend({ ...base, lastFullRefreshAt: undefined }).reason).toBe('full-refresh');
    expect(planSend({ ...base, now: 500 }).reason).toBe('full-refresh');
    expect(isFullRefreshDue(1_000, 1_000 + DAY - 1, DAY)).toBe(false);
  });

  it('sends everything when the identity changed', () => {
    expect(planSend({ ...base, identityChanged: true })).toEqual({ variables: base.desired, reason: 'identity-changed', full: true });
  });

  it('makes no request for an empty desired set, even when a refresh is due', () => {
    expect(planSend({ ...base, desired: {}, identityChanged: true }).reason).toBe('nothing');
  });

  // Nothing selected (an allowlist matching nothing collected, every collector failed): whatever
  // else holds, the plan is no request at all, never an empty track_device_variables.
  it.each([
    ['the identity changed', { identityChanged: true }],
    ['the daily refresh is due', { now: 1_000 + DAY }],
    ['no refresh has happened yet', { lastFullRefreshAt: undefined }],
    ['the clock went back', { now: 500 }],
    ['everything at once', { identityChanged: true, lastFullRefreshAt: undefined }],
  ])('an empty selection sends nothing when %s', (_why, change) => {
    expect(planSend({ ...base, desired: {}, acknowledged: { a: 1 }, ...change })).toEqual({ variables: {}, reason: 'nothing', full: false });
  });

  it('decides the full refresh at exactly one day', () => {
    expect(isFullRefreshDue(1_000, 1_000 + DAY, DAY)).toBe(true);
    expect(isFullRefreshDue(1_000, 1_000 + DAY - 1, DAY)).toBe(false);
    expect(isFullRefreshDue(1_000, 1_000, DAY)).toBe(false);
    expect(isFullRefreshDue(1_000, 999, DAY)).toBe(true);
    expect(isFullRefreshDue(undefined, 0, DAY)).toBe(true);
  });

  it('a refresh or a new identity sends a copy of every desired value, one value alone included', () => {
    const desired = { only: 'x' };
    const plan = planSend({ ...base, desired, acknowledged: { only: 'x' }, identityChanged: true });
    expect(plan).toEqual({ variables: { only: 'x' }, reason: 'identity-changed', full: true });
    expect(plan.variables).not.toBe(desired);
    const refresh = planSend({ ...base, desired, acknowledged: { only: 'x' }, lastFullRefreshAt: undefined });
    expect(refresh).toEqual({ variables: { only: 'x' }, reason: 'full-refresh', full: true });
    expect(refresh.variables).not.toBe(desired);
  });
});

describe('acknowledge', () => {
  it('records what WE sent (typed), not a string echo', () => {
    expect(acknowledge({ a: 1, b: 'x' }, { a: 2 })).toEqual({ a: 2, b: 'x' });
  });
});

describe('isInSync', () => {
  const inSync = (desired: Record<string, number | string>, acknowledged: Record<string, number | string>) =>
    isInSync(Object.keys(desired).length, Object.keys(pendingVariables(desired, acknowledged)).length);
  it('is true only when there are values and every one is acknowledged with the same type', () => {
    expect(inSync({ a: 1 }, { a: 1, b: 2 })).toBe(true);
    expect(inSync({ a: 1 }, { a: '1' })).toBe(false);
    expect(inSync({}, {})).toBe(false); // nothing collected yet is not "in sync"
  });
});

describe('planCycle: what a cycle sends after the reconciliation step', () => {
  const desired: VariableMap = { a: 1, b: 'two' };
  const base: CyclePlanInput = { desired, acknowledged: { a: 1, b: 'two' }, identityChanged: false, lastFullRefreshAt: 1_000, now: 2_000, fullRefreshMs: DAY, reconciledEveryValue: false };
  const rows: Array<[why: string, input: Partial<CyclePlanInput>, plan: CyclePlan]> = [
    ['nothing read back, nothing changed', {}, { variables: {}, reason: 'nothing', full: false }],
    ['nothing read back, a value changed', { acknowledged: { a: 0, b: 'two' } }, { variables: { a: 1 }, reason: 'changed', full: false }],
    ['nothing read back, the identity changed', { identityChanged: true, acknowledged: {} }, { variables: desired, reason: 'identity-changed', full: true }],
    ['nothing read back, the daily refresh is due', { lastFullRefreshAt: 2_000 - DAY }, { variables: desired, reason: 'full-refresh', full: true }],
    // read back after an identity change: only what differs, and it counts as the daily refresh
    ['read back, the server holds everything', { identityChanged: true, reconciledEveryValue: true }, { variables: {}, reason: 'nothing', full: true }],
    ['read back, the server holds one of two', { identityChanged: true, reconciledEveryValue: true, acknowledged: { a: 1 } }, { variables: { b: 'two' }, reason: 'reconciled', full: true }],
    ['read back, although the daily refresh was due', { identityChanged: true, reconciledEveryValue: true, lastFullRefreshAt: undefined }, { variables: {}, reason: 'nothing', full: true }],
    ['read back, nothing desired', { identityChanged: true, reconciledEveryValue: true, desired: {}, acknowledged: {} }, { variables: {}, reason: 'nothing', full: true }],
  ];
  it.each(rows)('%s', (_why, input, plan) => {
    expect(planCycle({ ...base, ...input })).toEqual(plan);
  });
});
