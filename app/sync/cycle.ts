// One sync cycle, in the order its requests go: hardware id → collect → check the license
// → read the server back → plan → send (or activate) → the license in words → the result.
// Each await is a port call; what the cycle decides between them is a pure module
// (refresh-due, license-check, in-doubt, diff.planCycle, activation-limit), and what each
// answer does to the model is a pure transition (cycle-transitions.ts). It reads and writes
// the engine's one Model through the host at the moment it needs it, as the engine did
// before it was split: a stop() or new settings that arrive while a request is in flight
// are seen by the steps after it.
import type { CollectorFailure, SyncResult, SyncTrigger } from '../agent-api.ts';
import { cancelledView, errorView, unexpectedErrorView } from '../errors/error-view.ts';
import { LOCAL_ERROR_CODES } from '../licenseapi/errors.ts';
import type { VariableMap } from '../variables.ts';
import { activationDecision } from './activation-limit.ts';
import { collectDesired } from './cycle-collect.ts';
import type { CycleHost, StepOutcome } from './cycle-host.ts';
import { GO_ON, patch, recordLicense, setState } from './cycle-host.ts';
import { readBack } from './cycle-read-back.ts';
import { activationTried, afterActivation, afterCollect, afterLicenseCheckGoOn, afterSendFailure, afterSent, failed, succeeded, withHardwareId } from './cycle-transitions.ts';
import { planCycle } from './diff.ts';
import { DAY_MS, hashOf } from './engine-options.ts';
import { afterLicenseCheckFailure, isLicenseCode, withLicenseWords } from './license-check.ts';
import { licenseProblem } from './license-state.ts';
import { isApiErrorLike } from './ports.ts';
import type { ApiErrorLike, LicenseFacts } from './ports.ts';
import { isRefreshDue } from './refresh-due.ts';

/** The outcome of a cycle stopped by stop() while its request was in flight: nothing was confirmed, nothing is recorded. */
export const CANCELLED = Symbol('cancelled');

export type CycleOutcomeInput = { ok: true } | { ok: false; error: unknown };

export interface CycleEnd {
  result: SyncResult;
  outcome: CycleOutcomeInput;
}

function hardwareIdError(error: unknown): ApiErrorLike {
  const info = LOCAL_ERROR_CODES.hardware_id_unavailable;
  const detail = error instanceof Error ? error.message : String(error);
  return { code: 'hardware_id_unavailable', errorClass: info.errorClass, summary: `The hardware id file could not be used (${detail}), so nothing was sent.`, remedy: info.remedy, parkable: false };
}

/** Runs one cycle begun at `now`; a crash of a port or collector that escaped every guard ends it as an unexpected error. */
export async function runCycle(host: CycleHost, trigger: SyncTrigger, now: number): Promise<CycleEnd> {
  try {
    return await cycleSteps(host, trigger, now);
  } catch (error) {
    // A bug in a collector or port that escaped every guard: report it, keep the daemon alive.
    host.log.error('sync cycle crashed', { error });
    const view = unexpectedErrorView(now);
    host.update((m) => failed(m, view, false, now));
    return { result: { ok: false, sent: 0, error: view }, outcome: { ok: false, error } };
  }
}

async function cycleSteps(host: CycleHost, trigger: SyncTrigger, now: number): Promise<CycleEnd> {
  const { log, clock } = host;
  const options = host.model().options;
  if (options.refreshHardwareId) {
    try {
      const hardwareId = await options.refreshHardwareId();
      if (hardwareId !== host.model().options.identity.hardwareId) {
        log.info('the hardware id file names another id: a new identity');
        host.update((m) => withHardwareId(m, hardwareId));
      }
    } catch (error) {
      setState(host, (s) => ({ ...s, lastAttemptAt: now }));
      return finishWithError(host, hardwareIdError(error), now, trigger);
    }
  }
  const failures: CollectorFailure[] = [];
  const desired = await collectDesired(host, failures, now);
  // What each drop-in file and managed source did: in the status, and kept for `device-agent status` and the next start.
  const sources = host.collector().sources?.() ?? [];
  const hash = hashOf(host.model().options);
  const collected = afterCollect(host.model(), { desired, failures, sources, hash, now });
  host.update(() => collected.model);
  const { identityChanged } = collected;

  const succeed = (sent: number, reason: string): CycleEnd => {
    host.update((m) => succeeded(m, sent, now));
    log.info(sent > 0 ? 'synced' : 'nothing to send', { trigger, reason, sent, durationMs: clock.now() - now });
    return { result: { ok: true, sent }, outcome: { ok: true } };
  };
  const afterActivation = async (cause: unknown) => {
    const { sent, error } = await activate(host, cause, now, hash);
    return error === undefined ? succeed(sent, 'activated') : finishWithError(host, await withLicenseState(host, error, now), now, trigger);
  };

  const checked = await checkLicenseStep(host, now);
  if ('activate' in checked) return afterActivation(checked.activate);
  if (checked.stop) return finishWithError(host, checked.error, now, trigger);

  const reconciled = await readBack(host, identityChanged);
  if ('activate' in reconciled) return afterActivation(reconciled.activate);
  if ('stop' in reconciled && reconciled.stop) return finishWithError(host, reconciled.error, now, trigger);
  const state = host.model().state;
  const plan = planCycle({
    desired, acknowledged: state.acknowledged, identityChanged, lastFullRefreshAt: state.lastFullRefreshAt, now, fullRefreshMs: host.model().options.fullRefreshMs ?? DAY_MS,
    reconciledEveryValue: 'reconciled' in reconciled && reconciled.reconciled === 'every value',
  });
  if (plan.reason === 'nothing') {
    if (plan.full) setState(host, (s) => ({ ...s, lastFullRefreshAt: now })); // what the server holds was just read
    return succeed(0, 'nothing');
  }
  const { sent, error } = await send(host, plan.variables, plan.full, now, hash);
  return error === undefined ? succeed(sent, plan.reason) : finishWithError(host, await withLicenseState(host, error, now), now, trigger);
}

