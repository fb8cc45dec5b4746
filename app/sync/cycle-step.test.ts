// One sync cycle as tables over the pure cycleStep(): a row is the model a cycle starts
// from and the answers its requests get; it checks the requests asked (in order), the log
// lines, the cycle's end (the SyncResult and the outcome the schedule sees) and the model
// after it. No port, clock, timer or store: "what is sent after a timeout and then a
// success?" is the row that says it.
import { describe, expect, it } from 'vitest';
import type { SyncTrigger } from '../agent-api.ts';
import { emptySyncState } from '../state/sync-state.ts';
import type { SyncState } from '../state/sync-state.ts';
import type { VariableMap } from '../variables.ts';
import { CANCELLED } from './cycle-phase.ts';
import type { CycleCtx, CycleEnd, CycleEvent } from './cycle-phase.ts';
import { cycleStep } from './cycle-step.ts';
import type { Model } from './engine-model.ts';
import { hashOf } from './engine-options.ts';
import type { ApiErrorLike } from './ports.ts';
import { engineOptions, newModel } from '../../test/support/engine-model.ts';

const NOW = 1_000_000;
const HASH = hashOf(engineOptions());
const apiError = (code: string, errorClass: ApiErrorLike['errorClass'], over: Partial<ApiErrorLike> = {}): ApiErrorLike => ({ code, errorClass, summary: `${code}.`, remedy: 'r', ...over });
const TIMEOUT = apiError('timeout', 'retryable');
const NOT_FOUND = apiError('device_not_found', 'needs-activation');
const EXPIRED = apiError('license_expired', 'license-state');

/** Started under the same identity as before, static facts collected and the license asked just now (neither due). */
const base = (over: Partial<Model> = {}, state: Partial<SyncState> = {}): Model =>
  newModel({ started: true, licenseCheckDue: false, lastLicenseCheckAt: NOW, staticDue: false, ...over, state: { ...emptySyncState(), identityHash: HASH, lastStaticAt: NOW, lastFullRefreshAt: NOW, ...state } });

const collected = (values: VariableMap = { cpu: '3' }): CycleEvent => ({ type: 'collected', result: { values, failures: [], durationMs: 1 }, sources: [] });
const failedWith = (error: unknown, type: 'send-failed' | 'read-failed' | 'license-check-failed' | 'activation-failed' = 'send-failed'): CycleEvent => ({ type, error } as CycleEvent);
const SENT: CycleEvent = { type: 'sent' };

interface Ran {
  model: Model;
  /** The requests, in order: `track {"cpu":"3"}`, `activate {…}`, or the effect's type. */
  requests: string[];
  logs: string[];
  end: CycleEnd | undefined;
}

/** One cycle: cycle-started at NOW, then each answer in turn (the step's clock moves 5 ms an event); stop() came before answer `cancelFrom` (1: the first). */
function cycle(start: Model, answers: CycleEvent[], ctx: Partial<CycleCtx> = {}, trigger: SyncTrigger = 'timer', cancelFrom = Infinity): Ran {
  let model = start;
  const requests: string[] = [];
  const logs: string[] = [];
  let end: CycleEnd | undefined;
  const events: CycleEvent[] = [{ type: 'cycle-started', trigger, now: NOW }, ...answers];
  events.forEach((event, i) => {
    expect(end, 'no answer after the end').toBeUndefined();
    const out = cycleStep(model, event, { now: NOW + 5 * i, cancelling: i >= cancelFrom, can: { checkLicense: true, getVariables: true }, ...ctx });
    model = out.model;
    for (const effect of out.effects) {
      if (effect.type === 'log') logs.push(`${effect.level} ${effect.message}`);
      else if (effect.type === 'end') end = effect.end;
      else if (effect.type === 'track') requests.push(`track ${JSON.stringify(effect.variables)}`);
      else if (effect.type === 'activate') requests.push(`activate ${JSON.stringify(effect.desired)}`);
      else requests.push(effect.type);
    }
  });
  if (end !== undefined) expect(model.cycle, 'Model.cycle cleared at the end').toBeUndefined();
  return { model, requests, logs, end };
}

