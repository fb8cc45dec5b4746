// The sync engine: a thin shell of timers, I/O and state around the pure core
// (diff.ts decides what to send, schedule.ts when, status-text.ts what to say).
// One cycle at a time; every cycle ends in a persisted state and a status event.
import { createHash } from 'node:crypto';
import type {
  Agent, AgentStatus, CollectorFailure, DeactivateResult, HardwareIdSourceView, LicenseStateView, ReplyVerificationView, SyncResult,
  SyncTrigger, VariableRow, VariableSourceView,
} from '../agent-api.ts';
import { cancelledView, errorView, unexpectedErrorView } from '../errors/error-view.ts';
import { LOCAL_ERROR_CODES } from '../licenseapi/errors.ts';
import { latestValues } from '../licenseapi/schemas.ts';
import type { Logger } from '../log/logger.ts';
import { printableDeep } from '../printable.ts';
import type { StateStore } from '../state/state-store.ts';
import type { SyncState } from '../state/sync-state.ts';
import { RESTART_NOISE } from '../collect/catalogue.ts';
import type { VariableMap } from '../variables.ts';
import { cycleOutcome } from './cycle-outcome.ts';
import { acknowledge, pendingVariables, planCycle } from './diff.ts';
import { recordOutcome, recordSample, sampleOf } from './history.ts';
import { expiryNoticeMessage, expiryWarningMessage, licenseProblem, licenseRecord, licenseView, licenseViewAt } from './license-state.ts';
import { isApiErrorLike, realClock } from './ports.ts';
import type { ActivateRequest, ApiErrorLike, CallOptions, Clock, CollectionResult, CollectorPort, LicenseApiPort, LicenseFacts, SyncIdentity } from './ports.ts';
import { DEFAULT_BACKOFF, DEFAULT_PARKED_PROBE_MS, firstCycle, needsStaticProbe, nextAfter, onTrigger, startFacts } from './schedule.ts';
import type { FirstCycle, ScheduleSettings, ScheduleState, StartSplay } from './schedule.ts';
import { activationDecision } from './activation-limit.ts';
import { afterLicenseCheckFailure, isLicenseCode, withLicenseWords } from './license-check.ts';
import { afterSettingsChange, forgetIdentity, forIdentity } from './identity-change.ts';
import { afterReadFailure, markInDoubt, needsReconcile, reconcile, reconfirmLater } from './in-doubt.ts';
import { isRefreshDue } from './refresh-due.ts';
import { rankedTrigger } from './trigger-rank.ts';
import { firstSyncExplanation, inEnglish, statusMessage } from './status-text.ts';

export const DAY_MS = 24 * 60 * 60_000;
export const DEFAULT_DEBOUNCE_MS = 2_000;

export interface EngineOptions {
  identity: SyncIdentity;
  intervalMs: number;
  /** ± fraction of the interval (default 0.1). */
  jitter?: number;
  autoActivate: boolean;
  /** Re-send every desired value this often (default 24 h). */
  fullRefreshMs?: number;
  /** Re-collect static facts this often (default 24 h; always at start). */
  staticRefreshMs?: number;
  backoff?: { capMs: number; floorMs?: number };
  parkedProbeMs?: number;
  /** Extra activation fields (auto-activate); `password` for user-based products. */
  activation?: Omit<ActivateRequest, keyof SyncIdentity | 'variables'>;
  /** Device facts for an activation taken from the desired values (hostname, ip, mac only when PII allows; is_vm). */
  activationFacts?: (desired: VariableMap) => Omit<ActivateRequest, keyof SyncIdentity | 'variables'>;
  display: {
    apiUrl: string; usingSandbox: boolean; licenseDisplay: string;
    hardwareIdSource?: HardwareIdSourceView;
    replyVerification?: ReplyVerificationView;
  };
  /**
   * Reads the hardware id again at the start of every cycle (hardwareIdFile). A change
   * is an identity change; a failure ends the cycle before anything is sent.
   */
  refreshHardwareId?: () => Promise<string>;
  /** Ask check_license this often (default 24 h; also after license errors and identity changes). */
  licenseCheckMs?: number;
  /**
   * Ask check_license at start even when the persisted answer is recent (default true: the
   * daemon and the desktop app). `once` passes false, so a cron job asks once a day.
   */
  checkLicenseAtStart?: boolean;
  /**
   * A keyed hash of the credentials (never the secret itself; see create-agent.ts): what the
   * server acknowledged was acknowledged to these credentials, so new ones re-send everything.
   */
  credentialTag?: string;
  warnings?: string[];
  /**
   * First cycle right after start(). Otherwise its delay follows what the persisted state
   * says (schedule.ts, firstCycle): within seconds, the short splay, or up to one interval.
   */
  startImmediately?: boolean;
  /** The short splay of the first cycle (default SHORT_SPLAY_MS, 2 min): values left unsent, a static fact changed. */
  shortSplayMs?: number;
  /** Static facts whose change at start is not news (default: the catalogue's, e.g. boot_time). */
  restartNoise?: ReadonlySet<string>;
  /** Debounce of trigger() (default 2 s). */
  debounceMs?: number;
}

