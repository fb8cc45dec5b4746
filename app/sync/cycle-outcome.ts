// What the schedule (schedule.ts nextAfter) hears about a finished cycle.
import type { ErrorClass } from '../licenseapi/error-codes.ts';
import { isApiErrorLike } from './ports.ts';
import type { CycleOutcome } from './schedule.ts';

/**
 * A failed cycle: the class of the error it recorded (a crash without one counts as
 * retryable), the server's retry delay when it gave one, and `parkable: false` only when
 * the error says so (an error that must not park the agent is retried with backoff).
 */
export function cycleOutcome(outcome: { ok: true } | { ok: false; error: unknown }, recordedClass: ErrorClass | undefined): CycleOutcome {
  if (outcome.ok) return { ok: true };
  const { error } = outcome;
  return {
    ok: false,
    errorClass: recordedClass ?? 'retryable',
    retryAfterMs: isApiErrorLike(error) && typeof error.retryAfterMs === 'number' ? error.retryAfterMs : undefined,
    parkable: isApiErrorLike(error) && error.parkable === false ? false : undefined,
  };
}
