// One sync cycle as a pure function (issue 14): cycleStep(model, event, ctx) → { model,
// effects }. The cycle goes hardware id → collect (static when due, then dynamic) → check
// the license → read the server back → plan → send (or activate) → the license in words →
// the end; each request is an effect, each answer an event, and the phase in Model.cycle
// says which answer is awaited. What each answer does to the Model is cycle-transitions.ts;
// the decisions are refresh-due, license-check, in-doubt, diff.planCycle, activation-limit.
import { cancelledView, errorView, unexpectedErrorView } from '../errors/error-view.ts';
import { LOCAL_ERROR_CODES } from '../licenseapi/errors.ts';
import type { VariableMap } from '../variables.ts';
import { activationDecision } from './activation-limit.ts';
import { CANCELLED } from './cycle-phase.ts';
import type { CycleCtx, CycleEffect, CycleEnd, CycleEvent, CycleRun } from './cycle-phase.ts';
import { activationTried, afterActivation, afterCollect, afterLicenseCheckGoOn, afterReadBack, afterSendFailure, afterSent, afterStaticCollect, failed, succeeded, withHardwareId } from './cycle-transitions.ts';
import { planCycle } from './diff.ts';
import type { Model } from './engine-model.ts';
import { withLicenseFacts } from './engine-model.ts';
import { DAY_MS, hashOf } from './engine-options.ts';
import { afterReadFailure, needsReconcile } from './in-doubt.ts';
import { afterLicenseCheckFailure, isLicenseCode, withLicenseWords } from './license-check.ts';
import { licenseProblem } from './license-state.ts';
import { isApiErrorLike } from './ports.ts';
import type { ApiErrorLike, CollectionResult, LicenseFacts } from './ports.ts';
import { isRefreshDue } from './refresh-due.ts';

export interface CycleStepResult {
  model: Model;
  effects: CycleEffect[];
}

function hardwareIdError(error: unknown): ApiErrorLike {
  const info = LOCAL_ERROR_CODES.hardware_id_unavailable;
  const detail = error instanceof Error ? error.message : String(error);
  return { code: 'hardware_id_unavailable', errorClass: info.errorClass, summary: `The hardware id file could not be used (${detail}), so nothing was sent.`, remedy: info.remedy, parkable: false };
}

/** A bug in a collector or port escaped every guard: an unexpected error, the daemon kept alive. */
function crashed(model: Model, error: unknown, now: number): CycleStepResult {
  const view = unexpectedErrorView(now);
  const m: Model = { ...failed(model, view, false, now), cycle: undefined };
  const effects: CycleEffect[] = [{ type: 'log', level: 'error', message: 'sync cycle crashed', fields: { error } }, { type: 'end', end: { result: { ok: false, sent: 0, error: view }, outcome: { ok: false, error } } }];
  return { model: m, effects };
}

