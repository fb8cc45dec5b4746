// step(): the engine's control as tables of (model, event) → (model, effects), with no
// clock, timer or store. The interpreter (engine.ts) runs the same rules against a virtual
// clock in engine.test.ts and against the sandbox in test/sync/.
import { describe, expect, it } from 'vitest';
import type { AgentErrorView, SyncTrigger } from '../agent-api.ts';
import { emptySyncState } from '../state/sync-state.ts';
import type { SyncState } from '../state/sync-state.ts';
import type { EngineOptions } from './engine-options.ts';
import type { Model } from './engine-model.ts';
import { step } from './engine-step.ts';
import { engineOptions, newModel } from '../../test/support/engine-model.ts';
import type { Effect, EngineEvent, StepContext } from './engine-step.ts';

const MIN = 60_000;
const NOW = 1_000_000;
const ctx: StepContext = { now: NOW, random: () => 0.5 }; // 0.5: no jitter, a regular delay is the interval

const options = engineOptions;

const fresh = (): Model => newModel();
/** A model of an engine that was started (and is idle), with `over` on top. */
const model = (over: Partial<Model> = {}): Model => ({ ...fresh(), started: true, ...over });

const error = (errorClass: AgentErrorView['errorClass'], code = 'x'): AgentErrorView => ({ code, errorClass, summary: 's', remedy: 'r', at: 0 });
const withState = (over: Partial<SyncState>): SyncState => ({ ...emptySyncState(), ...over });

const timer = (delayMs: number, trigger: SyncTrigger): Effect => ({ type: 'set-timer', delayMs, trigger });
const CLEAR: Effect = { type: 'clear-timer' };
const EMIT: Effect = { type: 'emit' };
const types = (effects: readonly Effect[]) => effects.map((e) => e.type);

interface Row {
  name: string;
  model: Model;
  event: EngineEvent;
  /** The fields of the model after the step (all else as before). */
  then: Partial<Model>;
  effects: Effect[] | ((effects: readonly Effect[]) => void);
}

function table(rows: Row[]): void {
  it.each(rows.map((r) => [r.name, r] as const))('%s', (_, row) => {
    const before = structuredClone(row.model);
    const { model: after, effects } = step(row.model, row.event, ctx);
    expect(after).toStrictEqual({ ...row.model, ...row.then });
    if (typeof row.effects === 'function') row.effects(effects);
    else expect(effects).toStrictEqual(row.effects);
    expect(row.model).toStrictEqual(before); // step() never changes the model it is given
  });
}

describe('start: start() decides the first cycle once', () => {
  table([
    { name: 'a new engine starts', model: fresh(), event: { type: 'start' }, then: { started: true }, effects: [] },
    { name: 'a second start() does nothing', model: model(), event: { type: 'start' }, then: {}, effects: [] },
    { name: 'a start after stop() starts again', model: model({ started: false, stopped: true }), event: { type: 'start' }, then: { started: true, stopped: false }, effects: [] },
  ]);

  const decided = (over: Partial<Extract<EngineEvent, { type: 'first-cycle-decided' }>> = {}): EngineEvent => ({ type: 'first-cycle-decided', begun: 0, delayMs: 5_000, reason: 'pending', changedStatic: [], inFlight: false, ...over });
  table([
    {
      name: 'decided: the first cycle is timed, the status says why',
      model: model(), event: decided(),
      then: { timerArmed: true, nextSyncAt: NOW + 5_000, firstSync: { reason: 'pending', explanation: expect.stringContaining('') as string } },
      effects: [timer(5_000, 'start'), EMIT],
    },
    // Stopped, or a cycle came first (Sync now, a trigger, resume): that cycle set the schedule.
    { name: 'decided after stop(): nothing', model: model({ started: false, stopped: true }), event: decided(), then: {}, effects: [] },
    { name: 'decided while never started: nothing', model: fresh(), event: decided(), then: {}, effects: [] },
    { name: 'decided after a cycle began meanwhile: nothing', model: model({ cyclesBegun: 1 }), event: decided(), then: {}, effects: [] },
    { name: 'decided while a cycle is queued (Sync now during the decision): nothing', model: model(), event: decided({ inFlight: true }), then: {}, effects: [] },
    { name: 'decided while a timer is armed (resumed during the decision): nothing', model: model({ timerArmed: true, nextSyncAt: NOW }), event: decided(), then: {}, effects: [] },
    { name: 'decided while paused: no timer, no firstSync, but a status', model: model({ paused: true }), event: decided(), then: {}, effects: [EMIT] },
  ]);

  it('the firstSync explanation is the one for the reason and the splay', () => {
    const { model: after } = step(model(), decided({ reason: 'static-changed', changedStatic: ['os_version'] }), ctx);
    expect(after.firstSync?.reason).toBe('static-changed');
    expect(after.firstSync?.explanation).toContain('os_version');
  });
});

