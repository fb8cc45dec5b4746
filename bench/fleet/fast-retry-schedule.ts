// A candidate retry policy for app/sync/schedule.ts, measured here before it is
// adopted (adopting it changes the agent's visible retry delays, which other
// suites assert). Why the current one herds: its first retries (15 s, 30 s, 1 min…)
// come back much sooner than the regular 15-minute rhythm, so every agent whose
// cycle fell in an outage returns within minutes of its end, on top of the agents
// whose regular cycle is due then — a 10-minute outage gives ~4× the steady rate.
//
// The candidate: after a retryable failure, wait one interval and then a uniform
// random share of one more ("equal jitter" over [w, 2w]), doubling w per
// consecutive failure up to half the cap — so no retry comes sooner than the
// regular rhythm and the returns of a whole fleet spread over a window as wide as
// the interval (never all at the cap). A server's Retry-After still wins when it is later.
import { MAX_RETRY_AFTER_MS, nextAfter } from '../../app/sync/schedule.ts';
import type { BackoffSettings, CycleOutcome, NextRun, Random, ScheduleSettings, ScheduleState } from '../../app/sync/schedule.ts';

export function candidateRetryDelay(attempt: number, intervalMs: number, backoff: BackoffSettings, random: Random, retryAfterMs?: number): number {
  const w = Math.min(backoff.capMs / 2, intervalMs * 2 ** Math.min(attempt, 30));
  const drawn = Math.max(backoff.floorMs, Math.round(w + random() * w));
  const serverFloor = retryAfterMs === undefined ? 0 : Math.min(Math.max(0, retryAfterMs), MAX_RETRY_AFTER_MS);
  return Math.max(drawn, serverFloor);
}

/** nextAfter with the candidate's retry delays; every other outcome as app/sync/schedule.ts decides it. */
export function candidateNextAfter(outcome: CycleOutcome, state: ScheduleState, settings: ScheduleSettings, autoActivate: boolean, random: Random): NextRun {
  // The real rule decides whether this outcome is a retry (a fixed draw: no randomness spent).
  const decided = nextAfter(outcome, state, settings, autoActivate, () => 0.5);
  if (outcome.ok || decided.kind !== 'retry') return nextAfter(outcome, state, settings, autoActivate, random);
  return { kind: 'retry', delayMs: candidateRetryDelay(state.attempt, settings.intervalMs, settings.backoff, random, outcome.retryAfterMs), state: decided.state };
}
