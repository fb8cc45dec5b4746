import { describe, expect, it } from 'vitest';
import { countdown, formatValue, parseNameList, timeAgo } from './format.ts';

describe('format', () => {
  const now = 1_700_000_000_000;
  it('says how long ago', () => {
    expect(timeAgo(undefined, now)).toBe('never');
    expect(timeAgo(now - 10_000, now)).toBe('just now');
    expect(timeAgo(now - 5 * 60_000, now)).toBe('5 min ago');
    expect(timeAgo(now - 3 * 3_600_000, now)).toBe('3 h ago');
  });
  it('counts down to the next sync', () => {
    expect(countdown(undefined, now)).toBe('—');
    expect(countdown(now - 1, now)).toBe('due now');
    expect(countdown(now + 245_000, now)).toBe('in 4:05');
    expect(countdown(now + 3_720_000, now)).toBe('in 1 h 02 min');
  });
  it('formats values and parses name lists', () => {
    expect(formatValue(false)).toBe('false');
    expect(formatValue(undefined)).toBe('—');
    expect(formatValue(12.5)).toBe('12.5');
    expect(parseNameList(' a, b\nc  a ')).toEqual(['a', 'b', 'c']);
  });
});
