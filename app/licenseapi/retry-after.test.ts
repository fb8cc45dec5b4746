import { describe, expect, it } from 'vitest';
import { RETRY_AFTER_MAX_MS, parseRetryAfter } from './retry-after.ts';

const SERVER_NOW = Date.UTC(2026, 10, 26, 12, 0, 0);

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('7', SERVER_NOW)).toBe(7000);
    expect(parseRetryAfter(' 0 ', SERVER_NOW)).toBe(0);
  });

  it('reads an HTTP-date relative to the server clock, not ours', () => {
    const at = new Date(SERVER_NOW + 30_000).toUTCString();
    expect(parseRetryAfter(at, SERVER_NOW)).toBe(30_000);
    // The same header read with a clock one hour behind would wait an hour longer: we pass the server's now.
    expect(parseRetryAfter(at, SERVER_NOW - 3_600_000)).toBe(3_630_000);
  });

  it('treats an HTTP-date in the past as "now"', () => {
    expect(parseRetryAfter(new Date(SERVER_NOW - 5000).toUTCString(), SERVER_NOW)).toBe(0);
  });

  it('clamps absurd waits to one day', () => {
    expect(parseRetryAfter('99999999999', SERVER_NOW)).toBe(RETRY_AFTER_MAX_MS);
  });

  it('returns undefined for absent or unreadable values', () => {
    for (const value of [undefined, null, '', '  ', '-5', '1.5', 'soon', '12abc', 'Someday, 99 Foo 2026']) {
      expect(parseRetryAfter(value, SERVER_NOW), String(value)).toBeUndefined();
    }
  });
});