describe("start's static collection stands only if no cycle began meanwhile", () => {
  const failures = [{ collector: 'static', message: 'no dmi', at: 5 }];
  const staticNow = { os: 'linux', os_version: '13', boot_time: '2' };
  const persisted = withState({ desired: { os: 'linux', cpu: '3' }, staticValues: { os: 'linux', os_version: '12', boot_time: '1' } });
  table([
    { name: 'its failures go to the first cycle', model: model(), event: { type: 'start-static-collected', begun: 0, failures }, then: { startFailures: failures }, effects: [] },
    { name: 'its failures are dropped when a cycle began (it reported its own)', model: model({ cyclesBegun: 1 }), event: { type: 'start-static-collected', begun: 0, failures }, then: {}, effects: [] },
    {
      name: 'its facts are kept; a change that is news joins the desired values, restart noise does not',
      model: model({ state: persisted }), event: { type: 'start-static-decided', begun: 0, at: 7, staticNow, changedStatic: ['os_version'] },
      then: { state: { ...persisted, staticValues: staticNow, lastStaticAt: 7, desired: { os: 'linux', cpu: '3', os_version: '13' } }, staticDue: false },
      effects: [],
    },
    { name: 'its facts are dropped when a cycle began', model: model({ state: persisted, cyclesBegun: 1 }), event: { type: 'start-static-decided', begun: 0, at: 7, staticNow, changedStatic: ['os_version'] }, then: {}, effects: [] },
    { name: 'its facts are dropped after stop()', model: model({ state: persisted, started: false, stopped: true }), event: { type: 'start-static-decided', begun: 0, at: 7, staticNow, changedStatic: [] }, then: {}, effects: [] },
  ]);
});

