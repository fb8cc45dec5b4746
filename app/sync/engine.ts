// The sync engine: a thin shell of timers, I/O and state around the pure core
// (diff.ts decides what to send, schedule.ts when, status-text.ts what to say).
// One cycle at a time; every cycle ends in a persisted state and a status event.
import { createHash } from 'node:crypto';
import type { Agent, AgentErrorView, AgentStatus, CollectorFailure, SyncResult, SyncTrigger, VariableRow } from '../agent-api.ts';
import type { Logger } from '../log/logger.ts';
import { printableDeep } from '../printable.ts';
import type { StateStore } from '../state/state-store.ts';
import type { SyncState } from '../state/sync-state.ts';
import type { VariableMap } from '../variables.ts';
import { acknowledge, pendingVariables, planSend } from './diff.ts';
import { recordOutcome, recordSample, sampleOf } from './history.ts';
import { isApiErrorLike, realClock } from './ports.ts';
import type { Clock, CollectionResult, CollectorPort, LicenseApiPort, SyncIdentity } from './ports.ts';
import { DEFAULT_BACKOFF, DEFAULT_PARKED_PROBE_MS, firstDelay, nextAfter, onTrigger } from './schedule.ts';
import type { ScheduleSettings, ScheduleState } from './schedule.ts';
import { describeStatus } from './status-text.ts';

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
  activation?: { appName?: string; appVersion?: string; osVersion?: string; hostname?: string; password?: string };
  display: { apiUrl: string; usingSandbox: boolean; licenseDisplay: string };
  /**
   * A keyed hash of the credentials (never the secret itself; see create-agent.ts): what the
   * server acknowledged was acknowledged to these credentials, so new ones re-send everything.
   */
  credentialTag?: string;
  warnings?: string[];
  /** First cycle right after start() instead of after a random delay in [0, interval). */
  startImmediately?: boolean;
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
function cancelledView(at: number): AgentErrorView {
  return { code: 'cancelled', errorClass: 'retryable', summary: 'The agent stopped before the server answered.', remedy: 'Nothing to do: the values stay pending and are sent at the next start.', at };
}

/**
 * Failures after which the server may still apply the request later: it went out
 * and no answer came in time, so it may sit in a slow server or proxy and land after
 * a newer value. Values sent in such a request are sent once more a cycle after the
 * next success. (A reset connection is dead: whatever it carried was applied before
 * the retry or not at all, so it needs no second send.)
 */
const AMBIGUOUS_FAILURES = new Set(['timeout']);

const TRIGGER_RANK: Partial<Record<SyncTrigger, number>> = { 'config-change': 3, resume: 2, 'network-back': 1 };

function unexpectedErrorView(at: number): AgentErrorView {
  return { code: 'unexpected_error', errorClass: 'retryable', summary: 'An unexpected error stopped this sync.', remedy: 'Nothing to do: the agent retries by itself. If it persists, send the logs to support.', at };
}

function errorView(error: unknown, now: number): AgentErrorView {
  if (!isApiErrorLike(error)) return unexpectedErrorView(now);
  const withView = error as { toView?: (n: number) => AgentErrorView };
  if (typeof withView.toView === 'function') return withView.toView(now);
  return { code: error.code, errorClass: error.errorClass, summary: error.summary, remedy: error.remedy, at: now };
}

