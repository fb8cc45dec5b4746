// The sync engine: an interpreter of step() (engine-step.ts) over the ports — clock, state
// store, License API client, collector, logger. It holds the one Model and what is not data
// (timer handles, the promise of the cycle in flight and its AbortController, the
// listeners); every decision is step()'s, a cycle's is cycleStep()'s (cycle-step.ts, run by cycle.ts) and
// the status is engine-status.ts's. One cycle at a time; every cycle ends in a persisted
// state and a status event.
import type { Agent, AgentStatus, DeactivateResult, SyncResult, SyncTrigger } from '../agent-api.ts';
import { RESTART_NOISE } from '../collect/catalogue.ts';
import { cancelledView, errorView } from '../errors/error-view.ts';
import type { Logger } from '../log/logger.ts';
import type { StateStore } from '../state/state-store.ts';
import type { VariableMap } from '../variables.ts';
import { CANCELLED, runCycle } from './cycle.ts';
import type { CycleHost } from './cycle-host.ts';
import { hashOf, startSplay } from './engine-options.ts';
import type { EngineOptions } from './engine-options.ts';
import { initialModel } from './engine-model.ts';
import { statusOf } from './engine-status.ts';
import { step } from './engine-step.ts';
import type { Effect, EngineEvent } from './engine-step.ts';
import { isApiErrorLike, realClock } from './ports.ts';
import type { Clock, CollectorPort, LicenseApiPort } from './ports.ts';
import { firstCycle, needsStaticProbe, startFacts } from './schedule.ts';
import type { FirstCycle } from './schedule.ts';

export { DAY_MS, DEFAULT_DEBOUNCE_MS, identityHash } from './engine-options.ts';
export type { EngineOptions } from './engine-options.ts';
export { ACTIVATION_ATTEMPT_INTERVAL_MS } from './activation-limit.ts';

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