describe('timers and triggers', () => {
  table([
    { name: 'the cycle timer fires: a cycle runs as what the timer was set for', model: model({ timerArmed: true, nextSyncAt: NOW }), event: { type: 'timer-fired', trigger: 'retry' }, then: { timerArmed: false }, effects: [{ type: 'run', trigger: 'retry' }] },
    { name: 'a queued cycle replaces the armed timer', model: model({ timerArmed: true, nextSyncAt: NOW + 1 }), event: { type: 'cycle-queued' }, then: { timerArmed: false, nextSyncAt: undefined }, effects: [CLEAR] },
    { name: 'a queued cycle with no timer: nothing to clear', model: model({ nextSyncAt: NOW }), event: { type: 'cycle-queued' }, then: { nextSyncAt: undefined }, effects: [] },
    { name: 'a trigger is debounced (default 2 s)', model: model(), event: { type: 'trigger', kind: 'network-back' }, then: { pendingTrigger: 'network-back' }, effects: [{ type: 'debounce', delayMs: 2_000 }] },
    { name: 'a trigger in a burst re-arms the debounce and keeps the stronger kind', model: model({ pendingTrigger: 'config-change' }), event: { type: 'trigger', kind: 'network-back' }, then: { pendingTrigger: 'config-change' }, effects: [{ type: 'debounce', delayMs: 2_000 }] },
    { name: 'the debounce follows the options', model: model({ options: options({ debounceMs: 50 }) }), event: { type: 'trigger', kind: 'resume' }, then: { pendingTrigger: 'resume' }, effects: [{ type: 'debounce', delayMs: 50 }] },
    { name: 'a trigger after stop() is ignored', model: model({ started: false, stopped: true }), event: { type: 'trigger', kind: 'manual' }, then: {}, effects: [] },
    {
      name: 'the debounce fires: the burst runs as its ranked kind',
      model: model({ pendingTrigger: 'network-back' }), event: { type: 'debounce-fired' }, then: { pendingTrigger: undefined },
      effects: [{ type: 'log', level: 'debug', message: 'trigger', fields: { trigger: 'network-back', run: true, parked: undefined } }, { type: 'run', trigger: 'network-back' }],
    },
    {
      name: 'the debounce fires while parked: a configuration change leaves the parked state',
      model: model({ pendingTrigger: 'config-change', sched: { attempt: 3, parked: 'license-state' } }), event: { type: 'debounce-fired' }, then: { pendingTrigger: undefined, sched: { attempt: 0 } },
      effects: (fx) => expect(types(fx)).toEqual(['log', 'run']),
    },
    {
      name: 'the debounce fires while parked: network-back does not run (it cannot fix a license)',
      model: model({ pendingTrigger: 'network-back', sched: { attempt: 3, parked: 'license-state' } }), event: { type: 'debounce-fired' }, then: { pendingTrigger: undefined },
      effects: (fx) => expect(types(fx)).toEqual(['log']),
    },
    { name: 'the debounce fires while paused: nothing runs', model: model({ pendingTrigger: 'resume', paused: true }), event: { type: 'debounce-fired' }, then: { pendingTrigger: undefined }, effects: (fx) => expect(types(fx)).toEqual(['log']) },
    { name: 'the debounce fires with nothing pending: nothing', model: model(), event: { type: 'debounce-fired' }, then: {}, effects: [] },
    { name: 'the debounce fires after stop(): nothing', model: model({ pendingTrigger: 'resume', started: false, stopped: true }), event: { type: 'debounce-fired' }, then: { pendingTrigger: undefined }, effects: [] },
    { name: 'the debounce fires before start(): nothing', model: fresh(), event: { type: 'debounce-fired' }, then: {}, effects: [] },
    { name: 'Sync now bypasses parking and backoff, keeping the attempt count', model: model({ sched: { attempt: 4, parked: 'needs-configuration' }, paused: true }), event: { type: 'sync-now' }, then: { sched: { attempt: 4 } }, effects: [] },
  ]);
});