function finishWithError(host: CycleHost, error: unknown, now: number, trigger: SyncTrigger): CycleEnd & { outcome: { ok: false } } {
  // Stopped mid-request: no answer, so nothing is known or recorded; the values stay pending.
  if (host.cancelling()) return { result: { ok: false, sent: 0, error: cancelledView(now) }, outcome: { ok: false, error: CANCELLED } };
  const view = errorView(error, now);
  if (!isApiErrorLike(error)) host.log.error('unexpected error during sync', { error });
  host.update((m) => failed(m, view, isApiErrorLike(error) && isLicenseCode(error.code), now));
  host.log.warn('sync failed', { trigger, code: view.code, errorClass: view.errorClass, attempt: host.model().sched.attempt + 1 });
  return { result: { ok: false, sent: 0, error: view }, outcome: { ok: false, error } };
}

/**
 * After a license error the license is checked at once, so that the status (and `once`'s
 * exit line) says the license's state in words; the error keeps its code.
 */
async function withLicenseState(host: CycleHost, error: unknown, now: number): Promise<unknown> {
  const client = host.client();
  if (host.cancelling() || !client.checkLicense || !isApiErrorLike(error) || !isLicenseCode(error.code)) return error;
  try {
    recordLicense(host, await client.checkLicense(host.model().options.identity, host.callOptions()), now);
  } catch {
    return error; // e.g. the device is not active on the license: nothing more to say
  }
  patch(host, { licenseCheckDue: true }); // and again at the next cycle
  return withLicenseWords(error, host.model().license);
}

/**
 * check_license at start, every 24 h, after license errors and identity changes: its
 * answer goes into the status, and a license the server says cannot be used (disabled,
 * inactive, expired) ends the cycle with that in words. A failing check only stops the
 * cycle when the send would fail the same way; otherwise it is asked again next cycle.
 */
async function checkLicenseStep(host: CycleHost, now: number): Promise<StepOutcome | { activate: unknown }> {
  const client = host.client();
  const m = host.model();
  if (!client.checkLicense || !isRefreshDue({ forced: m.licenseCheckDue, lastAt: m.lastLicenseCheckAt, now, everyMs: m.options.licenseCheckMs ?? DAY_MS })) return GO_ON;
  try {
    recordLicense(host, await client.checkLicense(m.options.identity, host.callOptions()), now);
    const license = host.model().license;
    const problem = license ? licenseProblem(license) : undefined;
    return problem ? { stop: true, error: problem } : GO_ON;
  } catch (error) {
    if (!isApiErrorLike(error)) return GO_ON;
    const next = afterLicenseCheckFailure(error.errorClass, error.code);
    if (next.action === 'activate') return { activate: error };
    if (next.action === 'stop') return { stop: true, error };
    host.log.info('license check failed; syncing goes on', { code: error.code });
    host.update((m) => afterLicenseCheckGoOn(m, next, now)); // checked now: not again before the next period
    return GO_ON;
  }
}

/**
 * Activates this device with every desired value (auto-activate). An unsigned
 * device_not_found (the vendor signs no error; anyone on the path can send one) leads
 * to at most one attempt per identity a day; the activation's own reply must verify.
 */
async function activate(host: CycleHost, cause: unknown, now: number, hash: string): Promise<{ sent: number; error?: unknown }> {
  if (host.cancelling()) return { sent: 0, error: cause };
  const m = host.model();
  const decision = activationDecision(cause, { autoActivate: m.options.autoActivate, last: m.state.lastActivationAttempt, identityHash: hash, now });
  if (decision.action === 'pass-on') return { sent: 0, error: cause };
  if (decision.action === 'hold-back') {
    host.log.warn('device still not found after an activation; not activating again within a day', { code: decision.error.code });
    return { sent: 0, error: decision.error };
  }
  host.log.info('device not activated; activating with the desired values', { code: decision.cause.code });
  host.update((m) => activationTried(m, hash, now));
  try {
    const desired = { ...host.model().state.desired };
    const { options } = host.model();
    const reply = await host.client().activateLicense({ ...options.identity, ...options.activation, ...options.activationFacts?.(desired), variables: desired }, host.callOptions());
    // Activation stores the variables it carries (proven against the sandbox in test/sync), so they count as acknowledged.
    host.update((m) => afterActivation(m, desired, now));
    if (reply && typeof reply === 'object') recordLicense(host, reply as LicenseFacts, now);
    return { sent: Object.keys(desired).length };
  } catch (activationError) {
    return { sent: 0, error: activationError };
  }
}

/** Sends what is pending; on device_not_found with autoActivate, activates with every desired value. */
async function send(host: CycleHost, variables: VariableMap, full: boolean, now: number, hash: string): Promise<{ sent: number; error?: unknown }> {
  const identity = host.model().options.identity;
  try {
    await host.client().trackDeviceVariables({ ...identity, variables }, host.callOptions());
    const { inDoubt } = host.model();
    if (inDoubt.size > 0) host.log.info('values sent in a request that timed out will be sent once more next cycle', { count: inDoubt.size });
    host.update((m) => afterSent(m, variables, full, now));
    return { sent: Object.keys(variables).length };
  } catch (error) {
    host.update((m) => afterSendFailure(m, isApiErrorLike(error) ? error.code : undefined, Object.keys(variables)));
    return activate(host, error, now, hash);
  }
}