const ok = (sent: number): CycleEnd => ({ result: { ok: true, sent }, outcome: { ok: true } });

describe('a cycle, request by request', () => {
  it('something pending: collected, sent, acknowledged, a success in the history', () => {
    const r = cycle(base(), [collected(), SENT]);
    expect(r.requests).toEqual(['collect-dynamic', 'track {"cpu":"3"}']);
    expect(r.end).toStrictEqual(ok(1));
    expect(r.logs).toEqual(['info synced']);
    expect(r.model.state).toMatchObject({ desired: { cpu: '3' }, acknowledged: { cpu: '3' }, lastSuccessAt: NOW, lastAttemptAt: NOW, lastError: undefined, history: [{ at: NOW, outcome: 'ok', sent: 1 }] });
  });

  it('nothing changed: no request after the collection, "nothing to send"', () => {
    const r = cycle(base({}, { desired: { cpu: '3' }, acknowledged: { cpu: '3' }, lastFullRefreshAt: NOW }), [collected()]);
    expect(r.requests).toEqual(['collect-dynamic']);
    expect(r.end).toStrictEqual(ok(0));
    expect(r.logs).toEqual(['info nothing to send']);
    expect(r.model.state.history).toEqual([{ at: NOW, outcome: 'nothing-to-send', sent: 0 }]);
  });

  it('the phase is in the model while a request is out, with what the cycle learnt', () => {
    const start = base();
    const first = cycleStep(start, { type: 'cycle-started', trigger: 'manual', now: NOW }, { now: NOW, cancelling: false, can: { checkLicense: false, getVariables: false } });
    expect(first.model.cycle).toStrictEqual({ phase: 'collecting', trigger: 'manual', now: NOW, failures: [] });
    const second = cycleStep(first.model, collected(), { now: NOW + 7, cancelling: false, can: { checkLicense: false, getVariables: false } });
    expect(second.model.cycle).toMatchObject({ phase: 'sending', hash: HASH, identityChanged: false, desired: { cpu: '3' }, variables: { cpu: '3' }, full: false });
    expect(start.cycle).toBeUndefined(); // the input model is not changed
    const done = cycleStep(second.model, SENT, { now: NOW + 12, cancelling: false, can: { checkLicense: false, getVariables: false } });
    expect(done.effects).toContainEqual({ type: 'log', level: 'info', message: 'synced', fields: { trigger: 'manual', reason: second.model.cycle!.reason, sent: 1, durationMs: 12 } });
    expect(second.model.cycle!.phase).toBe('sending');
  });

  it('the hardware id file: the same id changes nothing; another id is a new identity, so every value is read back and the license asked', () => {
    const reading = base({ options: engineOptions({ refreshHardwareId: async () => 'x' }) });
    const same = cycle(reading, [{ type: 'hardware-id-read', hardwareId: 'hw-1' }, collected(), SENT]);
    expect(same.requests).toEqual(['read-hardware-id', 'collect-dynamic', 'track {"cpu":"3"}']);
    const other = cycle(reading, [{ type: 'hardware-id-read', hardwareId: 'hw-2' }, collected(), { type: 'license-checked', facts: { licenseActive: true, licenseEnabled: true } }, { type: 'server-read', held: {} }, SENT]);
    expect(other.requests).toEqual(['read-hardware-id', 'collect-dynamic', 'check-license', 'get-variables', 'track {"cpu":"3"}']);
    expect(other.logs[0]).toBe('info the hardware id file names another id: a new identity');
    expect(other.model.options.identity.hardwareId).toBe('hw-2');
  });

  it('the hardware id file cannot be read: nothing collected or sent, the attempt recorded, hardware_id_unavailable', () => {
    const r = cycle(base({ options: engineOptions({ refreshHardwareId: async () => 'x' }) }), [{ type: 'hardware-id-failed', error: new Error('gone') }]);
    expect(r.requests).toEqual(['read-hardware-id']);
    expect(r.end?.result).toMatchObject({ ok: false, sent: 0, error: { code: 'hardware_id_unavailable', summary: 'The hardware id file could not be used (gone), so nothing was sent.' } });
    expect(r.model.state).toMatchObject({ lastAttemptAt: NOW, lastError: { code: 'hardware_id_unavailable' } });
  });
});

