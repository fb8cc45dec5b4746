// Values whose fate is unknown: a request went out and no answer came in time, so it may sit
// in a slow server or proxy and land after a newer value. What the engine does about them:
// - names sent in such a request are *in doubt* (markInDoubt);
// - the next successful send no longer counts them as acknowledged, so the cycle after it
//   sends them once more (reconfirmLater);
// - when the server can be read (get_device_variables), they are compared with what it holds
//   instead, and read back once more a cycle later, since a late copy may still land (reconcile).
// After an identity change every desired value is compared with what the server holds.
import { canonicalVariableValue } from '../licenseapi/schemas.ts';
import type { ErrorClass } from '../licenseapi/error-codes.ts';
import type { VariableMap } from '../variables.ts';

/**
 * Failures after which the server may still apply the request later. (A reset connection
 * is dead: whatever it carried was applied before the retry or not at all, so it needs no
 * second send.)
 */
const AMBIGUOUS_FAILURES: ReadonlySet<string | undefined> = new Set(['timeout']);

/** The names in doubt after a send of `names` failed with `code`. */
export function markInDoubt(inDoubt: ReadonlySet<string>, code: string | undefined, names: readonly string[]): ReadonlySet<string> {
  if (!AMBIGUOUS_FAILURES.has(code)) return inDoubt;
  return new Set([...inDoubt, ...names]);
}

/** After a successful send: what counts as acknowledged, without the names in doubt (sent once more next cycle). */
export function reconfirmLater(acknowledged: VariableMap, inDoubt: ReadonlySet<string>): VariableMap {
  return Object.fromEntries(Object.entries(acknowledged).filter(([name]) => !inDoubt.has(name)));
}

/** Whether the cycle reads what the server holds before it plans a send. */
export function needsReconcile(identityChanged: boolean, inDoubt: ReadonlySet<string>, recheck: ReadonlySet<string>): boolean {
  return identityChanged || inDoubt.size > 0 || recheck.size > 0;
}

export interface ReconcileInput {
  identityChanged: boolean;
  desired: VariableMap;
  acknowledged: VariableMap;
  /** What the server holds, name → its canonical text (latest value per name). */
  held: Readonly<Record<string, string>>;
  inDoubt: ReadonlySet<string>;
  recheck: ReadonlySet<string>;
}

export interface Reconciled {
  /** Acknowledged: the compared names only where the server holds the desired value. */
  acknowledged: VariableMap;
  /** Names read back once more next cycle (this cycle's in-doubt names; none after an identity change). */
  recheck: ReadonlySet<string>;
  /** Names compared. */
  compared: readonly string[];
  /** Of those, how many the server holds as desired. */
  matching: number;
}

/** Counts as acknowledged what the server already holds, so only what differs is sent. */
export function reconcile({ identityChanged, desired, acknowledged: before, held, inDoubt, recheck }: ReconcileInput): Reconciled {
  const compared = identityChanged ? Object.keys(desired) : [...new Set([...inDoubt, ...recheck])];
  const acknowledged: VariableMap = identityChanged ? {} : { ...before };
  for (const name of compared) {
    delete acknowledged[name];
    const value = desired[name];
    if (value !== undefined && Object.hasOwn(held, name) && held[name] === canonicalVariableValue(value)) acknowledged[name] = value;
  }
  return {
    acknowledged,
    recheck: identityChanged ? new Set() : inDoubt,
    compared,
    matching: compared.filter((n) => Object.hasOwn(acknowledged, n)).length,
  };
}

/**
 * When what the server holds cannot be read: `activate` (the device is not active), `stop`
 * (a retryable failure: the send would most likely fail the same way; the cycle is retried),
 * or `go-on` without it (the plan sends what it would have sent; values in doubt stay in doubt
 * and are sent once more after the next success). `undefined`: not an API error.
 */
export function afterReadFailure(errorClass: ErrorClass | undefined): 'activate' | 'stop' | 'go-on' {
  if (errorClass === 'needs-activation') return 'activate';
  if (errorClass === 'retryable') return 'stop';
  return 'go-on';
}
