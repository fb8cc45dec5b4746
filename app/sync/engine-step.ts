// The engine's control as a pure transition function (issue 14), in the style of an Elm
// update: step(model, event, ctx) → { model, effects }. Events are what happened (start()
// was called, a timer fired, a cycle finished, deactivate() failed); effects are what the
// interpreter (engine.ts) must do about it, in order: arm or clear a timer, run a cycle,
// abort the one in flight, save the state, log, tell the listeners. No clock, store or
// timer is touched here, so every rule is a row of a table (engine-step.test.ts).
import type { CollectorFailure, FirstSyncReason, SyncTrigger } from '../agent-api.ts';
import type { LogFields } from '../log/logger.ts';
import type { SyncState } from '../state/sync-state.ts';
import { cycleOutcome } from './cycle-outcome.ts';
import { DEFAULT_DEBOUNCE_MS, hashOf, scheduleSettings, startSplay } from './engine-options.ts';
import type { EngineOptions } from './engine-options.ts';
import type { Model } from './engine-model.ts';
import { afterSettingsChange, forgetIdentity } from './identity-change.ts';
import { nextAfter, onTrigger } from './schedule.ts';
import type { Random } from './schedule.ts';
import { firstSyncExplanation } from './status-text.ts';
import { rankedTrigger } from './trigger-rank.ts';
import type { VariableMap } from '../variables.ts';

export type EngineEvent =
  /** start() was called. */
  | { type: 'start' }
  /** start()'s decision of the first cycle, taken when cyclesBegun was `begun`; `inFlight`: a cycle or deactivation is queued. */
  | { type: 'first-cycle-decided'; begun: number; delayMs: number; reason: FirstSyncReason; changedStatic: readonly string[]; inFlight: boolean }
  /** start()'s static collection (taken when cyclesBegun was `begun`) ended with these failures. */
  | { type: 'start-static-collected'; begun: number; failures: readonly CollectorFailure[] }
  /** start()'s static facts, collected at `at`: they stand, with the changes that are news, unless a cycle began meanwhile or stop() came. */
  | { type: 'start-static-decided'; begun: number; at: number; staticNow: VariableMap; changedStatic: readonly string[] }
  /** The cycle timer fired. */
  | { type: 'timer-fired'; trigger: SyncTrigger }
  /** trigger(kind): a burst is debounced. */
  | { type: 'trigger'; kind: SyncTrigger }
  /** The debounce timer fired. */
  | { type: 'debounce-fired' }
  /** syncNow(). */
  | { type: 'sync-now' }
  /** A cycle is queued (run()): the timer it replaces goes. */
  | { type: 'cycle-queued' }
  /** A queued cycle begins (not after stop()). */
  | { type: 'cycle-began' }
  /** stop() cut the cycle's request short: nothing was confirmed, nothing is recorded. */
  | { type: 'cycle-cancelled'; trigger: SyncTrigger }
  /** A cycle ended (its state already holds what it learnt). */
  | { type: 'cycle-finished'; outcome: { ok: true } | { ok: false; error: unknown } }
  | { type: 'set-paused'; paused: boolean }
  /** stop() was called; then `stop-settled` once the cycle in flight (if any) ended. */
  | { type: 'stop' }
  | { type: 'stop-settled' }
  /** deactivate()'s request is about to go (after any cycle in flight). */
  | { type: 'deactivate-began' }
  | { type: 'deactivate-failed'; code: string }
  | { type: 'deactivated' }
  /** updateOptions(): new settings; `collectorReplaced`: a new collector came with them. */
  | { type: 'options-changed'; next: EngineOptions; collectorReplaced: boolean };

export type Effect =
  | { type: 'set-timer'; delayMs: number; trigger: SyncTrigger }
  | { type: 'clear-timer' }
  /** (Re)arm the debounce timer. */
  | { type: 'debounce'; delayMs: number }
  | { type: 'clear-debounce' }
  | { type: 'run'; trigger: SyncTrigger }
  /** Abort the request of the cycle in flight, if any. */
  | { type: 'abort-cycle' }
  | { type: 'persist'; state: SyncState }
  /** Tell the listeners the status (of the model as it is when this effect runs). */
  | { type: 'emit' }
  | { type: 'log'; level: 'debug' | 'info' | 'warn'; message: string; fields?: LogFields };

export interface StepContext {
  now: number;
  random: Random;
}

export interface Step {
  model: Model;
  effects: Effect[];
}

/** The model and effects of one step under construction (local to step(); step() itself stays pure). */
class Transition {
  readonly effects: Effect[] = [];
  model: Model;
  readonly ctx: StepContext;

  constructor(model: Model, ctx: StepContext) {
    this.model = model;
    this.ctx = ctx;
  }

  set(patch: Partial<Model>): this {
    this.model = { ...this.model, ...patch };
    return this;
  }

  do(...effects: Effect[]): this {
    this.effects.push(...effects);
    return this;
  }

  clearTimer(): this {
    if (this.model.timerArmed) this.do({ type: 'clear-timer' });
    return this.set({ timerArmed: false, nextSyncAt: undefined });
  }

  /** The next cycle in `delayMs`, unless stopped, not started or paused (then none). */
  schedule(delayMs: number, trigger: SyncTrigger): this {
    this.clearTimer();
    const m = this.model;
    if (!m.started || m.stopped || m.paused) return this;
    return this.set({ timerArmed: true, nextSyncAt: this.ctx.now + delayMs }).do({ type: 'set-timer', delayMs, trigger });
  }

  trigger(kind: SyncTrigger): this {
    if (this.model.stopped) return this;
    return this.set({ pendingTrigger: rankedTrigger(this.model.pendingTrigger, kind) }).do({ type: 'debounce', delayMs: this.model.options.debounceMs ?? DEFAULT_DEBOUNCE_MS });
  }