/** One event of the cycle in flight (`cycle-started` begins one; an `end` effect ends it and clears Model.cycle). */
export function cycleStep(model: Model, event: CycleEvent, ctx: CycleCtx): CycleStepResult {
  if (event.type === 'crashed') return crashed(model, event.error, event.now);
  let m = model;
  const effects: CycleEffect[] = [];
  const run: CycleRun = event.type === 'cycle-started' ? { phase: 'hardware-id', trigger: event.trigger, now: event.now, failures: [] } : m.cycle!;
  const { now, trigger } = run;
  const log = (level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => { effects.push({ type: 'log', level, message, fields }); };
  const enter = (next: Partial<CycleRun>, effect: CycleEffect): CycleStepResult => {
    effects.push(effect);
    return { model: { ...m, cycle: { ...(m.cycle ?? run), ...next } }, effects };
  };
  const end = (done: CycleEnd): CycleStepResult => {
    effects.push({ type: 'end', end: done });
    return { model: { ...m, cycle: undefined }, effects };
  };
  const cur = (): CycleRun => m.cycle ?? run;

  const succeed = (sent: number, reason: string) => {
    m = succeeded(m, sent, now);
    log('info', sent > 0 ? 'synced' : 'nothing to send', { trigger, reason, sent, durationMs: ctx.now - now });
    return end({ result: { ok: true, sent }, outcome: { ok: true } });
  };
  const finish = (error: unknown): CycleStepResult => {
    // Stopped mid-request: no answer, so nothing is known or recorded; the values stay pending.
    if (ctx.cancelling) return end({ result: { ok: false, sent: 0, error: cancelledView(now) }, outcome: { ok: false, error: CANCELLED } });
    const view = errorView(error, now);
    if (!isApiErrorLike(error)) log('error', 'unexpected error during sync', { error });
    m = failed(m, view, isApiErrorLike(error) && isLicenseCode(error.code), now);
    log('warn', 'sync failed', { trigger, code: view.code, errorClass: view.errorClass, attempt: m.sched.attempt + 1 });
    return end({ result: { ok: false, sent: 0, error: view }, outcome: { ok: false, error } });
  };
  // After a license error the license is checked at once, so that the status says its state in words; the error keeps its code.
  const licenseWords = (error: unknown): CycleStepResult => {
    if (ctx.cancelling || !ctx.can.checkLicense || !isApiErrorLike(error) || !isLicenseCode(error.code)) return finish(error);
    return enter({ phase: 'license-words', error }, { type: 'check-license', identity: m.options.identity });
  };
  // Auto-activate with every desired value; after an unsigned device_not_found at most one attempt per identity a day.
  const activate = (cause: unknown): CycleStepResult => {
    if (ctx.cancelling) return licenseWords(cause);
    const decision = activationDecision(cause, { autoActivate: m.options.autoActivate, last: m.state.lastActivationAttempt, identityHash: cur().hash!, now });
    if (decision.action === 'pass-on') return licenseWords(cause);
    if (decision.action === 'hold-back') {
      log('warn', 'device still not found after an activation; not activating again within a day', { code: decision.error.code });
      return licenseWords(decision.error);
    }
    log('info', 'device not activated; activating with the desired values', { code: decision.cause.code });
    m = activationTried(m, cur().hash!, now);
    const desired = { ...m.state.desired };
    return enter({ phase: 'activating', activating: desired }, { type: 'activate', desired });
  };
  const plan = (reconciledEveryValue: boolean): CycleStepResult => {
    const { state, options } = m;
    const { identityChanged, desired } = cur();
    const p = planCycle({ desired: desired!, acknowledged: state.acknowledged, identityChanged: identityChanged!, lastFullRefreshAt: state.lastFullRefreshAt, now, fullRefreshMs: options.fullRefreshMs ?? DAY_MS, reconciledEveryValue });
    if (p.reason === 'nothing') {
      if (p.full) m = { ...m, state: { ...m.state, lastFullRefreshAt: now } }; // what the server holds was just read
      return succeed(0, 'nothing');
    }
    return enter({ phase: 'sending', variables: p.variables, full: p.full, reason: p.reason }, { type: 'track', identity: options.identity, variables: p.variables });
  };
  const readBack = (): CycleStepResult => {
    if (!ctx.can.getVariables || !needsReconcile(cur().identityChanged!, m.inDoubt, m.recheck)) return plan(false);
    return enter({ phase: 'reading-back' }, { type: 'get-variables', identity: m.options.identity });
  };
  // check_license at start, every 24 h, after license errors and identity changes.
  const checkLicense = (): CycleStepResult => {
    if (!ctx.can.checkLicense || !isRefreshDue({ forced: m.licenseCheckDue, lastAt: m.lastLicenseCheckAt, now, everyMs: m.options.licenseCheckMs ?? DAY_MS })) return readBack();
    return enter({ phase: 'checking-license' }, { type: 'check-license', identity: m.options.identity });
  };
  const noted = (result: CollectionResult) => [...cur().failures, ...result.failures.map((f) => ({ collector: f.collector, message: f.message, at: now }))];
  const collected = (desired: VariableMap, failures: CycleRun['failures'], sources: Parameters<typeof afterCollect>[1]['sources']): CycleStepResult => {
    const hash = hashOf(m.options);
    const after = afterCollect(m, { desired, failures, sources, hash, now });
    m = { ...after.model, cycle: { ...cur(), failures, hash, identityChanged: after.identityChanged, desired } };
    return checkLicense();
  };
  const collectDynamic = (failures: CycleRun['failures']): CycleStepResult => enter({ phase: 'collecting', failures }, { type: 'collect-dynamic' });
  const collect = (): CycleStepResult => {
    const failures = [...m.startFailures];
    m = { ...m, startFailures: [] };
    if (isRefreshDue({ forced: m.staticDue, lastAt: m.state.lastStaticAt, now, everyMs: m.options.staticRefreshMs ?? DAY_MS })) return enter({ phase: 'collecting-static', failures }, { type: 'collect-static' });
    return collectDynamic(failures);
  };

  switch (event.type) {
    case 'cycle-started':
      m = { ...m, cycle: run };
      return m.options.refreshHardwareId ? enter({}, { type: 'read-hardware-id' }) : collect();
    case 'hardware-id-read':
      if (event.hardwareId !== m.options.identity.hardwareId) {
        log('info', 'the hardware id file names another id: a new identity');
        m = withHardwareId(m, event.hardwareId);
      }
      return collect();
    case 'hardware-id-failed':
      m = { ...m, state: { ...m.state, lastAttemptAt: now } };
      return finish(hardwareIdError(event.error));
    case 'static-collected': {
      const failures = noted(event.result);
      m = afterStaticCollect(m, event.result.values, now);
      log('debug', 'static facts collected', { count: Object.keys(event.result.values).length, durationMs: event.result.durationMs });
      return collectDynamic(failures);
    }
    case 'static-failed':
      return collectDynamic([...run.failures, { collector: 'static', message: event.message, at: now }]);
    case 'collected':
      return collected({ ...m.state.staticValues, ...event.result.values }, noted(event.result), event.sources);
    case 'collect-failed':
      // Keep the last known dynamic values rather than dropping them from the desired set.
      return collected({ ...m.state.desired, ...m.state.staticValues }, [...run.failures, { collector: 'dynamic', message: event.message, at: now }], event.sources);
    case 'license-checked': {
      m = withLicenseFacts(m, event.facts, now);
      if (run.phase === 'license-words') {
        m = { ...m, licenseCheckDue: true }; // and again at the next cycle
        return finish(withLicenseWords(run.error as ApiErrorLike, m.license));
      }
      const problem = m.license ? licenseProblem(m.license) : undefined;
      return problem ? finish(problem) : readBack();
    }
    case 'license-check-failed': {
      if (run.phase === 'license-words') return finish(run.error); // e.g. the device is not active on the license: nothing more to say
      const { error } = event;
      if (!isApiErrorLike(error)) return readBack();
      const next = afterLicenseCheckFailure(error.errorClass, error.code);
      if (next.action === 'activate') return activate(error);
      if (next.action === 'stop') return finish(error);
      log('info', 'license check failed; syncing goes on', { code: error.code });
      m = afterLicenseCheckGoOn(m, next, now); // checked now: not again before the next period
      return readBack();
    }
    case 'server-read': {
      const after = afterReadBack(m, run.identityChanged!, event.held);
      log('info', 'reconciled with what the server holds', { held: Object.keys(event.held).length, matching: after.done.matching, of: after.done.compared.length });
      m = after.model;
      return plan(run.identityChanged!);
    }
    case 'read-failed': {
      const { error } = event;
      const next = afterReadFailure(isApiErrorLike(error) ? error.errorClass : undefined);
      if (next === 'activate') return activate(error);
      if (next === 'stop') return finish(error);
      log('info', 'could not read what the server holds; sending every value', { code: isApiErrorLike(error) ? error.code : 'unexpected' });
      return plan(false);
    }
    case 'sent': {
      const variables = run.variables!;
      if (m.inDoubt.size > 0) log('info', 'values sent in a request that timed out will be sent once more next cycle', { count: m.inDoubt.size });
      m = afterSent(m, variables, run.full!, now);
      return succeed(Object.keys(variables).length, run.reason!);
    }
    case 'send-failed':
      m = afterSendFailure(m, isApiErrorLike(event.error) ? event.error.code : undefined, Object.keys(run.variables!));
      return activate(event.error);
    case 'activated': {
      // Activation stores the variables it carries (proven against the sandbox in test/sync), so they count as acknowledged.
      const desired = run.activating!;
      m = afterActivation(m, desired, now);
      if (event.reply && typeof event.reply === 'object') m = withLicenseFacts(m, event.reply as LicenseFacts, now);
      return succeed(Object.keys(desired).length, 'activated');
    }
    case 'activation-failed':
      return licenseWords(event.error);
  }
}