function retryAfterOf(error: unknown): number | undefined {
  return isApiErrorLike(error) && typeof error.retryAfterMs === 'number' ? error.retryAfterMs : undefined;
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
  let staticDue = true; // at every start
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
  /** Names sent in a request whose fate is unknown (see AMBIGUOUS_FAILURES). */
  let inDoubt = new Set<string>();
  const listeners = new Set<(s: AgentStatus) => void>();

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
    const { phase, headline } = describeStatus({
      now, paused, syncing, lastSuccessAt: state.lastSuccessAt, lastError: state.lastError, nextSyncAt, pendingCount: Object.keys(pending).length,
    });
    const out: AgentStatus = {
      phase,
      headline,
      hardwareId: options.identity.hardwareId,
      product: options.identity.product,
      licenseDisplay: options.display.licenseDisplay,
      apiUrl: options.display.apiUrl,
      usingSandbox: options.display.usingSandbox,
      variables,
      history: [...state.history],
      samples: [...state.samples],
      collectorFailures: [...collectorFailures],
      warnings: [...(options.warnings ?? []), ...store.warnings()],
    };
    if (state.lastAttemptAt !== undefined) out.lastAttemptAt = state.lastAttemptAt;
    if (state.lastSuccessAt !== undefined) out.lastSuccessAt = state.lastSuccessAt;
    if (nextSyncAt !== undefined) out.nextSyncAt = nextSyncAt;
    if (state.lastError !== undefined) out.error = state.lastError;
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
    if (staticDue || state.lastStaticAt === undefined || now - state.lastStaticAt >= (options.staticRefreshMs ?? DAY_MS) || now < state.lastStaticAt) {
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
  function reconfirmLater(acknowledged: VariableMap): VariableMap {
    if (inDoubt.size === 0) return acknowledged;
    log.info('values sent in a request that timed out will be sent once more next cycle', { count: inDoubt.size });
    const kept = Object.fromEntries(Object.entries(acknowledged).filter(([name]) => !inDoubt.has(name)));
    inDoubt = new Set();
    return kept;
  }

  /** Sends what is pending; on device_not_found with autoActivate, activates with every desired value. */
  async function send(variables: VariableMap, full: boolean, now: number, signal: AbortSignal): Promise<{ sent: number; error?: unknown }> {
    const identity = options.identity;
    try {
      await client.trackDeviceVariables({ ...identity, variables }, { signal });
      state = { ...state, acknowledged: reconfirmLater(acknowledge(state.acknowledged, variables)), ...(full ? { lastFullRefreshAt: now } : {}) };
      return { sent: Object.keys(variables).length };
    } catch (error) {
      if (isApiErrorLike(error) && AMBIGUOUS_FAILURES.has(error.code)) {
        for (const name of Object.keys(variables)) inDoubt.add(name);
      }
      if (signal.aborted || !(isApiErrorLike(error) && error.errorClass === 'needs-activation' && options.autoActivate)) return { sent: 0, error };
      log.info('device not activated; activating with the desired values', { code: error.code });
      try {
        const desired = { ...state.desired };
        await client.activateLicense({ ...identity, ...options.activation, variables: desired }, { signal });
        // Activation stores the variables it carries (proven against the sandbox in test/sync), so they count as acknowledged.
        state = { ...state, acknowledged: acknowledge(state.acknowledged, desired), lastFullRefreshAt: now };
        return { sent: Object.keys(desired).length };
      } catch (activationError) {
        return { sent: 0, error: activationError };
      }
    }
  }

  async function cycle(trigger: SyncTrigger): Promise<SyncResult> {
    if (stopped) return { ok: false, sent: 0, error: cancelledView(clock.now()) }; // stop() came first
    syncing = true;
    emit();
    const now = clock.now();
    const abort = new AbortController();
    cycleAbort = abort;
    let result: SyncResult;
    let outcome: { ok: true } | { ok: false; error: unknown };
    try {
      const failures: CollectorFailure[] = [];
      const desired = await collect(failures, now);
      collectorFailures = failures;
      const hash = hashOf(options);
      const identityChanged = state.identityHash !== hash;
      state = {
        ...state,
        desired,
        samples: recordSample(state.samples, sampleOf(desired, now)),
        lastAttemptAt: now,
        ...(identityChanged ? { acknowledged: {}, identityHash: hash, lastFullRefreshAt: undefined } : {}),
      };
      const plan = planSend({ desired, acknowledged: state.acknowledged, identityChanged, lastFullRefreshAt: state.lastFullRefreshAt, now, fullRefreshMs: options.fullRefreshMs ?? DAY_MS });
      if (plan.reason === 'nothing') {
        state = { ...state, lastSuccessAt: now, lastError: undefined, history: recordOutcome(state.history, { at: now, outcome: 'nothing-to-send', sent: 0 }) };
        result = { ok: true, sent: 0 };
        outcome = { ok: true };
        log.debug('nothing to send', { trigger });
      } else {
        const { sent, error } = await send(plan.variables, plan.full, now, abort.signal);
        if (abort.signal.aborted && error !== undefined) {
          // Stopped mid-request: no answer, so nothing is known; the values stay pending.
          cycleAbort = undefined;
          syncing = false;
          store.save(state);
          log.info('sync stopped before the server answered', { trigger });
          return { ok: false, sent: 0, error: cancelledView(now) };
        }
        if (error === undefined) {
          state = { ...state, lastSuccessAt: now, lastError: undefined, history: recordOutcome(state.history, { at: now, outcome: 'ok', sent }) };
          result = { ok: true, sent };
          outcome = { ok: true };
          log.info('synced', { trigger, reason: plan.reason, sent, durationMs: clock.now() - now });
        } else {
          const view = errorView(error, now);
          if (!isApiErrorLike(error)) log.error('unexpected error during sync', { error });
          state = { ...state, lastError: view, history: recordOutcome(state.history, { at: now, outcome: 'error', sent: 0, code: view.code }) };
          result = { ok: false, sent: 0, error: view };
          outcome = { ok: false, error };
          log.warn('sync failed', { trigger, code: view.code, errorClass: view.errorClass, attempt: sched.attempt + 1 });
        }
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
    store.save(state); // written off the event loop; stop() awaits it

    const next = nextAfter(
      outcome.ok ? { ok: true } : { ok: false, errorClass: state.lastError?.errorClass ?? 'retryable', retryAfterMs: retryAfterOf(outcome.error) },
      sched, settings(), options.autoActivate, random,
    );
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
    if (pendingTrigger === undefined || (TRIGGER_RANK[kind] ?? 0) > (TRIGGER_RANK[pendingTrigger] ?? 0)) pendingTrigger = kind;
    if (debounceTimer !== undefined) clock.clearTimeout(debounceTimer);
    debounceTimer = clock.setTimeout(fireTrigger, options.debounceMs ?? DEFAULT_DEBOUNCE_MS);
  }

  return {
    async start() {
      if (started) return;
      started = true;
      stopped = false;
      schedule(options.startImmediately === true ? 0 : firstDelay(options.intervalMs, random), 'start');
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
      log.info(next ? 'paused' : 'resumed');
      if (next) {
        clearTimer();
      } else if (started) {
        schedule(0, 'resume');
      }
      emit();
    },

    status,

    onStatus(listener) {
      listeners.add(listener);
      return () => { listeners.delete(listener); };
    },

    updateOptions(next, replace) {
      const identityChanged = hashOf(next) !== hashOf(options);
      options = next;
      // New credentials (or anything else) must prove themselves: the next cycle sends
      // every value, so a wrong key shows at once instead of when a value next changes.
      state = { ...state, lastFullRefreshAt: undefined };
      if (replace?.client !== undefined) client = replace.client;
      if (replace?.collector !== undefined) { collector = replace.collector; staticDue = true; }
      sched = { attempt: 0 };
      log.info('configuration changed', { identityChanged });
      emit();
      trigger('config-change');
    },
  };
}

