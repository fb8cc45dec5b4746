// Whether an error leads to an automatic activation. An unsigned device_not_found (the vendor
// signs no error reply; anyone on the path can send one) leads to at most one attempt per
// identity a day; a signed one, or one under another identity, always may.
import type { ApiErrorLike } from './ports.ts';
import { isApiErrorLike } from './ports.ts';

/** An unsigned device_not_found leads to at most one automatic activation per identity in this long. */
export const ACTIVATION_ATTEMPT_INTERVAL_MS = 24 * 60 * 60_000;

export interface ActivationFacts {
  autoActivate: boolean;
  /** The last automatic activation (persisted): for which identity, when. */
  last: { identityHash: string; at: number } | undefined;
  /** The identity of this cycle. */
  identityHash: string;
  now: number;
}

/**
 * - `pass-on`: not an activation matter (or auto-activation is off): the cause is the cycle's error;
 * - `hold-back`: activated within the day for this identity and the cause is unsigned: the
 *   error says when and what to check;
 * - `activate` (with the cause, known now to be an API error).
 */
export type ActivationDecision = { action: 'pass-on' } | { action: 'hold-back'; error: ApiErrorLike } | { action: 'activate'; cause: ApiErrorLike };

const isoSeconds = (at: number): string => new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function activationDecision(cause: unknown, { autoActivate, last, identityHash, now }: ActivationFacts): ActivationDecision {
  if (!(isApiErrorLike(cause) && cause.errorClass === 'needs-activation' && autoActivate)) return { action: 'pass-on' };
  if (cause.signed !== true && last !== undefined && last.identityHash === identityHash && now >= last.at && now - last.at < ACTIVATION_ATTEMPT_INTERVAL_MS) {
    return {
      action: 'hold-back',
      error: {
        code: cause.code, errorClass: cause.errorClass,
        summary: `${cause.summary.replace(/\.$/, '')}, although the agent activated it at ${isoSeconds(last.at)}.`,
        remedy: `Check that the hardware id is the one activated on the server (hardwareId or hardwareIdFile); the agent activates again automatically at most once a day (next: ${isoSeconds(last.at + ACTIVATION_ATTEMPT_INTERVAL_MS)}), or at once from Sync now after a settings change.`,
      },
    };
  }
  return { action: 'activate', cause };
}
