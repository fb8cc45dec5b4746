// One cycle (runCycle) over a scripted host: the paths the engine tests reach only through
// timers and the sandbox — a stop() during a request, a collector that throws, the crash
// guard, the license asked after a license error — with the model read back after the cycle.
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../log/logger.ts';
import type { VariableMap } from '../variables.ts';
import { CANCELLED, runCycle } from './cycle.ts';
import type { CycleHost } from './cycle-host.ts';
import type { Model } from './engine-model.ts';
import type { ApiErrorLike, CollectorPort, LicenseApiPort, LicenseFacts } from './ports.ts';
import { hashOf } from './engine-options.ts';
import { engineOptions, newModel } from '../../test/support/engine-model.ts';

const NOW = 1_000_000;

function apiError(code: string, errorClass: ApiErrorLike['errorClass']): ApiErrorLike & Error {
  return Object.assign(new Error(code), { code, errorClass, summary: `${code}.`, remedy: 'r' });
}

interface Script {
  track?: () => Promise<unknown>;
  activate?: () => Promise<unknown>;
  checkLicense?: () => Promise<LicenseFacts>;
  dynamic?: () => Promise<VariableMap>;
  sources?: () => never;
  /** stop() came while the request was in flight. */
  aborted?: boolean;
}

function host(script: Script, start: Partial<Model> = {}) {
  // Under the same identity as before, static facts collected and the license asked just now (neither due), unless `start` says otherwise.
  let model = newModel({ started: true, licenseCheckDue: false, lastLicenseCheckAt: NOW, staticDue: false, state: { ...newModel().state, identityHash: hashOf(engineOptions()), lastStaticAt: NOW }, ...start });
  const calls: string[] = [];
  const client: LicenseApiPort = {
    async trackDeviceVariables() { calls.push('track'); return script.track ? script.track() : []; },
    async activateLicense() { calls.push('activate'); return script.activate ? script.activate() : {}; },
    ...(script.checkLicense ? { checkLicense: async () => { calls.push('check'); return script.checkLicense!(); } } : {}),
  };
  const collector: CollectorPort = {
    async collectStatic() { calls.push('static'); return { values: { os: 'linux' }, failures: [], durationMs: 1 }; },
    async collectDynamic() { return { values: script.dynamic ? await script.dynamic() : { cpu: '3' }, failures: [], durationMs: 1 }; },
    ...(script.sources ? { sources: script.sources } : {}),
  };
  const h: CycleHost = {
    model: () => model,
    update: (change) => { model = change(model); },
    client: () => client,
    collector: () => collector,
    clock: { now: () => NOW, setTimeout: () => undefined, clearTimeout: () => undefined },
    log: silentLogger,
    callOptions: () => ({}),
    cancelling: () => script.aborted === true,
  };
  return { h, calls, model: () => model };
}

describe('runCycle', () => {
  it('sends what is pending, acknowledges it and records the success', async () => {
    const { h, calls, model } = host({});
    const end = await runCycle(h, 'timer', NOW);
    expect(end).toStrictEqual({ result: { ok: true, sent: 1 }, outcome: { ok: true } });
    expect(calls).toEqual(['track']);
    expect(model().state).toMatchObject({ desired: { cpu: '3' }, acknowledged: { cpu: '3' }, lastSuccessAt: NOW, lastAttemptAt: NOW, history: [{ at: NOW, outcome: 'ok', sent: 1 }] });
  });

  it('stop() during the send: CANCELLED, nothing recorded, no activation, the license not asked', async () => {
    const { h, calls, model } = host({ track: () => Promise.reject(apiError('device_not_found', 'needs-activation')), checkLicense: async () => ({}), aborted: true });
    const end = await runCycle(h, 'timer', NOW);
    expect(end.outcome).toStrictEqual({ ok: false, error: CANCELLED });
    expect(end.result).toMatchObject({ ok: false, sent: 0, error: { code: 'cancelled' } });
    expect(calls).toEqual(['track']);
    expect(model().state.lastError).toBeUndefined();
    expect(model().state.history).toEqual([]);
    expect(model().state.acknowledged).toEqual({});
  });

  it('device_not_found when not stopped: activates with every desired value', async () => {
    const { h, calls, model } = host({ track: () => Promise.reject(apiError('device_not_found', 'needs-activation')) });
    const end = await runCycle(h, 'timer', NOW);
    expect(end).toStrictEqual({ result: { ok: true, sent: 1 }, outcome: { ok: true } });
    expect(calls).toEqual(['track', 'activate']);
    expect(model().state).toMatchObject({ acknowledged: { cpu: '3' }, lastFullRefreshAt: NOW, lastActivationAttempt: { at: NOW } });
  });

  it('a license error: the license is asked at once (and again next cycle), the error keeps its code', async () => {
    const { h, calls, model } = host({ track: () => Promise.reject(apiError('license_expired', 'license-state')), checkLicense: async () => ({ licenseEnabled: true, licenseActive: true, isExpired: true }) });
    const end = await runCycle(h, 'timer', NOW);
    expect(calls).toEqual(['track', 'check']);
    expect(end.result).toMatchObject({ ok: false, error: { code: 'license_expired' } });
    expect(model().licenseCheckDue).toBe(true);
    expect(model().license).toMatchObject({ expired: true, checkedAt: NOW });
    expect(model().state.lastError?.code).toBe('license_expired');
  });

  it('a dynamic collector that throws: the last known values are kept, the failure reported', async () => {
    const { h, model } = host({ dynamic: () => Promise.reject(new Error('no /proc')) }, {
      state: { ...newModel().state, identityHash: hashOf(engineOptions()), lastStaticAt: NOW, desired: { cpu: '2', os: 'old' }, staticValues: { os: 'linux' } },
      startFailures: [{ collector: 'static', message: 'at start', at: 1 }],
    });
    await runCycle(h, 'timer', NOW);
    expect(model().state.desired).toEqual({ cpu: '2', os: 'linux' });
    expect(model().collectorFailures).toEqual([{ collector: 'static', message: 'at start', at: 1 }, { collector: 'dynamic', message: 'no /proc', at: NOW }]);
    expect(model().startFailures).toEqual([]);
  });

  it('static facts when due: collected, then not before a period', async () => {
    const { h, calls, model } = host({}, { staticDue: true });
    await runCycle(h, 'timer', NOW);
    expect(calls[0]).toBe('static');
    expect(model()).toMatchObject({ staticDue: false, state: { lastStaticAt: NOW, desired: { os: 'linux', cpu: '3' } } });
    const again = host({}, { state: model().state });
    await runCycle(again.h, 'timer', NOW + 1);
    expect(again.calls).toEqual([]); // nothing changed either: no request
  });

  it('a crash that escaped every guard: an unexpected error in the state, not thrown', async () => {
    const { h, model } = host({ sources: () => { throw new Error('bug'); } });
    const end = await runCycle(h, 'timer', NOW);
    expect(end.result).toMatchObject({ ok: false, sent: 0, error: { code: 'unexpected_error' } });
    expect(end.outcome).toMatchObject({ ok: false, error: new Error('bug') });
    expect(model().state).toMatchObject({ lastError: { code: 'unexpected_error' }, history: [{ at: NOW, outcome: 'error', sent: 0, code: 'unexpected_error' }] });
  });
});
