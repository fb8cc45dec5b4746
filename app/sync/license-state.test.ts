import { describe, expect, it } from 'vitest';
import { daysUntil, expiryNotice, expiryWarning, licenseProblem, licenseView, licenseViewAt } from './license-state.ts';

const DAY = 24 * 3_600_000;
const NOW = Date.UTC(2031, 5, 1, 12, 0, 0);
const expiring = (days: number, extra = {}) => licenseView({ licenseType: 'time-limited', isExpired: false, validityPeriod: new Date(NOW + days * DAY).toISOString(), ...extra }, NOW);

describe('license state in words', () => {
  it('summarises what the server said', () => {
    expect(licenseView({ licenseType: 'perpetual', licenseEnabled: true, licenseActive: true, isExpired: false, maxActivations: 100, timesActivated: 3 }, NOW).summary)
      .toBe('perpetual license · enabled · active · does not expire · 3 of 100 activations used');
    expect(expiring(10, { isTrial: true, maxActivations: 2 }).summary).toBe('time-limited trial license · expires 2031-06-11 (10 days left) · up to 2 activations');
    expect(licenseView({ licenseType: 'subscription', isExpired: true, validityPeriod: '2031-05-01T00:00:00Z' }, NOW).summary).toBe('subscription license · expired on 2031-05-01');
  });

  it('keeps the enabled/active flags an activation reply does not carry', () => {
    const checked = licenseView({ licenseType: 'perpetual', licenseEnabled: true, licenseActive: true }, NOW);
    const activated = licenseView({ licenseType: 'perpetual', timesActivated: 2 }, NOW + 1000, checked);
    expect(activated).toMatchObject({ enabled: true, active: true, timesActivated: 2, checkedAt: NOW + 1000 });
  });

  it('days left move with the clock', () => {
    const view = expiring(10);
    expect(licenseViewAt(view, NOW + 3 * DAY)).toMatchObject({ daysLeft: 7 });
    expect(licenseViewAt(view, NOW + 11 * DAY)).toMatchObject({ daysLeft: 0 });
    expect(daysUntil(NOW + DAY - 1, NOW)).toBe(0);
  });
});

describe('a license that cannot be used', () => {
  it('disabled, inactive, expired — in that order — with the state in words', () => {
    expect(licenseProblem(licenseView({ licenseEnabled: false, licenseActive: false }, NOW))).toMatchObject({ code: 'license_not_enabled', errorClass: 'license-state' });
    expect(licenseProblem(licenseView({ licenseEnabled: true, licenseActive: false }, NOW))).toMatchObject({ code: 'license_not_active' });
    const expired = licenseProblem(licenseView({ licenseType: 'time-limited', isExpired: true, validityPeriod: '2031-05-01T00:00:00Z' }, NOW));
    expect(expired).toMatchObject({ code: 'license_expired', summary: 'The license has expired (time-limited license · expired on 2031-05-01).' });
    expect(licenseProblem(licenseView({ licenseEnabled: true, licenseActive: true, isExpired: false }, NOW))).toBeUndefined();
  });
});

describe('expiry warnings', () => {
  it('from 14 days before expiry, more urgent from 3 days before, none after expiry', () => {
    expect(expiryWarning(expiring(14), NOW)).toBeUndefined();
    expect(expiryWarning(expiring(13), NOW)).toBe('The license expires in 13 days (2031-06-14). Ask your license administrator to renew it.');
    expect(expiryWarning(expiring(3), NOW)).toMatch(/^The license expires in 3 days .* Ask your license administrator/);
    expect(expiryWarning(expiring(2, { isTrial: true }), NOW)).toBe('The trial license expires in 2 days (2031-06-03). Renew it now: the licensed program may stop working when it expires.');
    expect(expiryWarning(expiring(0.5), NOW)).toMatch(/expires today/);
    expect(expiryWarning(licenseView({ licenseType: 'time-limited', isExpired: true, validityPeriod: '2031-05-01T00:00:00Z' }, NOW), NOW)).toBeUndefined();
    expect(expiryWarning(licenseView({ licenseType: 'perpetual' }, NOW), NOW)).toBeUndefined();
    expect(expiryNotice(expiring(1), NOW)).toBe('license expires in 1 day');
  });
});