export function createSyncEngine(initialOptions: EngineOptions, deps: EngineDeps): SyncEngine {
  const clock = deps.clock ?? realClock;
  const random = deps.random ?? Math.random;
  const { store } = deps;
  let client = deps.client;
  let collector = deps.collector;
  const log = deps.logger.child({ component: 'sync' });

  let model = initialModel(initialOptions, store.load(), clock.now());
  let timer: unknown;
  let debounceTimer: unknown;
  let inFlight: Promise<SyncResult> | undefined;
  /** Aborts the request of the cycle in flight (stop()). */
  let cycleAbort: AbortController | undefined;
  const listeners = new Set<(s: AgentStatus) => void>();

  /** One event: the model step() returns becomes the engine's, then its effects run in order. */
  function apply(event: EngineEvent): void {
    const next = step(model, event, { now: clock.now(), random });
    model = next.model;
    for (const effect of next.effects) perform(effect);
  }

  function perform(effect: Effect): void {
    switch (effect.type) {
      case 'set-timer': {
        const { trigger } = effect;
        timer = clock.setTimeout(() => {
          timer = undefined;
          apply({ type: 'timer-fired', trigger });
        }, effect.delayMs);
        return;
      }
      case 'clear-timer':
        if (timer !== undefined) clock.clearTimeout(timer);
        timer = undefined;
        return;
      case 'debounce':
        if (debounceTimer !== undefined) clock.clearTimeout(debounceTimer);
        debounceTimer = clock.setTimeout(() => {
          debounceTimer = undefined;
          apply({ type: 'debounce-fired' });
        }, effect.delayMs);
        return;
      case 'clear-debounce':
        if (debounceTimer !== undefined) clock.clearTimeout(debounceTimer);
        debounceTimer = undefined;
        return;
      case 'run':
        void run(effect.trigger);
        return;
      case 'abort-cycle':
        cycleAbort?.abort();
        return;
      case 'persist':
        store.save(effect.state); // written off the event loop; stop() awaits it
        return;
      case 'emit':
        emit();
        return;
      case 'log':
        if (effect.fields === undefined) log[effect.level](effect.message);
        else log[effect.level](effect.message, effect.fields);
    }
  }

  function status(): AgentStatus {
    const now = clock.now();
    return statusOf(model, { storeWarnings: store.warnings() }, now);
  }

  function emit(): void {
    if (listeners.size === 0) return;
    const snapshot = status();
    for (const listener of listeners) {
      try { listener(snapshot); } catch (error) { log.warn('status listener failed', { error }); }
    }
  }

  const host: CycleHost = {
    model: () => model,
    update: (change) => { model = change(model); },
    client: () => client,
    collector: () => collector,
    clock,
    log,
    callOptions: () => (cycleAbort ? { signal: cycleAbort.signal } : {}),
    cancelling: () => cycleAbort?.signal.aborted === true,
  };

  async function cycle(trigger: SyncTrigger): Promise<SyncResult> {
    if (model.stopped) return { ok: false, sent: 0, error: cancelledView(clock.now()) }; // stop() came first
    apply({ type: 'cycle-began' });
    const now = clock.now();
    cycleAbort = new AbortController();
    const { result, outcome } = await runCycle(host, trigger, now);
    cycleAbort = undefined;
    if (!outcome.ok && outcome.error === CANCELLED) apply({ type: 'cycle-cancelled', trigger });
    else apply({ type: 'cycle-finished', outcome });
    return result;
  }

  /** Queues a cycle behind the one in flight (Sync now), or joins it (any other trigger). */
  function run(trigger: SyncTrigger): Promise<SyncResult> {
    if (inFlight !== undefined && trigger !== 'manual') return inFlight;
    apply({ type: 'cycle-queued' });
    const previous = inFlight ?? Promise.resolve();
    const current = previous.then(() => cycle(trigger), () => cycle(trigger));
    inFlight = current;
    void current.finally(() => { if (inFlight === current) inFlight = undefined; });
    return current;
  }

  /**
   * The static facts of this start, when only they can tell drift from news: the first
   * cycle then uses them (it would collect them anyway).
   */
  async function collectStaticAtStart(): Promise<VariableMap | undefined> {
    const at = clock.now();
    const begun = model.cyclesBegun;
    try {
      const result = await collector.collectStatic();
      apply({ type: 'start-static-collected', begun, failures: result.failures.map((f) => ({ collector: f.collector, message: f.message, at })) });
      return { ...result.values };
    } catch (error) {
      apply({ type: 'start-static-collected', begun, failures: [{ collector: 'static', message: error instanceof Error ? error.message : String(error), at }] });
      return undefined;
    }
  }

  /** What the first cycle after start() waits for, from the persisted state (and the static facts when they decide). */
  async function decideFirstCycle(): Promise<FirstCycle & { changedStatic: readonly string[] }> {
    const { options } = model;
    const current = { identityHash: hashOf(options), startImmediately: options.startImmediately === true, noise: options.restartNoise ?? RESTART_NOISE };
    let facts = startFacts(model.state, current);
    if (needsStaticProbe(facts)) {
      const begun = model.cyclesBegun;
      const at = clock.now();
      const staticNow = await collectStaticAtStart();
      if (staticNow !== undefined) {
        facts = startFacts(model.state, { ...current, staticNow });
        apply({ type: 'start-static-decided', begun, at, staticNow, changedStatic: facts.changedStatic ?? [] });
      }
    }
    const decision = firstCycle(facts, startSplay(model.options), random);
    log.info('first sync', { reason: decision.reason, inMs: decision.delayMs, ...(facts.changedStatic?.length ? { changed: facts.changedStatic } : {}) });
    return { ...decision, changedStatic: facts.changedStatic ?? [] };
  }

  return {
    async start() {
      if (model.started) return;
      apply({ type: 'start' });
      const begun = model.cyclesBegun;
      const decision = await decideFirstCycle();
      apply({ type: 'first-cycle-decided', begun, delayMs: decision.delayMs, reason: decision.reason, changedStatic: decision.changedStatic, inFlight: inFlight !== undefined });
    },

    async stop() {
      apply({ type: 'stop' });
      const current = inFlight;
      if (current !== undefined) await current.catch(() => undefined);
      apply({ type: 'stop-settled' });
      await store.flush?.(); // what save() kept back (samples, history, attempt times), and the write in flight
    },

    syncNow(trigger = 'manual') {
      apply({ type: 'sync-now' });
      return run(trigger);
    },

    trigger(kind) {
      apply({ type: 'trigger', kind });
    },

    setPaused(paused) {
      apply({ type: 'set-paused', paused });
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
        apply({ type: 'deactivate-began' });
        try {
          await deactivateLicense(model.options.identity);
        } catch (error) {
          apply({ type: 'deactivate-failed', code: isApiErrorLike(error) ? error.code : 'unexpected' });
          return { ok: false, error: errorView(error, clock.now()) };
        }
        apply({ type: 'deactivated' });
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
      if (replace?.client !== undefined) client = replace.client;
      if (replace?.collector !== undefined) collector = replace.collector;
      apply({ type: 'options-changed', next, collectorReplaced: replace?.collector !== undefined });
    },
  };
}