export interface EngineDeps {
  client: LicenseApiPort;
  collector: CollectorPort;
  store: StateStore;
  logger: Logger;
  clock?: Clock;
  random?: () => number;
}

export interface SyncEngine extends Agent {
  /** A configuration change: leaves a parked state and triggers a sync. A new client/collector may come with it. */
  updateOptions(next: EngineOptions, replace?: { client?: LicenseApiPort; collector?: CollectorPort }): void;
}

/**
 * The identity acknowledged values belong to — which server, which credentials, which
 * device, which license — hashed so no license key is stored in clear. A new hash means
 * the server may hold none of our values (or the new credentials were never tried):
 * everything is sent again.
 */
export function identityHash(identity: SyncIdentity, apiUrl?: string, credentialTag?: string): string {
  const parts = [identity.product, identity.hardwareId, identity.licenseKey ?? null, identity.username ?? null, identity.licenseId ?? null];
  if (apiUrl !== undefined) parts.push(apiUrl);
  if (credentialTag !== undefined) parts.push(credentialTag);
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

const hashOf = (o: EngineOptions): string => identityHash(o.identity, o.display.apiUrl, o.credentialTag);

/** The result of a cycle stopped by stop() while its request was in flight: nothing was confirmed, nothing is recorded. */
const CANCELLED = Symbol('cancelled');

export { ACTIVATION_ATTEMPT_INTERVAL_MS } from './activation-limit.ts';

/** What a step of the cycle can end in instead of going on. */
type StepOutcome = { stop: true; error: unknown } | { stop: false };
const GO_ON: StepOutcome = { stop: false };

function hardwareIdError(error: unknown): ApiErrorLike {
  const info = LOCAL_ERROR_CODES.hardware_id_unavailable;
  const detail = error instanceof Error ? error.message : String(error);
  return { code: 'hardware_id_unavailable', errorClass: info.errorClass, summary: `The hardware id file could not be used (${detail}), so nothing was sent.`, remedy: info.remedy, parkable: false };
}

/** One warning line per drop-in file or managed source left out (the window lists them all under its own heading). */
function sourceWarning(view: VariableSourceView): string {
  const what = view.scope === 'managed file' ? `Variable ${view.source} (${view.origin}, managed file)` : `Variables from ${view.origin} (${view.scope})`;
  return `${what} ${view.state === 'off' ? 'not read' : 'not sent'}: ${view.problem}.`;
}

export function createSyncEngine(initialOptions: EngineOptions, deps: EngineDeps): SyncEngine {
  const clock = deps.clock ?? realClock;
  const random = deps.random ?? Math.random;
  const { store } = deps;
  let options = initialOptions;
  let client = deps.client;
  let collector = deps.collector;
  const log = deps.logger.child({ component: 'sync' });

  let state: SyncState = store.load();
  let sched: ScheduleState = { attempt: 0 };
  let staticDue = true; // at every start (collected by start() when it needs them to decide)
  /** Collector failures of a static collection made by start(): the first cycle reports them. */
  let startFailures: CollectorFailure[] = [];
  /** No cycle has finished since this engine was made: the status is what the last run left. */
  let restored = true;
  /** Cycles begun (a start's decision stands only if none began while it was collecting). */
  let cyclesBegun = 0;
  /** Why the first cycle comes when it does, until it begins. */
  let firstSync: AgentStatus['firstSync'];
  let collectorFailures: CollectorFailure[] = [];
  let paused = false;
  let started = false;
  let stopped = false;
  let syncing = false;
  let timer: unknown;
  let nextSyncAt: number | undefined;
  let debounceTimer: unknown;
  let pendingTrigger: SyncTrigger | undefined;
  let inFlight: Promise<SyncResult> | undefined;
  /** Aborts the request of the cycle in flight (stop()). */
  let cycleAbort: AbortController | undefined;
  /** Names sent in a request whose fate is unknown (in-doubt.ts). */
  let inDoubt: ReadonlySet<string> = new Set<string>();
  /** In-doubt names already read back once: read back once more a cycle later (a late copy of the request may still land). */
  let recheck: ReadonlySet<string> = new Set<string>();
  /** What the server last said about the license (check_license or an activation). */
  let license: LicenseStateView | undefined = state.license && licenseViewAt(state.license, clock.now());
  let lastLicenseCheckAt: number | undefined = state.license?.checkedAt;
  // At start (the daemon, the desktop app); for `once` only when the last run ended on the license.
  let licenseCheckDue = initialOptions.checkLicenseAtStart !== false || (state.lastError !== undefined && isLicenseCode(state.lastError.code));
  /** Set by deactivate(): the headline says so while paused. */
  let deactivated = false;
  const listeners = new Set<(s: AgentStatus) => void>();
  /** Per-call options of the cycle in flight: stop() aborts its requests. */
  const callOptions = (): CallOptions => (cycleAbort ? { signal: cycleAbort.signal } : {});
  const cancelling = (): boolean => cycleAbort?.signal.aborted === true;

  const settings = (): ScheduleSettings => ({
    intervalMs: options.intervalMs,
    jitter: options.jitter ?? 0.1,
    backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
    parkedProbeMs: options.parkedProbeMs ?? DEFAULT_PARKED_PROBE_MS,
  });

  function status(): AgentStatus {
    const now = clock.now();
    const pending = pendingVariables(state.desired, state.acknowledged);
    const variables: VariableRow[] = Object.entries(state.desired).map(([name, value]) => {
      const row: VariableRow = { name, value, pending: Object.hasOwn(pending, name) };
      if (Object.hasOwn(state.acknowledged, name)) row.acknowledged = state.acknowledged[name]!;
      return row;
    });
    const { phase, headline } = statusMessage({
      now, paused, syncing, lastSuccessAt: state.lastSuccessAt, lastError: state.lastError, nextSyncAt, pendingCount: Object.keys(pending).length,
      deactivated, licenseNotice: expiryNoticeMessage(license, now), restored,
    });
    const expiryMessage = expiryWarningMessage(license, now);
    const expiry = expiryMessage && inEnglish(expiryMessage);
    const sources = state.variableSources ?? [];
    const out: AgentStatus = {
      phase,
      headline: inEnglish(headline),
      headlineMessage: headline,
      hardwareId: options.identity.hardwareId,
      product: options.identity.product,
      licenseDisplay: options.display.licenseDisplay,
      apiUrl: options.display.apiUrl,
      usingSandbox: options.display.usingSandbox,
      variables,
      history: [...state.history],
      samples: [...state.samples],
      collectorFailures: [...collectorFailures],
      warnings: [...(options.warnings ?? []), ...store.warnings(), ...(expiry ? [expiry] : []), ...sources.filter((v) => v.problem !== undefined).map(sourceWarning)],
    };
    if (expiryMessage) out.warningMessages = [expiryMessage];
    if (sources.length > 0) out.variableSources = sources;
    if (options.display.hardwareIdSource) out.hardwareIdSource = options.display.hardwareIdSource;
    if (options.display.replyVerification) out.replyVerification = options.display.replyVerification;
    if (license) out.license = licenseViewAt(license, now);
    if (state.lastAttemptAt !== undefined) out.lastAttemptAt = state.lastAttemptAt;
    if (state.lastSuccessAt !== undefined) out.lastSuccessAt = state.lastSuccessAt;
    if (nextSyncAt !== undefined) out.nextSyncAt = nextSyncAt;
    if (state.lastError !== undefined) out.error = state.lastError;
    if (firstSync !== undefined && !paused) out.firstSync = firstSync;
    // The state file and the server are not trusted to hold only printable text (the window and the CLI show it).
    return printableDeep(out);
  }

  function emit(): void {
    if (listeners.size === 0) return;
    const snapshot = status();
    for (const listener of listeners) {
      try { listener(snapshot); } catch (error) { log.warn('status listener failed', { error }); }
    }
  }

  function clearTimer(): void {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    nextSyncAt = undefined;
  }

  function schedule(delayMs: number, trigger: SyncTrigger): void {
    clearTimer();
    if (!started || stopped || paused) return;
    nextSyncAt = clock.now() + delayMs;
    timer = clock.setTimeout(() => {
      timer = undefined;
      void run(trigger);
    }, delayMs);
  }

  async function collect(failures: CollectorFailure[], now: number): Promise<VariableMap> {
    const note = (result: CollectionResult) => {
      for (const f of result.failures) failures.push({ collector: f.collector, message: f.message, at: now });
    };
    failures.push(...startFailures);
    startFailures = [];
    if (isRefreshDue({ forced: staticDue, lastAt: state.lastStaticAt, now, everyMs: options.staticRefreshMs ?? DAY_MS })) {
      try {
        const result = await collector.collectStatic();
        note(result);
        state = { ...state, staticValues: { ...result.values }, lastStaticAt: now };
        staticDue = false;
        log.debug('static facts collected', { count: Object.keys(result.values).length, durationMs: result.durationMs });
      } catch (error) {
        failures.push({ collector: 'static', message: error instanceof Error ? error.message : String(error), at: now });
      }
    }
    try {
      const result = await collector.collectDynamic();
      note(result);
      return { ...state.staticValues, ...result.values };
    } catch (error) {
      failures.push({ collector: 'dynamic', message: error instanceof Error ? error.message : String(error), at: now });
      // Keep the last known dynamic values rather than dropping them from the desired set.
      return { ...state.desired, ...state.staticValues };
    }
  }

  /** Drops the in-doubt names from what counts as acknowledged, so the next cycle sends them again. */
  function reconfirmInDoubt(acknowledged: VariableMap): VariableMap {
    if (inDoubt.size === 0) return acknowledged;
    log.info('values sent in a request that timed out will be sent once more next cycle', { count: inDoubt.size });
    const kept = reconfirmLater(acknowledged, inDoubt);
    inDoubt = new Set();
    return kept;
  }

  function recordLicense(facts: LicenseFacts, at: number): void {
    license = licenseView(facts, at, license);
    lastLicenseCheckAt = at;
    licenseCheckDue = false;
    state = { ...state, license: licenseRecord(license) };
  }

  function isLicenseCheckDue(now: number): boolean {
    return isRefreshDue({ forced: licenseCheckDue, lastAt: lastLicenseCheckAt, now, everyMs: options.licenseCheckMs ?? DAY_MS });
  }

  /**
   * Activates this device with every desired value (auto-activate). An unsigned
   * device_not_found (the vendor signs no error; anyone on the path can send one) leads
   * to at most one attempt per identity a day; the activation's own reply must verify.
   */
  async function activate(cause: unknown, now: number, hash: string): Promise<{ sent: number; error?: unknown }> {
    if (cancelling()) return { sent: 0, error: cause };
    const decision = activationDecision(cause, { autoActivate: options.autoActivate, last: state.lastActivationAttempt, identityHash: hash, now });
    if (decision.action === 'pass-on') return { sent: 0, error: cause };
    if (decision.action === 'hold-back') {
      log.warn('device still not found after an activation; not activating again within a day', { code: decision.error.code });
      return { sent: 0, error: decision.error };
    }
    log.info('device not activated; activating with the desired values', { code: decision.cause.code });
    state = { ...state, lastActivationAttempt: { identityHash: hash, at: now } };
    try {
      const desired = { ...state.desired };
      const reply = await client.activateLicense({ ...options.identity, ...options.activation, ...options.activationFacts?.(desired), variables: desired }, callOptions());
      // Activation stores the variables it carries (proven against the sandbox in test/sync), so they count as acknowledged.
      state = { ...state, acknowledged: acknowledge(state.acknowledged, desired), lastFullRefreshAt: now };
      if (reply && typeof reply === 'object') recordLicense(reply as LicenseFacts, now);
      return { sent: Object.keys(desired).length };
    } catch (activationError) {
      return { sent: 0, error: activationError };
    }
  }

  /** Sends what is pending; on device_not_found with autoActivate, activates with every desired value. */
  async function send(variables: VariableMap, full: boolean, now: number, hash: string): Promise<{ sent: number; error?: unknown }> {
    const identity = options.identity;
    try {
      await client.trackDeviceVariables({ ...identity, variables }, callOptions());
      state = { ...state, acknowledged: reconfirmInDoubt(acknowledge(state.acknowledged, variables)), ...(full ? { lastFullRefreshAt: now } : {}) };
      return { sent: Object.keys(variables).length };
    } catch (error) {
      inDoubt = markInDoubt(inDoubt, isApiErrorLike(error) ? error.code : undefined, Object.keys(variables));
      return activate(error, now, hash);
    }
  }

  /**
   * check_license at start, every 24 h, after license errors and identity changes: its
   * answer goes into the status, and a license the server says cannot be used (disabled,
   * inactive, expired) ends the cycle with that in words. A failing check only stops the
   * cycle when the send would fail the same way; otherwise it is asked again next cycle.
   */
  async function checkLicenseStep(now: number): Promise<StepOutcome | { activate: unknown }> {
    if (!client.checkLicense || !isLicenseCheckDue(now)) return GO_ON;
    try {
      recordLicense(await client.checkLicense(options.identity, callOptions()), now);
      const problem = license ? licenseProblem(license) : undefined;
      return problem ? { stop: true, error: problem } : GO_ON;
    } catch (error) {
      if (!isApiErrorLike(error)) return GO_ON;
      const next = afterLicenseCheckFailure(error.errorClass, error.code);
      if (next.action === 'activate') return { activate: error };
      if (next.action === 'stop') return { stop: true, error };
      log.info('license check failed; syncing goes on', { code: error.code });
      if (next.checkedNow) lastLicenseCheckAt = now; // not again before the next period
      licenseCheckDue = next.askNextCycle;
      return GO_ON;
    }
  }

  /**
   * After an identity change (new device, license or server; a lost or quarantined state
   * file) or a request that timed out, what the server already holds counts as
   * acknowledged (get_device_variables), so only what differs is sent.
   */
  async function reconcileStep(identityChanged: boolean): Promise<StepOutcome | { activate: unknown } | { reconciled: 'every value' | 'values in doubt' }> {
    if (!client.getDeviceVariables || !needsReconcile(identityChanged, inDoubt, recheck)) return GO_ON;
    let held: Record<string, string>;
    try {
      held = latestValues((await client.getDeviceVariables(options.identity, callOptions())).map((row) => ({ ...row, deviceId: 0 })));
    } catch (error) {
      const next = afterReadFailure(isApiErrorLike(error) ? error.errorClass : undefined);
      if (next === 'activate') return { activate: error };
      if (next === 'stop') return { stop: true, error };
      log.info('could not read what the server holds; sending every value', { code: isApiErrorLike(error) ? error.code : 'unexpected' });
      return GO_ON;
    }
    const done = reconcile({ identityChanged, desired: state.desired, acknowledged: state.acknowledged, held, inDoubt, recheck });
    log.info('reconciled with what the server holds', { held: Object.keys(held).length, matching: done.matching, of: done.compared.length });
    state = { ...state, acknowledged: done.acknowledged };
    recheck = done.recheck;
    inDoubt = new Set();
    return { reconciled: identityChanged ? 'every value' : 'values in doubt' };
  }

  function finishWithError(error: unknown, now: number, trigger: SyncTrigger): { result: SyncResult; outcome: { ok: false; error: unknown } } {
    // Stopped mid-request: no answer, so nothing is known or recorded; the values stay pending.
    if (cancelling()) return { result: { ok: false, sent: 0, error: cancelledView(now) }, outcome: { ok: false, error: CANCELLED } };
    const view = errorView(error, now);
    if (!isApiErrorLike(error)) log.error('unexpected error during sync', { error });
    if (isApiErrorLike(error) && isLicenseCode(error.code)) licenseCheckDue = true;
    state = { ...state, lastError: view, history: recordOutcome(state.history, { at: now, outcome: 'error', sent: 0, code: view.code }) };
    log.warn('sync failed', { trigger, code: view.code, errorClass: view.errorClass, attempt: sched.attempt + 1 });
    return { result: { ok: false, sent: 0, error: view }, outcome: { ok: false, error } };
  }

  /**
   * After a license error the license is checked at once, so that the status (and `once`'s
   * exit line) says the license's state in words; the error keeps its code.
   */
  async function withLicenseState(error: unknown, now: number): Promise<unknown> {
    if (cancelling() || !client.checkLicense || !isApiErrorLike(error) || !isLicenseCode(error.code)) return error;
    try {
      recordLicense(await client.checkLicense(options.identity, callOptions()), now);
    } catch {
      return error; // e.g. the device is not active on the license: nothing more to say
    }
    licenseCheckDue = true; // and again at the next cycle
    return withLicenseWords(error, license);
  }

  async function cycleSteps(trigger: SyncTrigger, now: number): Promise<{ result: SyncResult; outcome: { ok: true } | { ok: false; error: unknown } }> {
    if (options.refreshHardwareId) {
      try {
        const hardwareId = await options.refreshHardwareId();
        if (hardwareId !== options.identity.hardwareId) {
          log.info('the hardware id file names another id: a new identity');
          options = { ...options, identity: { ...options.identity, hardwareId } };
        }
      } catch (error) {
        state = { ...state, lastAttemptAt: now };
        return finishWithError(hardwareIdError(error), now, trigger);
      }
    }
    const failures: CollectorFailure[] = [];
    const desired = await collect(failures, now);
    collectorFailures = failures;
    // What each drop-in file and managed source did: in the status, and kept for `device-agent status` and the next start.
    const sources = collector.sources?.() ?? [];
    state = { ...state, variableSources: sources.length > 0 ? sources : undefined };
    const hash = hashOf(options);
    const { state: underHash, changed: identityChanged } = forIdentity(state, hash);
    if (identityChanged) licenseCheckDue = true;
    state = { ...underHash, desired, samples: recordSample(state.samples, sampleOf(desired, now)), lastAttemptAt: now };
    if (identityChanged) license = undefined;

    const succeed = (sent: number, reason: string) => {
      state = { ...state, lastSuccessAt: now, lastError: undefined, history: recordOutcome(state.history, { at: now, outcome: sent > 0 ? 'ok' : 'nothing-to-send', sent }) };
      log.info(sent > 0 ? 'synced' : 'nothing to send', { trigger, reason, sent, durationMs: clock.now() - now });
      return { result: { ok: true, sent }, outcome: { ok: true } as const };
    };
    const afterActivation = async (cause: unknown) => {
      const { sent, error } = await activate(cause, now, hash);
      return error === undefined ? succeed(sent, 'activated') : finishWithError(await withLicenseState(error, now), now, trigger);
    };

    const checked = await checkLicenseStep(now);
    if ('activate' in checked) return afterActivation(checked.activate);
    if (checked.stop) return finishWithError(checked.error, now, trigger);

    const reconciled = await reconcileStep(identityChanged);
    if ('activate' in reconciled) return afterActivation(reconciled.activate);
    if ('stop' in reconciled && reconciled.stop) return finishWithError(reconciled.error, now, trigger);
    const plan = planCycle({
      desired, acknowledged: state.acknowledged, identityChanged, lastFullRefreshAt: state.lastFullRefreshAt, now, fullRefreshMs: options.fullRefreshMs ?? DAY_MS,
      reconciledEveryValue: 'reconciled' in reconciled && reconciled.reconciled === 'every value',
    });
    if (plan.reason === 'nothing') {
      if (plan.full) state = { ...state, lastFullRefreshAt: now }; // what the server holds was just read
      return succeed(0, 'nothing');
    }
    const { sent, error } = await send(plan.variables, plan.full, now, hash);
    return error === undefined ? succeed(sent, plan.reason) : finishWithError(await withLicenseState(error, now), now, trigger);
  }

  async function cycle(trigger: SyncTrigger): Promise<SyncResult> {
    if (stopped) return { ok: false, sent: 0, error: cancelledView(clock.now()) }; // stop() came first
    syncing = true;
    cyclesBegun++;
    firstSync = undefined;
    emit();
    const now = clock.now();
    const abort = new AbortController();
    cycleAbort = abort;
    let result: SyncResult;
    let outcome: { ok: true } | { ok: false; error: unknown };
    try {
      ({ result, outcome } = await cycleSteps(trigger, now));
      if (!outcome.ok && outcome.error === CANCELLED) {
        cycleAbort = undefined;
        syncing = false;
        store.save(state);
        log.info('sync stopped before the server answered', { trigger });
        return result;
      }
    } catch (error) {
      // A bug in a collector or port that escaped every guard: report it, keep the daemon alive.
      log.error('sync cycle crashed', { error });
      const view = unexpectedErrorView(now);
      state = { ...state, lastError: view, history: recordOutcome(state.history, { at: now, outcome: 'error', sent: 0, code: view.code }) };
      result = { ok: false, sent: 0, error: view };
      outcome = { ok: false, error };
    }
    cycleAbort = undefined;
    restored = false;
    store.save(state); // written off the event loop; stop() awaits it

    const next = nextAfter(cycleOutcome(outcome, state.lastError?.errorClass), sched, settings(), options.autoActivate, random);
    sched = next.state;
    syncing = false;
    schedule(next.delayMs, next.kind === 'retry' ? 'retry' : 'timer');
    emit();
    return result;
  }

  function run(trigger: SyncTrigger): Promise<SyncResult> {
    if (inFlight !== undefined && trigger !== 'manual') return inFlight;
    clearTimer();
    const previous = inFlight ?? Promise.resolve();
    const current = previous.then(() => cycle(trigger), () => cycle(trigger));
    inFlight = current;
    void current.finally(() => { if (inFlight === current) inFlight = undefined; });
    return current;
  }

  /** After a failed deactivation the schedule goes on as before (the regular rhythm). */
  function regularDelayAfterDeactivateFailure(): number {
    return nextAfter({ ok: true }, sched, settings(), options.autoActivate, random).delayMs;
  }

  const startSplay = (): StartSplay => ({ intervalMs: options.intervalMs, ...(options.shortSplayMs === undefined ? {} : { shortMs: options.shortSplayMs }) });

  /**
   * The static facts of this start, when only they can tell drift from news: the first
   * cycle then uses them (it would collect them anyway). A change that is not restart
   * noise joins the desired values at once, so the status says a value waits.
   */
  async function collectStaticAtStart(): Promise<VariableMap | undefined> {
    const at = clock.now();
    const begun = cyclesBegun;
    try {
      const result = await collector.collectStatic();
      // A cycle that began meanwhile collected (and reported) for itself.
      if (cyclesBegun === begun) startFailures = result.failures.map((f) => ({ collector: f.collector, message: f.message, at }));
      return { ...result.values };
    } catch (error) {
      if (cyclesBegun === begun) startFailures = [{ collector: 'static', message: error instanceof Error ? error.message : String(error), at }];
      return undefined;
    }
  }

  /** What the first cycle after start() waits for, from the persisted state (and the static facts when they decide). */
  async function decideFirstCycle(): Promise<FirstCycle & { changedStatic: readonly string[] }> {
    const noise = options.restartNoise ?? RESTART_NOISE;
    const current = { identityHash: hashOf(options), startImmediately: options.startImmediately === true, noise };
    let facts = startFacts(state, current);
    if (needsStaticProbe(facts)) {
      const begun = cyclesBegun;
      const at = clock.now();
      const staticNow = await collectStaticAtStart();
      if (staticNow !== undefined) {
        facts = startFacts(state, { ...current, staticNow });
        if (cyclesBegun === begun && !stopped) {
          const news = Object.fromEntries((facts.changedStatic ?? []).map((name) => [name, staticNow[name]!]));
          state = { ...state, staticValues: staticNow, lastStaticAt: at, desired: { ...state.desired, ...news } };
          staticDue = false;
        }
      }
    }
    const decision = firstCycle(facts, startSplay(), random);
    log.info('first sync', { reason: decision.reason, inMs: decision.delayMs, ...(facts.changedStatic?.length ? { changed: facts.changedStatic } : {}) });
    return { ...decision, changedStatic: facts.changedStatic ?? [] };
  }

  function fireTrigger(): void {
    debounceTimer = undefined;
    const kind = pendingTrigger;
    pendingTrigger = undefined;
    if (kind === undefined || stopped || !started) return;
    const decision = onTrigger(kind, sched, paused);
    log.debug('trigger', { trigger: kind, run: decision.run, parked: sched.parked });
    if (!decision.run) return;
    sched = decision.state;
    void run(kind);
  }

  function trigger(kind: SyncTrigger): void {
    if (stopped) return;
    pendingTrigger = rankedTrigger(pendingTrigger, kind);
    if (debounceTimer !== undefined) clock.clearTimeout(debounceTimer);
    debounceTimer = clock.setTimeout(fireTrigger, options.debounceMs ?? DEFAULT_DEBOUNCE_MS);
  }

  return {
    async start() {
      if (started) return;
      started = true;
      stopped = false;
      const begun = cyclesBegun;
      const decision = await decideFirstCycle();
      // Stopped, or a cycle came first (Sync now, a trigger, resume): that cycle set the schedule.
      if (!started || stopped || cyclesBegun !== begun || inFlight !== undefined || timer !== undefined) return;
      schedule(decision.delayMs, 'start');
      if (timer !== undefined) firstSync = { reason: decision.reason, explanation: firstSyncExplanation(decision.reason, startSplay(), decision.changedStatic) };
      emit();
    },

    async stop() {
      stopped = true;
      started = false;
      clearTimer();
      if (debounceTimer !== undefined) clock.clearTimeout(debounceTimer);
      debounceTimer = undefined;
      pendingTrigger = undefined;
      cycleAbort?.abort(); // a request in flight ends now, not when the server answers
      const current = inFlight;
      if (current !== undefined) await current.catch(() => undefined);
      clearTimer(); // a cycle that ended during stop must not leave a timer
      store.save(state);
      await store.flush?.(); // what save() kept back (samples, history, attempt times), and the write in flight
    },

    syncNow(trigger = 'manual') {
      sched = onTrigger('manual', sched, paused).state;
      return run(trigger);
    },

    trigger,

    setPaused(next) {
      if (paused === next) return;
      paused = next;
      if (!next) deactivated = false;
      log.info(next ? 'paused' : 'resumed');
      if (next) {
        clearTimer();
      } else if (started) {
        schedule(0, 'resume');
      }
      emit();
    },

    status,

    async deactivate(): Promise<DeactivateResult> {
      const deactivateLicense = client.deactivateLicense?.bind(client);
      const now = clock.now();
      if (!deactivateLicense) {
        return { ok: false, error: { code: 'not_supported', errorClass: 'fatal', summary: 'This agent cannot deactivate devices.', remedy: 'Deactivate the device in the LicenseSpring platform.', at: now } };
      }
      // One request at a time: wait for a cycle in flight, and keep the next one out.
      const previous = inFlight ?? Promise.resolve();
      const done = previous.catch(() => undefined).then(async (): Promise<DeactivateResult> => {
        clearTimer();
        try {
          await deactivateLicense(options.identity);
        } catch (error) {
          log.warn('deactivation failed', { code: isApiErrorLike(error) ? error.code : 'unexpected' });
          if (started && !stopped && !paused) schedule(regularDelayAfterDeactivateFailure(), 'timer');
          return { ok: false, error: errorView(error, clock.now()) };
        }
        log.info('device deactivated; syncing paused');
        state = forgetIdentity(state);
        inDoubt = new Set();
        license = undefined;
        lastLicenseCheckAt = undefined;
        licenseCheckDue = true;
        deactivated = true;
        paused = true;
        store.save(state);
        emit();
        return { ok: true };
      });
      const tracked = done.then(() => ({ ok: true, sent: 0 } as SyncResult));
      inFlight = tracked;
      void tracked.finally(() => { if (inFlight === tracked) inFlight = undefined; });
      return done;
    },

    onStatus(listener) {
      listeners.add(listener);
      return () => { listeners.delete(listener); };
    },

    updateOptions(next, replace) {
      const identityChanged = hashOf(next) !== hashOf(options);
      options = next;
      state = afterSettingsChange(state); // new settings prove themselves: every value is sent next cycle
      licenseCheckDue = true;
      if (replace?.client !== undefined) client = replace.client;
      if (replace?.collector !== undefined) { collector = replace.collector; staticDue = true; }
      sched = { attempt: 0 };
      log.info('configuration changed', { identityChanged });
      emit();
      trigger('config-change');
    },
  };
}