describe('license state at its edges', () => {
  it.each([
    [{ licenseType: 'perpetual', licenseEnabled: false, licenseActive: false }, 'perpetual license · disabled · not active · does not expire'],
    [{ licenseType: 'time-limited', isExpired: true }, 'time-limited license · expired'],
    [{ licenseType: 'time-limited', validityPeriod: new Date(NOW + 0.5 * DAY).toISOString() }, 'time-limited license · expires 2031-06-02 (today)'],
    [{ licenseType: 'time-limited', validityPeriod: new Date(NOW - 0.5 * DAY).toISOString() }, 'time-limited license · expires 2031-06-01 (today)'],
    [{ licenseType: 'time-limited', validityPeriod: new Date(NOW + 1.5 * DAY).toISOString() }, 'time-limited license · expires 2031-06-03 (1 day left)'],
    [{ licenseType: 'time-limited', validityPeriod: 'not a date' }, 'time-limited license'],
    [{ licenseType: 'subscription', timesActivated: 1 }, 'subscription license'],
    [{ maxActivations: 5, timesActivated: 0 }, `${licenseView({}, NOW).summary} · 0 of 5 activations used`],
  ])('%j → "%s"', (facts, summary) => {
    expect(licenseView(facts as Parameters<typeof licenseView>[0], NOW).summary).toBe(summary);
  });

  it('the view carries what the server said, and nothing it did not', () => {
    expect(licenseView({ licenseType: 'perpetual', isTrial: true, licenseEnabled: true, licenseActive: false, isExpired: false, validityPeriod: '2031-06-11T00:00:00Z', maxActivations: 3, timesActivated: 2 }, NOW))
      .toStrictEqual({ checkedAt: NOW, summary: expect.any(String), type: 'perpetual', isTrial: true, enabled: true, active: false, expired: false, expiresAt: Date.parse('2031-06-11T00:00:00Z'), maxActivations: 3, timesActivated: 2 });
    expect(licenseView({}, NOW)).toStrictEqual({ checkedAt: NOW, summary: expect.any(String) });
    expect(licenseView({}, NOW, { checkedAt: 1, summary: 'x', enabled: false, active: true })).toStrictEqual({ checkedAt: NOW, summary: expect.any(String), enabled: false, active: true });
  });

  it('days left never go below zero, and the summary moves with the clock', () => {
    const view = expiring(2);
    expect(licenseViewAt(view, NOW + 5 * DAY)).toMatchObject({ daysLeft: 0, summary: 'time-limited license · expires 2031-06-03 (today)' });
    expect(licenseViewAt(view, NOW + DAY)).toMatchObject({ daysLeft: 1, summary: 'time-limited license · expires 2031-06-03 (1 day left)' });
    const perpetual = licenseView({ licenseType: 'perpetual' }, NOW);
    expect(licenseViewAt(perpetual, NOW + DAY)).toStrictEqual({ ...perpetual, summary: perpetual.summary, summaryParts: [{ key: 'licenseSummary.type.perpetual' }, { key: 'licenseSummary.noExpiry' }] });
  });

  it('a license that cannot be used says so in full sentences', () => {
    expect(licenseProblem(licenseView({ licenseType: 'perpetual', licenseEnabled: false }, NOW))?.summary).toBe('The license is disabled (perpetual license · disabled · does not expire).');
    expect(licenseProblem(licenseView({ licenseType: 'perpetual', licenseEnabled: true, licenseActive: false }, NOW))?.summary).toBe('The license is not active (perpetual license · enabled · not active · does not expire).');
    expect(licenseProblem(licenseView({ licenseType: 'perpetual', isExpired: true }, NOW))?.summary).toBe('The license has expired (perpetual license · expired).');
    expect(licenseProblem(licenseView({ licenseType: 'perpetual', isExpired: false, licenseEnabled: true, licenseActive: true }, NOW))).toBeUndefined();
  });

  it.each([
    [14, undefined, undefined],
    [13.5, 'The license expires in 13 days (2031-06-15). Ask your license administrator to renew it.', 'license expires in 13 days'],
    [3.5, 'The license expires in 3 days (2031-06-05). Ask your license administrator to renew it.', 'license expires in 3 days'],
    [2.5, 'The license expires in 2 days (2031-06-04). Renew it now: the licensed program may stop working when it expires.', 'license expires in 2 days'],
    [1.5, 'The license expires in 1 day (2031-06-03). Renew it now: the licensed program may stop working when it expires.', 'license expires in 1 day'],
    [0.5, 'The license expires today (2031-06-02). Renew it now: the licensed program may stop working when it expires.', 'license expires today'],
    [-0.5, undefined, undefined],
  ])('%f days before expiry: warning %j, notice %j', (days, warning, notice) => {
    expect(expiryWarning(expiring(days), NOW)).toBe(warning);
    expect(expiryNotice(expiring(days), NOW)).toBe(notice);
  });

  it('no warning without a view, an expiry date, or for a license already expired', () => {
    expect(expiryWarning(undefined, NOW)).toBeUndefined();
    expect(expiryNotice(undefined, NOW)).toBeUndefined();
    expect(expiryWarning(expiring(2, { isExpired: true }), NOW)).toBeUndefined();
  });
});