describe('a cycle begins and ends', () => {
  const interval = 15 * MIN;
  table([
    { name: 'a cycle begins: syncing, counted, the first-sync reason goes', model: model({ firstSync: { reason: 'pending', explanation: 'e' }, cyclesBegun: 2 }), event: { type: 'cycle-began' }, then: { syncing: true, cyclesBegun: 3, firstSync: undefined }, effects: [EMIT] },
    { name: 'CANCELLED: a queued cycle after stop() does not begin (the interpreter answers "cancelled")', model: model({ started: false, stopped: true }), event: { type: 'cycle-began' }, then: {}, effects: [] },
    {
      name: 'CANCELLED: stop() cut the request short: not syncing, the state saved, no schedule, still "restored"',
      model: model({ syncing: true, started: false, stopped: true, sched: { attempt: 2 } }), event: { type: 'cycle-cancelled', trigger: 'timer' }, then: { syncing: false },
      effects: [{ type: 'persist', state: emptySyncState() }, { type: 'log', level: 'info', message: 'sync stopped before the server answered', fields: { trigger: 'timer' } }],
    },
    {
      name: 'ok: the regular rhythm (interval ± jitter), saved before the status',
      model: model({ syncing: true, sched: { attempt: 2 } }), event: { type: 'cycle-finished', outcome: { ok: true } },
      then: { syncing: false, restored: false, sched: { attempt: 0 }, timerArmed: true, nextSyncAt: NOW + interval },
      effects: [{ type: 'persist', state: emptySyncState() }, timer(interval, 'timer'), EMIT],
    },
    {
      name: 'a retryable failure: a retry with backoff',
      model: model({ syncing: true, state: withState({ lastError: error('retryable') }) }), event: { type: 'cycle-finished', outcome: { ok: false, error: new Error('x') } },
      then: { syncing: false, restored: false, sched: { attempt: 1 }, timerArmed: true, nextSyncAt: NOW + 1.5 * interval },
      effects: (fx) => expect(fx.slice(1)).toStrictEqual([timer(1.5 * interval, 'retry'), EMIT]),
    },
    {
      name: 'a license-state failure: parked, probed every 6 h',
      model: model({ syncing: true, state: withState({ lastError: error('license-state') }) }), event: { type: 'cycle-finished', outcome: { ok: false, error: new Error('x') } },
      then: { syncing: false, restored: false, sched: { attempt: 1, parked: 'license-state' }, timerArmed: true, nextSyncAt: NOW + 6 * 60 * MIN },
      effects: (fx) => expect(fx.slice(1)).toStrictEqual([timer(6 * 60 * MIN, 'timer'), EMIT]),
    },
    {
      name: 'a cycle that ends after stop(): saved and shown, no timer',
      model: model({ syncing: true, started: false, stopped: true }), event: { type: 'cycle-finished', outcome: { ok: true } },
      then: { syncing: false, restored: false, sched: { attempt: 0 } },
      effects: [{ type: 'persist', state: emptySyncState() }, EMIT],
    },
    {
      name: 'a cycle that ends while paused: no timer',
      model: model({ syncing: true, paused: true }), event: { type: 'cycle-finished', outcome: { ok: true } },
      then: { syncing: false, restored: false, sched: { attempt: 0 } },
      effects: [{ type: 'persist', state: emptySyncState() }, EMIT],
    },
    {
      name: 'a cycle that ends with a timer armed meanwhile (resumed): that timer is replaced',
      model: model({ syncing: true, timerArmed: true, nextSyncAt: NOW }), event: { type: 'cycle-finished', outcome: { ok: true } },
      then: { syncing: false, restored: false, sched: { attempt: 0 }, timerArmed: true, nextSyncAt: NOW + interval },
      effects: [{ type: 'persist', state: emptySyncState() }, CLEAR, timer(interval, 'timer'), EMIT],
    },
  ]);
});

describe('pause and resume', () => {
  table([
    { name: 'pausing clears the timer', model: model({ timerArmed: true, nextSyncAt: NOW }), event: { type: 'set-paused', paused: true }, then: { paused: true, timerArmed: false, nextSyncAt: undefined }, effects: [{ type: 'log', level: 'info', message: 'paused' }, CLEAR, EMIT] },
    { name: 'resuming syncs at once and ends "deactivated"', model: model({ paused: true, deactivated: true }), event: { type: 'set-paused', paused: false }, then: { paused: false, deactivated: false, timerArmed: true, nextSyncAt: NOW }, effects: [{ type: 'log', level: 'info', message: 'resumed' }, timer(0, 'resume'), EMIT] },
    { name: 'resuming before start(): no timer', model: { ...fresh(), paused: true }, event: { type: 'set-paused', paused: false }, then: { paused: false }, effects: [{ type: 'log', level: 'info', message: 'resumed' }, EMIT] },
    { name: 'pausing when paused: nothing', model: model({ paused: true, deactivated: true }), event: { type: 'set-paused', paused: true }, then: {}, effects: [] },
    { name: 'resuming when running: nothing', model: model(), event: { type: 'set-paused', paused: false }, then: {}, effects: [] },
  ]);
});

describe('stop: the timer, the debounce and the request in flight end now', () => {
  table([
    {
      name: 'stop() while idle with a timer and a pending trigger',
      model: model({ timerArmed: true, nextSyncAt: NOW, pendingTrigger: 'resume' }), event: { type: 'stop' },
      then: { started: false, stopped: true, timerArmed: false, nextSyncAt: undefined, pendingTrigger: undefined },
      effects: [CLEAR, { type: 'clear-debounce' }, { type: 'abort-cycle' }],
    },
    {
      name: 'stop() during a cycle: its request is aborted; the cycle ends itself (still syncing)',
      model: model({ syncing: true }), event: { type: 'stop' },
      then: { started: false, stopped: true },
      effects: [{ type: 'clear-debounce' }, { type: 'abort-cycle' }],
    },
    { name: 'stop settled: the state is saved', model: model({ started: false, stopped: true }), event: { type: 'stop-settled' }, then: {}, effects: [{ type: 'persist', state: emptySyncState() }] },
    { name: 'stop settled: a timer left meanwhile goes', model: model({ started: false, stopped: true, timerArmed: true, nextSyncAt: NOW }), event: { type: 'stop-settled' }, then: { timerArmed: false, nextSyncAt: undefined }, effects: [CLEAR, { type: 'persist', state: emptySyncState() }] },
  ]);
});