describe('the collection', () => {
  it('static facts due: collected first, kept, then the metrics; start()\'s failures reported with the cycle\'s', () => {
    const start = base({ staticDue: true, startFailures: [{ collector: 'static', message: 'at start', at: 1 }] });
    const r = cycle(start, [{ type: 'static-collected', result: { values: { os: 'linux' }, failures: [{ collector: 'disk', message: 'slow' }], durationMs: 2 } }, collected(), SENT]);
    expect(r.requests).toEqual(['collect-static', 'collect-dynamic', 'track {"os":"linux","cpu":"3"}']);
    expect(r.logs).toEqual(['debug static facts collected', 'info synced']);
    expect(r.model).toMatchObject({ staticDue: false, startFailures: [], collectorFailures: [{ collector: 'static', message: 'at start', at: 1 }, { collector: 'disk', message: 'slow', at: NOW }] });
  });

  it('the static collector throws: reported; the dynamic collector throws: the last known values are kept', () => {
    const start = base({ staticDue: true }, { desired: { cpu: '2', os: 'old' }, staticValues: { os: 'linux' } });
    const r = cycle(start, [{ type: 'static-failed', message: 'no dmi' }, { type: 'collect-failed', message: 'no /proc', sources: [] }, SENT]);
    expect(r.model.state.desired).toEqual({ cpu: '2', os: 'linux' });
    expect(r.model.collectorFailures).toEqual([{ collector: 'static', message: 'no dmi', at: NOW }, { collector: 'dynamic', message: 'no /proc', at: NOW }]);
    expect(r.model.staticDue).toBe(true); // asked again next cycle
  });
});

describe('what is sent after a timeout and then a success', () => {
  const sends = (start: Model, cycles: CycleEvent[][], can = { checkLicense: true, getVariables: false }) => {
    let model = start;
    return cycles.map((answers) => {
      const r = cycle(model, answers, { can });
      model = r.model;
      return { requests: r.requests.filter((q) => q !== 'collect-dynamic'), ok: r.end?.result.ok, inDoubt: [...model.inDoubt], acknowledged: model.state.acknowledged };
    });
  };

  it('a server that cannot be read back: the value is sent again after the success, then not again', () => {
    expect(sends(base(), [[collected(), failedWith(TIMEOUT)], [collected(), SENT], [collected(), SENT], [collected()]])).toEqual([
      { requests: ['track {"cpu":"3"}'], ok: false, inDoubt: ['cpu'], acknowledged: {} },
      { requests: ['track {"cpu":"3"}'], ok: true, inDoubt: [], acknowledged: {} }, // a late copy of the first request may land after it
      { requests: ['track {"cpu":"3"}'], ok: true, inDoubt: [], acknowledged: { cpu: '3' } },
      { requests: [], ok: true, inDoubt: [], acknowledged: { cpu: '3' } },
    ]);
  });

  it('a server that can be read back: what it holds is compared instead of a second send, and read once more a cycle later', () => {
    const held = { type: 'server-read', held: { cpu: '3' } } as const;
    expect(sends(base(), [[collected(), failedWith(TIMEOUT)], [collected(), held], [collected(), held], [collected()]], { checkLicense: true, getVariables: true })).toEqual([
      { requests: ['track {"cpu":"3"}'], ok: false, inDoubt: ['cpu'], acknowledged: {} },
      { requests: ['get-variables'], ok: true, inDoubt: [], acknowledged: { cpu: '3' } },
      { requests: ['get-variables'], ok: true, inDoubt: [], acknowledged: { cpu: '3' } },
      { requests: [], ok: true, inDoubt: [], acknowledged: { cpu: '3' } },
    ]);
  });

  it('the second send says so in the log', () => {
    const r = cycle(base({ inDoubt: new Set(['cpu']) }), [collected(), SENT], { can: { checkLicense: false, getVariables: false } });
    expect(r.logs).toEqual(['info values sent in a request that timed out will be sent once more next cycle', 'info synced']);
  });

  it('a failure that is not a timeout leaves nothing in doubt', () => {
    expect(sends(base(), [[collected(), failedWith(apiError('server_error', 'retryable'))], [collected(), SENT]])[1]).toEqual({ requests: ['track {"cpu":"3"}'], ok: true, inDoubt: [], acknowledged: { cpu: '3' } });
  });
});

