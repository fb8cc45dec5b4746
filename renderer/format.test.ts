import { describe, expect, it } from 'vitest';
import type { LicenseStateView } from '../app/agent-api.ts';
import { translator } from '../locales/i18n.ts';
import { countdown, formatValue, licenseLine, parseNameList, timeAgo } from './format.ts';

describe('format', () => {
  const now = 1_700_000_000_000;
  const en = translator('en-US');
  const de = translator('de-DE');
  it('says how long ago, in the window\'s language', () => {
    expect(timeAgo(en, undefined, now)).toBe('never');
    expect(timeAgo(en, now - 10_000, now)).toBe('just now');
    expect(timeAgo(en, now - 5 * 60_000, now)).toBe('5 minutes ago');
    expect(timeAgo(en, now - 3 * 3_600_000, now)).toBe('3 hours ago');
    expect(timeAgo(de, undefined, now)).toBe('nie');
    expect(timeAgo(de, now - 5 * 60_000, now)).toBe('vor 5 Minuten');
  });
  it('counts down to the next sync', () => {
    expect(countdown(en, undefined, now)).toBe('—');
    expect(countdown(en, now - 1, now)).toBe('due now');
    expect(countdown(en, now + 245_000, now)).toBe('in 5 minutes');
    expect(countdown(de, now + 3_720_000, now)).toBe('in 1 Stunde');
  });
  it('puts the license state and its expiry in one line, dates for the locale', () => {
    const expiresAt = Date.UTC(2026, 11, 3, 12);
    const license: LicenseStateView = { enabled: true, active: true, expired: false, expiresAt, daysLeft: 4, checkedAt: now, summary: '' };
    expect(licenseLine(en, license)).toBe(`Active · Valid until ${en.date(expiresAt)} (4 days left)`);
    expect(licenseLine(de, { ...license, daysLeft: 1 })).toBe('Aktiv · Gültig bis 03.12.2026 (noch 1 Tag)');
    expect(licenseLine(en, { ...license, expired: true, daysLeft: undefined })).toBe(`Expired on ${en.date(expiresAt)}`);
    expect(licenseLine(en, { enabled: false, checkedAt: now, summary: '' })).toBe('Disabled · Does not expire');
    expect(licenseLine(de, undefined)).toBe('noch nicht geprüft');
  });
  it('formats values and parses name lists', () => {
    expect(formatValue(false)).toBe('false');
    expect(formatValue(undefined)).toBe('—');
    expect(formatValue(12.5)).toBe('12.5');
    expect(parseNameList(' a, b\nc  a ')).toEqual(['a', 'b', 'c']);
  });
});
