import { describe, expect, it } from 'vitest';
import type { ErrorClass } from '../licenseapi/error-codes.ts';
import { afterLicenseCheckFailure, isLicenseCode } from './license-check.ts';
import type { LicenseCheckFailure } from './license-check.ts';

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