describe('the license, activation and the end of a cycle', () => {
  const asked = (over: Partial<Model> = {}) => base({ licenseCheckDue: true, ...over });
  const facts = (over: object = {}): CycleEvent => ({ type: 'license-checked', facts: { licenseActive: true, licenseEnabled: true, ...over } });
  const rows: { name: string; start: Model; answers: CycleEvent[]; ctx?: Partial<CycleCtx>; cancelFrom?: number; requests: string[]; logs?: string[]; end: object; then?: object }[] = [
    {
      name: 'license check due: asked before the send; its answer recorded', start: asked(), answers: [collected(), facts(), SENT],
      requests: ['collect-dynamic', 'check-license', 'track {"cpu":"3"}'], end: ok(1), then: { licenseCheckDue: false, lastLicenseCheckAt: NOW, license: { active: true, checkedAt: NOW } },
    },
    { name: 'license check due but the client cannot ask: straight to the send', start: asked(), answers: [collected(), SENT], ctx: { can: { checkLicense: false, getVariables: false } }, requests: ['collect-dynamic', 'track {"cpu":"3"}'], end: ok(1) },
    {
      name: 'the license is expired: the cycle ends in words, nothing sent', start: asked(), answers: [collected(), facts({ isExpired: true })],
      requests: ['collect-dynamic', 'check-license'], end: { result: { ok: false, sent: 0, error: { code: 'license_expired' } } }, then: { state: { lastError: { code: 'license_expired' } }, licenseCheckDue: true },
    },
    {
      name: 'the check fails with a retryable error: syncing goes on, asked again next cycle', start: asked(), answers: [collected(), failedWith(TIMEOUT, 'license-check-failed'), SENT],
      requests: ['collect-dynamic', 'check-license', 'track {"cpu":"3"}'], logs: ['info license check failed; syncing goes on', 'info synced'], end: ok(1), then: { licenseCheckDue: true, lastLicenseCheckAt: NOW },
    },
    { name: 'the check fails with no API error: syncing goes on quietly', start: asked(), answers: [collected(), failedWith(new Error('bug'), 'license-check-failed'), SENT], requests: ['collect-dynamic', 'check-license', 'track {"cpu":"3"}'], logs: ['info synced'], end: ok(1) },
    { name: 'the check says device_not_found: activated with every desired value', start: asked(), answers: [collected(), failedWith(NOT_FOUND, 'license-check-failed'), { type: 'activated', reply: undefined }], requests: ['collect-dynamic', 'check-license', 'activate {"cpu":"3"}'], end: ok(1) },
    { name: 'the check says the license is disabled: the cycle ends on it', start: asked(), answers: [collected(), failedWith(apiError('license_disabled', 'license-state'), 'license-check-failed')], requests: ['collect-dynamic', 'check-license'], end: { result: { ok: false, error: { code: 'license_disabled' } } } },
    {
      name: 'device_not_found on the send: activated; the reply is the license; what it carried is acknowledged', start: base(), answers: [collected(), failedWith(NOT_FOUND), { type: 'activated', reply: { licenseActive: true, licenseEnabled: true } }],
      requests: ['collect-dynamic', 'track {"cpu":"3"}', 'activate {"cpu":"3"}'], logs: ['info device not activated; activating with the desired values', 'info synced'], end: ok(1),
      then: { license: { active: true }, state: { acknowledged: { cpu: '3' }, lastFullRefreshAt: NOW, lastActivationAttempt: { identityHash: HASH, at: NOW } } },
    },
    {
      name: 'device_not_found again within a day of an activation: held back, not activated again', start: base({}, { lastActivationAttempt: { identityHash: HASH, at: NOW - 1000 } }), answers: [collected(), failedWith(NOT_FOUND)],
      requests: ['collect-dynamic', 'track {"cpu":"3"}'], logs: ['warn device still not found after an activation; not activating again within a day', 'warn sync failed'], end: { result: { ok: false, error: { code: 'device_not_found' } } },
    },
    { name: 'device_not_found without autoActivate: the error', start: base({ options: engineOptions({ autoActivate: false }) }), answers: [collected(), failedWith(NOT_FOUND)], requests: ['collect-dynamic', 'track {"cpu":"3"}'], end: { result: { ok: false, error: { code: 'device_not_found' } } } },
    { name: 'the activation fails: its error', start: base(), answers: [collected(), failedWith(NOT_FOUND), failedWith(apiError('bad_request', 'fatal'), 'activation-failed')], requests: ['collect-dynamic', 'track {"cpu":"3"}', 'activate {"cpu":"3"}'], end: { result: { ok: false, error: { code: 'bad_request' } } } },
    {
      name: 'a license error on the send: the license asked at once, the error in its words, asked again next cycle', start: base(), answers: [collected(), failedWith(EXPIRED), facts({ isExpired: true })],
      requests: ['collect-dynamic', 'track {"cpu":"3"}', 'check-license'], end: { result: { ok: false, error: { code: 'license_expired' } } }, then: { licenseCheckDue: true, license: { expired: true }, state: { lastError: { code: 'license_expired' } } },
    },
    { name: 'a license error, and the check fails too: the error as it was', start: base(), answers: [collected(), failedWith(EXPIRED), failedWith(NOT_FOUND, 'license-check-failed')], requests: ['collect-dynamic', 'track {"cpu":"3"}', 'check-license'], end: { result: { ok: false, error: { code: 'license_expired', summary: 'license_expired.' } }, outcome: { ok: false, error: EXPIRED } } },
    {
      name: 'an error that is not the API\'s: logged as unexpected', start: base(), answers: [collected(), failedWith(new Error('bug'))], requests: ['collect-dynamic', 'track {"cpu":"3"}'],
      logs: ['error unexpected error during sync', 'warn sync failed'], end: { result: { ok: false, error: { code: 'unexpected_error' } } }, then: { state: { history: [{ at: NOW, outcome: 'error', sent: 0, code: 'unexpected_error' }] } },
    },
    {
      name: 'CANCELLED: stop() during the send: nothing recorded, no activation, the license not asked', start: base(), answers: [collected(), failedWith(NOT_FOUND)], cancelFrom: 2,
      requests: ['collect-dynamic', 'track {"cpu":"3"}'], logs: [], end: { result: { ok: false, sent: 0, error: { code: 'cancelled', at: NOW } }, outcome: { ok: false, error: CANCELLED } }, then: { state: { history: [], acknowledged: {} }, inDoubt: new Set() },
    },
    { name: 'CANCELLED: stop() during a send that ends in a license error: the license not asked', start: base(), answers: [collected(), failedWith(EXPIRED)], cancelFrom: 2, requests: ['collect-dynamic', 'track {"cpu":"3"}'], logs: [], end: { outcome: { ok: false, error: CANCELLED } }, then: { state: { history: [] } } },
    { name: 'a license error with a client that cannot check the license: the error as it was', start: base(), answers: [collected(), failedWith(EXPIRED)], ctx: { can: { checkLicense: false, getVariables: false } }, requests: ['collect-dynamic', 'track {"cpu":"3"}'], end: { outcome: { ok: false, error: EXPIRED } } },
    { name: 'CANCELLED: stop() during the license check of a license error', start: base(), answers: [collected(), failedWith(EXPIRED), failedWith(apiError('cancelled', 'retryable'), 'license-check-failed')], cancelFrom: 3, requests: ['collect-dynamic', 'track {"cpu":"3"}', 'check-license'], logs: [], end: { outcome: { ok: false, error: CANCELLED } }, then: { state: { history: [] } } },
    { name: 'CANCELLED: stop() during the license check, which still answered', start: base(), answers: [collected(), failedWith(EXPIRED), facts({ isExpired: true })], cancelFrom: 3, requests: ['collect-dynamic', 'track {"cpu":"3"}', 'check-license'], end: { outcome: { ok: false, error: CANCELLED } }, then: { state: { history: [] } } },
    { name: 'CANCELLED: stop() during the collection (the end comes with the first failure)', start: asked(), answers: [collected(), failedWith(EXPIRED, 'license-check-failed')], cancelFrom: 1, requests: ['collect-dynamic', 'check-license'], end: { outcome: { ok: false, error: CANCELLED } }, then: { state: { history: [] } } },
    {
      name: 'read back after an identity change fails retryably: the cycle stops before sending', start: base({}, { identityHash: 'old' }), answers: [collected(), failedWith(TIMEOUT, 'read-failed')],
      ctx: { can: { checkLicense: false, getVariables: true } }, requests: ['collect-dynamic', 'get-variables'], end: { result: { ok: false, error: { code: 'timeout' } } },
    },
    { name: 'read back fails with device_not_found: activated', start: base({}, { identityHash: 'old' }), answers: [collected(), failedWith(NOT_FOUND, 'read-failed'), { type: 'activated', reply: {} }], ctx: { can: { checkLicense: false, getVariables: true } }, requests: ['collect-dynamic', 'get-variables', 'activate {"cpu":"3"}'], end: ok(1) },
    {
      name: 'read back fails otherwise: every value sent', start: base({}, { identityHash: 'old' }), answers: [collected(), failedWith(apiError('bad_request', 'fatal'), 'read-failed'), SENT], ctx: { can: { checkLicense: false, getVariables: true } },
      requests: ['collect-dynamic', 'get-variables', 'track {"cpu":"3"}'], logs: ['info could not read what the server holds; sending every value', 'info synced'], end: ok(1),
    },
    {
      name: 'after an identity change the server holds every value: nothing sent, a full refresh recorded', start: base({}, { identityHash: 'old', lastFullRefreshAt: 1 }), answers: [collected(), { type: 'server-read', held: { cpu: '3' } }], ctx: { can: { checkLicense: false, getVariables: true } },
      requests: ['collect-dynamic', 'get-variables'], logs: ['info reconciled with what the server holds', 'info nothing to send'], end: ok(0), then: { state: { lastFullRefreshAt: NOW, acknowledged: { cpu: '3' } } },
    },
  ];
  it.each(rows)('$name', ({ start, answers, ctx, cancelFrom, requests, logs, end, then }) => {
    const r = cycle(start, answers, ctx, 'timer', cancelFrom);
    if (cancelFrom !== undefined) expect(r.model.state.lastError).toBeUndefined();
    expect(r.requests).toEqual(requests);
    if (logs !== undefined) expect(r.logs).toEqual(logs);
    expect(r.end).toMatchObject(end);
    if (then !== undefined) expect(r.model).toMatchObject(then);
  });

  it('a crash that escaped every guard: an unexpected error, the cycle cleared, at any phase', () => {
    const sending = cycleStep(base(), { type: 'cycle-started', trigger: 'timer', now: NOW }, { now: NOW, cancelling: false, can: { checkLicense: false, getVariables: false } }).model;
    const bug = new Error('bug');
    const out = cycleStep(sending, { type: 'crashed', error: bug, now: NOW }, { now: NOW + 3, cancelling: false, can: { checkLicense: false, getVariables: false } });
    expect(out.effects).toStrictEqual([
      { type: 'log', level: 'error', message: 'sync cycle crashed', fields: { error: bug } },
      { type: 'end', end: { result: { ok: false, sent: 0, error: out.model.state.lastError }, outcome: { ok: false, error: bug } } },
    ]);
    expect(out.model.cycle).toBeUndefined();
    expect(out.model.state).toMatchObject({ lastError: { code: 'unexpected_error', at: NOW }, history: [{ at: NOW, outcome: 'error', sent: 0, code: 'unexpected_error' }] });
  });
});
