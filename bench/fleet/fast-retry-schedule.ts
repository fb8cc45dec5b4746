// What the agent did before, kept to show why it changed: full-jitter exponential
// backoff, `random() * min(cap, 30 s × 2^attempt)`, never below 1 s, never sooner
// than a server's Retry-After. Its first retries come back within 30 s, 1 min, 2 min…
// of the failure — much sooner than the regular 15-minute rhythm — so every agent
// whose cycle fell in an outage returns within minutes of its end, on top of the
// agents whose regular cycle is due then: bench/fleet measured 4.3× the steady rate
// after a 10-minute outage of 10 000 agents. app/sync/schedule.ts now waits at least
// one interval (retryDelay); bench:fleet runs both so the difference stays visible,
// and judges the targets on the agent's schedule only.
import { MAX_RETRY_AFTER_MS, nextAfter } from '../../app/sync/schedule.ts';
import type { CycleOutcome, NextRun, Random, ScheduleSettings, ScheduleState } from '../../app/sync/schedule.ts';

export interface FastRetryBackoff {
  /** Scale of the first retry window. */
  baseMs: number;
  /** Largest window a retry is drawn from. */
  capMs: number;
  /** No retry sooner than this, whatever the draw. */
  floorMs: number;
}

/** The agent's defaults before the change. */
export const FAST_RETRY_BACKOFF: FastRetryBackoff = { baseMs: 30_000, capMs: 60 * 60_000, floorMs: 1_000 };

/** The previous retryDelay, verbatim: uniform over [0, min(cap, base × 2^attempt)), at least the floor and the Retry-After. */
export function fastRetryDelay(attempt: number, backoff: FastRetryBackoff, random: Random, retryAfterMs?: number): number {
  const window = Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.min(attempt, 30));
  const drawn = Math.max(backoff.floorMs, Math.floor(random() * window));
  const serverFloor = retryAfterMs === undefined ? 0 : Math.min(Math.max(0, retryAfterMs), MAX_RETRY_AFTER_MS);
  return Math.max(drawn, serverFloor);
}

/** nextAfter with the previous retry delays; every other outcome as app/sync/schedule.ts decides it. */
export function fastRetryNextAfter(outcome: CycleOutcome, state: ScheduleState, settings: ScheduleSettings, autoActivate: boolean, random: Random): NextRun {
  // The real rule decides whether this outcome is a retry (a fixed draw: no randomness spent).
  const decided = nextAfter(outcome, state, settings, autoActivate, () => 0.5);
  if (outcome.ok || decided.kind !== 'retry') return nextAfter(outcome, state, settings, autoActivate, random);
  return { kind: 'retry', delayMs: fastRetryDelay(state.attempt, FAST_RETRY_BACKOFF, random, outcome.retryAfterMs), state: decided.state };
}
