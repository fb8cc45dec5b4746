import { describe, expect, it } from 'vitest';
import type { ErrorClass } from '../licenseapi/error-codes.ts';
import type { LicenseStateView } from '../agent-api.ts';
import { afterLicenseCheckFailure, isLicenseCode, withLicenseWords } from './license-check.ts';
import type { LicenseCheckFailure } from './license-check.ts';
import { licenseProblem } from './license-state.ts';
import type { ApiErrorLike } from './ports.ts';

describe('afterLicenseCheckFailure: what a failed check_license leads to', () => {
  const goOn = (askNextCycle: boolean): LicenseCheckFailure => ({ action: 'go-on', askNextCycle, checkedNow: !askNextCycle });
  const cases: Array<[errorClass: ErrorClass, code: string, then: LicenseCheckFailure]> = [
    ['needs-activation', 'device_not_found', { action: 'activate' }],
    ['license-state', 'license_not_enabled', { action: 'stop' }],
    ['license-state', 'license_expired', { action: 'stop' }],
    ['needs-configuration', 'unknown_license', { action: 'stop' }],
    ['needs-configuration', 'authorization_failed', { action: 'stop' }],
    // not_found: the check cannot find it, the send may still work
    ['needs-configuration', 'not_found', goOn(false)],
    ['retryable', 'timeout', goOn(true)],
    ['retryable', 'service_unavailable', goOn(true)],
    ['retryable', 'not_found', goOn(true)],
    ['fatal', 'signature_v2_mismatch', goOn(false)],
  ];
  it.each(cases)('%s %s → %j', (errorClass, code, then) => {
    expect(afterLicenseCheckFailure(errorClass, code)).toEqual(then);
  });
});

describe('isLicenseCode: errors after which the license is asked about', () => {
  const cases: Array<[code: string, asks: boolean]> = [
    ['license_not_enabled', true],
    ['license_expired', true],
    ['license_maximum_activations_reached', true],
    ['licenses_x', true], // a prefix: every license_* code, present and future
    ['trial_expired', true],
    ['blacklisted', true],
    ['disabled_product', true],
    ['archived_product', true],
    ['a_license_thing', false], // anchored at the start
    ['trial_expired_soon', false], // anchored at the end
    ['x_trial_expired', false], // and at the start
    ['not_blacklisted', false],
    ['blacklisted_device', false],
    ['deleted_product', false],
    ['disabled_product_x', false],
    ['x_disabled_product', false],
    ['device_not_found', false],
    ['timeout', false],
    ['', false],
  ];
  it.each(cases)('%s → %s', (code, asks) => {
    expect(isLicenseCode(code)).toBe(asks);
  });
});

describe('withLicenseWords: a license error once the license was asked about', () => {
  const error = (code: string, extra: Partial<ApiErrorLike> = {}): ApiErrorLike => ({ code, errorClass: 'license-state', summary: 'The license cannot be used.', remedy: 'Renew it.', ...extra });
  const disabled: LicenseStateView = { enabled: false, checkedAt: 1, summary: 'disabled by the vendor' };
  const usable: LicenseStateView = { enabled: true, active: true, checkedAt: 1, summary: 'active, perpetual' };
  const rows: Array<[why: string, err: ApiErrorLike, license: LicenseStateView | undefined, words: ApiErrorLike]> = [
    ['nothing known about the license: unchanged', error('license_not_enabled', { retryAfterMs: 5 }), undefined, error('license_not_enabled', { retryAfterMs: 5 })],
    ['the same problem: the license\'s own words', error('license_not_enabled'), disabled, licenseProblem(disabled)!],
    ['the same problem keeps the server\'s retry delay', error('license_not_enabled', { retryAfterMs: 60_000 }), disabled, { ...licenseProblem(disabled)!, retryAfterMs: 60_000 }],
    ['another problem: the error, with the license\'s state', error('license_expired'), disabled,
      { code: 'license_expired', errorClass: 'license-state', summary: 'The license cannot be used (disabled by the vendor).', remedy: 'Renew it.' }],
    ['a usable license: the error, with the license\'s state', error('trial_expired', { retryAfterMs: 7, signed: true }), usable,
      { code: 'trial_expired', errorClass: 'license-state', summary: 'The license cannot be used (active, perpetual).', remedy: 'Renew it.' }],
    ['a summary without a final full stop', error('blacklisted', { summary: 'Blocked v1.2' }), usable,
      { code: 'blacklisted', errorClass: 'license-state', summary: 'Blocked v1.2 (active, perpetual).', remedy: 'Renew it.' }],
    ['only the final full stop goes', error('blacklisted', { summary: 'Blocked v1.2.' }), usable,
      { code: 'blacklisted', errorClass: 'license-state', summary: 'Blocked v1.2 (active, perpetual).', remedy: 'Renew it.' }],
  ];
  it.each(rows)('%s', (_why, err, license, words) => {
    expect(withLicenseWords(err, license)).toStrictEqual(words);
  });
});