  persist(): this {
    return this.do({ type: 'persist', state: this.model.state });
  }

  log(level: 'debug' | 'info' | 'warn', message: string, fields?: LogFields): this {
    return this.do(fields === undefined ? { type: 'log', level, message } : { type: 'log', level, message, fields });
  }

  done(): Step {
    return { model: this.model, effects: this.effects };
  }
}

export function step(model: Model, event: EngineEvent, ctx: StepContext): Step {
  const t = new Transition(model, ctx);
  const m = model;
  switch (event.type) {
    case 'start':
      return m.started ? t.done() : t.set({ started: true, stopped: false }).done();

    case 'first-cycle-decided': {
      // Stopped, or a cycle came first (Sync now, a trigger, resume): that cycle set the schedule.
      if (!m.started || m.stopped || m.cyclesBegun !== event.begun || event.inFlight || m.timerArmed) return t.done();
      t.schedule(event.delayMs, 'start');
      if (t.model.timerArmed) t.set({ firstSync: { reason: event.reason, explanation: firstSyncExplanation(event.reason, startSplay(m.options), event.changedStatic) } });
      return t.do({ type: 'emit' }).done();
    }

    case 'start-static-collected':
      // A cycle that began meanwhile collected (and reported) for itself.
      return m.cyclesBegun === event.begun ? t.set({ startFailures: event.failures }).done() : t.done();

    case 'start-static-decided': {
      if (m.cyclesBegun !== event.begun || m.stopped) return t.done();
      // A change that is not restart noise joins the desired values at once, so the status says a value waits.
      const news = Object.fromEntries(event.changedStatic.map((name) => [name, event.staticNow[name]!]));
      return t.set({ state: { ...m.state, staticValues: event.staticNow, lastStaticAt: event.at, desired: { ...m.state.desired, ...news } }, staticDue: false }).done();
    }

    case 'timer-fired':
      return t.set({ timerArmed: false }).do({ type: 'run', trigger: event.trigger }).done();

    case 'trigger':
      return t.trigger(event.kind).done();

    case 'debounce-fired': {
      const kind = m.pendingTrigger;
      t.set({ pendingTrigger: undefined });
      if (kind === undefined || m.stopped || !m.started) return t.done();
      const decision = onTrigger(kind, m.sched, m.paused);
      t.log('debug', 'trigger', { trigger: kind, run: decision.run, parked: m.sched.parked });
      if (!decision.run) return t.done();
      return t.set({ sched: decision.state }).do({ type: 'run', trigger: kind }).done();
    }

    case 'sync-now':
      return t.set({ sched: onTrigger('manual', m.sched, m.paused).state }).done();

    case 'cycle-queued':
      return t.clearTimer().done();

    case 'cycle-began':
      if (m.stopped) return t.done(); // stop() came first: the interpreter answers "cancelled"
      return t.set({ syncing: true, cyclesBegun: m.cyclesBegun + 1, firstSync: undefined }).do({ type: 'emit' }).done();

    case 'cycle-cancelled':
      return t.set({ syncing: false }).persist().log('info', 'sync stopped before the server answered', { trigger: event.trigger }).done();

    case 'cycle-finished': {
      t.set({ restored: false }).persist(); // written off the event loop; stop() awaits it
      const next = nextAfter(cycleOutcome(event.outcome, m.state.lastError?.errorClass), m.sched, scheduleSettings(m.options), m.options.autoActivate, ctx.random);
      t.set({ sched: next.state, syncing: false }).schedule(next.delayMs, next.kind === 'retry' ? 'retry' : 'timer');
      return t.do({ type: 'emit' }).done();
    }

    case 'set-paused':
      if (m.paused === event.paused) return t.done();
      t.set({ paused: event.paused, ...(event.paused ? {} : { deactivated: false }) }).log('info', event.paused ? 'paused' : 'resumed');
      if (event.paused) t.clearTimer();
      else t.schedule(0, 'resume'); // (none before start())
      return t.do({ type: 'emit' }).done();

    case 'stop':
      // A request in flight ends now, not when the server answers.
      return t.set({ stopped: true, started: false }).clearTimer().do({ type: 'clear-debounce' }).set({ pendingTrigger: undefined }).do({ type: 'abort-cycle' }).done();

    case 'stop-settled':
      return t.clearTimer().persist().done(); // a cycle that ended during stop must not leave a timer

    case 'deactivate-began':
      return t.clearTimer().done();

    case 'deactivate-failed':
      t.log('warn', 'deactivation failed', { code: event.code });
      // The schedule goes on as before (the regular rhythm); no random number is drawn otherwise.
      if (m.started && !m.stopped && !m.paused) t.schedule(nextAfter({ ok: true }, m.sched, scheduleSettings(m.options), m.options.autoActivate, ctx.random).delayMs, 'timer');
      return t.done();

    case 'deactivated':
      t.log('info', 'device deactivated; syncing paused');
      t.set({ state: forgetIdentity(m.state), inDoubt: new Set(), license: undefined, lastLicenseCheckAt: undefined, licenseCheckDue: true, deactivated: true, paused: true });
      return t.persist().do({ type: 'emit' }).done();

    case 'options-changed': {
      const identityChanged = hashOf(event.next) !== hashOf(m.options);
      // New settings prove themselves: every value is sent next cycle.
      t.set({ options: event.next, state: afterSettingsChange(m.state), licenseCheckDue: true, ...(event.collectorReplaced ? { staticDue: true } : {}), sched: { attempt: 0 } });
      return t.log('info', 'configuration changed', { identityChanged }).do({ type: 'emit' }).trigger('config-change').done();
    }
  }
}
