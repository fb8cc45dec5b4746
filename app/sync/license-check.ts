// What the engine does with a failed check_license, and after which errors it asks again.
import type { LicenseStateView } from '../agent-api.ts';
import type { ErrorClass } from '../licenseapi/error-codes.ts';
import { licenseProblem } from './license-state.ts';
import type { ApiErrorLike } from './ports.ts';

/** Codes after which the license is checked again (its state may be why). */
const LICENSE_CODES = /^license|^trial_expired$|^blacklisted$|^(disabled|archived)_product$/;

/** Whether an error with this code makes the license worth asking about (now, for the words, and next cycle). */
export function isLicenseCode(code: string): boolean {
  return LICENSE_CODES.test(code);
}

/**
 * After a failed check_license:
 * - `activate`: the device is not active (the activation step decides whether to activate);
 * - `stop`: the send would fail the same way (the license cannot be used, or the product,
 *   key or credentials are wrong), so the cycle ends with this error;
 * - `go-on`: syncing goes on; a retryable failure is asked again next cycle, any other not
 *   before the regular period (`checkedNow`: counts as this period's check).
 * (`not_found` is a product or license the check cannot find while the send may still work.)
 */
export type LicenseCheckFailure = { action: 'activate' } | { action: 'stop' } | { action: 'go-on'; askNextCycle: boolean; checkedNow: boolean };

export function afterLicenseCheckFailure(errorClass: ErrorClass, code: string): LicenseCheckFailure {
  if (errorClass === 'needs-activation') return { action: 'activate' };
  if (errorClass === 'license-state' || (errorClass === 'needs-configuration' && code !== 'not_found')) return { action: 'stop' };
  const retryable = errorClass === 'retryable';
  return { action: 'go-on', askNextCycle: retryable, checkedNow: !retryable };
}

/**
 * A license error in words, once the license was asked about: the license's own problem when
 * it is the same one (its wording names the state), otherwise the error with what the server
 * says about the license; unchanged when nothing is known. The code stays the error's.
 */
export function withLicenseWords(error: ApiErrorLike, license: LicenseStateView | undefined): ApiErrorLike {
  if (!license) return error;
  const problem = licenseProblem(license);
  if (problem && problem.code === error.code) return { ...problem, ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}) };
  return { code: error.code, errorClass: error.errorClass, summary: `${error.summary.replace(/\.$/, '')} (${license.summary}).`, remedy: error.remedy };
}