describe('deactivation: after the cycle in flight, then paused', () => {
  const acknowledgedState = withState({ desired: { a: '1' }, acknowledged: { a: '1' }, identityHash: 'h', lastError: error('license-state') });
  const forgotten: SyncState = { ...acknowledgedState, acknowledged: {}, identityHash: undefined, lastFullRefreshAt: undefined, lastError: undefined, lastActivationAttempt: undefined, license: undefined };
  table([
    { name: 'its request goes: the timer set by the cycle before it is cleared', model: model({ timerArmed: true, nextSyncAt: NOW }), event: { type: 'deactivate-began' }, then: { timerArmed: false, nextSyncAt: undefined }, effects: [CLEAR] },
    {
      name: 'it failed: the regular rhythm goes on',
      model: model(), event: { type: 'deactivate-failed', code: 'timeout' }, then: { timerArmed: true, nextSyncAt: NOW + 15 * MIN },
      effects: [{ type: 'log', level: 'warn', message: 'deactivation failed', fields: { code: 'timeout' } }, timer(15 * MIN, 'timer')],
    },
    { name: 'it failed while paused: no timer', model: model({ paused: true }), event: { type: 'deactivate-failed', code: 'x' }, then: {}, effects: (fx) => expect(types(fx)).toEqual(['log']) },
    { name: 'it failed after stop(): no timer', model: model({ started: false, stopped: true }), event: { type: 'deactivate-failed', code: 'x' }, then: {}, effects: (fx) => expect(types(fx)).toEqual(['log']) },
    { name: 'it failed before start(): no timer', model: fresh(), event: { type: 'deactivate-failed', code: 'x' }, then: {}, effects: (fx) => expect(types(fx)).toEqual(['log']) },
    {
      name: 'it worked: the identity is forgotten, the license asked again, syncing paused',
      model: model({ state: acknowledgedState, inDoubt: new Set(['a']), license: { active: true, checkedAt: 5, summary: 'active' }, lastLicenseCheckAt: 5, licenseCheckDue: false }),
      event: { type: 'deactivated' },
      then: { state: forgotten, inDoubt: new Set(), license: undefined, lastLicenseCheckAt: undefined, licenseCheckDue: true, deactivated: true, paused: true },
      effects: (fx) => expect(fx).toStrictEqual([{ type: 'log', level: 'info', message: 'device deactivated; syncing paused' }, { type: 'persist', state: forgotten }, EMIT]),
    },
  ]);

  it.each([
    ['paused', model({ paused: true })],
    ['stopped', model({ started: false, stopped: true })],
    ['not started', fresh()],
  ])('a failure while %s draws no random number (a seeded engine keeps its sequence)', (_, m) => {
    const noRandom: StepContext = { now: NOW, random: () => { throw new Error('random drawn'); } };
    expect(() => step(m, { type: 'deactivate-failed', code: 'x' }, noRandom)).not.toThrow();
  });
});

describe('new settings (updateOptions): one path, then a debounced config-change', () => {
  const state = withState({ desired: { a: '1' }, acknowledged: { a: '1' }, identityHash: 'h', lastFullRefreshAt: 3 });
  const changed = (over: Partial<EngineOptions>, collectorReplaced = false): EngineEvent => ({ type: 'options-changed', next: options(over), collectorReplaced });
  const log = (identityChanged: boolean): Effect => ({ type: 'log', level: 'info', message: 'configuration changed', fields: { identityChanged } });
  // New settings prove themselves: the daily full refresh is due and an activation may be tried at once.
  const proving = (s: SyncState): SyncState => ({ ...s, lastFullRefreshAt: undefined, lastActivationAttempt: undefined });
  table([
    {
      name: 'a new interval: the schedule starts over, every value is sent again, the license asked',
      model: model({ state, sched: { attempt: 3, parked: 'needs-configuration' }, licenseCheckDue: false, staticDue: false }), event: changed({ intervalMs: MIN }),
      then: { options: options({ intervalMs: MIN }), state: proving(state), sched: { attempt: 0 }, licenseCheckDue: true, pendingTrigger: 'config-change' },
      effects: [log(false), EMIT, { type: 'debounce', delayMs: 2_000 }],
    },
    {
      name: 'a new license key is a new identity',
      model: model({ staticDue: false }), event: changed({ identity: { product: 'demo', hardwareId: 'hw-1', licenseKey: 'CCCC-DDDD' } }),
      then: { options: options({ identity: { product: 'demo', hardwareId: 'hw-1', licenseKey: 'CCCC-DDDD' } }), state: proving(emptySyncState()), licenseCheckDue: true, pendingTrigger: 'config-change' },
      effects: (fx) => expect(fx[0]).toStrictEqual(log(true)),
    },
    {
      name: 'a new collector: the static facts are collected again',
      model: model({ staticDue: false }), event: changed({}, true),
      then: { options: options(), state: proving(emptySyncState()), licenseCheckDue: true, staticDue: true, pendingTrigger: 'config-change' },
      effects: (fx) => expect(types(fx)).toEqual(['log', 'emit', 'debounce']),
    },
    {
      name: 'after stop(): taken, but no sync is triggered',
      model: model({ started: false, stopped: true }), event: changed({ intervalMs: MIN }),
      then: { options: options({ intervalMs: MIN }), state: proving(emptySyncState()), licenseCheckDue: true },
      effects: [log(false), EMIT],
    },
  ]);
});

describe('sequences: the cancellation rules end to end', () => {
  const run = (start: Model, events: EngineEvent[]) => events.reduce<{ model: Model; effects: Effect[] }>((acc, e) => {
    const next = step(acc.model, e, ctx);
    return { model: next.model, effects: [...acc.effects, ...next.effects] };
  }, { model: start, effects: [] });

  it('stop() during a cycle: the request is aborted, the cycle is cancelled, nothing is left armed', () => {
    const { model: end, effects } = run(fresh(), [
      { type: 'start' },
      { type: 'first-cycle-decided', begun: 0, delayMs: 1_000, reason: 'pending', changedStatic: [], inFlight: false },
      { type: 'timer-fired', trigger: 'start' },
      { type: 'cycle-queued' },
      { type: 'cycle-began' },
      { type: 'stop' },
      { type: 'cycle-cancelled', trigger: 'start' },
      { type: 'stop-settled' },
    ]);
    expect(end).toMatchObject({ started: false, stopped: true, syncing: false, timerArmed: false, nextSyncAt: undefined, restored: true, cyclesBegun: 1 });
    expect(types(effects)).toEqual(['set-timer', 'emit', 'run', 'emit', 'clear-debounce', 'abort-cycle', 'persist', 'log', 'persist']);
  });

  it('Sync now while start() collects: the start decision is dropped, the cycle sets the schedule', () => {
    const { model: end, effects } = run(fresh(), [
      { type: 'start' },
      { type: 'sync-now' },
      { type: 'cycle-queued' },
      { type: 'cycle-began' },
      { type: 'start-static-collected', begun: 0, failures: [{ collector: 'static', message: 'late', at: 1 }] },
      { type: 'first-cycle-decided', begun: 0, delayMs: 1_000, reason: 'pending', changedStatic: [], inFlight: true },
      { type: 'cycle-finished', outcome: { ok: true } },
    ]);
    expect(end.startFailures).toEqual([]);
    expect(end.firstSync).toBeUndefined();
    expect(effects.filter((e) => e.type === 'set-timer')).toStrictEqual([timer(15 * MIN, 'timer')]);
  });
});
