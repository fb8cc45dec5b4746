import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, DEFAULT_SCHEDULE, firstDelay, jittered, MAX_RETRY_AFTER_MS, nextAfter, onTrigger, regularDelay, retryDelay } from './schedule.ts';
import type { ScheduleSettings } from './schedule.ts';

/** A deterministic pseudo-random sequence in [0, 1). */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const S: ScheduleSettings = DEFAULT_SCHEDULE;
const MIN = 60_000;

describe('regular schedule', () => {
  it('stays within interval ± 10 % and uses the whole range', () => {
    const random = seeded(1);
    const delays = Array.from({ length: 5_000 }, () => regularDelay(S, random));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(13.5 * MIN);
    expect(Math.max(...delays)).toBeLessThanOrEqual(16.5 * MIN);
    expect(Math.min(...delays)).toBeLessThan(13.6 * MIN);
    expect(Math.max(...delays)).toBeGreaterThan(16.4 * MIN);
    expect(jittered(1000, 0.1, () => 0)).toBe(900);
    expect(jittered(1000, 0.1, () => 0.5)).toBe(1000);
  });

  it('draws the first delay uniformly in [0, interval)', () => {
    const random = seeded(2);
    const delays = Array.from({ length: 5_000 }, () => firstDelay(S.intervalMs, random));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThan(S.intervalMs);
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
    expect(Math.abs(mean - S.intervalMs / 2)).toBeLessThan(0.05 * S.intervalMs);
  });
});

describe('retryDelay (fleet-safe exponential backoff)', () => {
  const B = S.backoff;
  const I = S.intervalMs;

  it('draws over [w, 2w]: w starts at one interval and doubles per attempt up to half the cap', () => {
    expect(retryDelay(0, I, B, () => 0)).toBe(15 * MIN);
    expect(retryDelay(0, I, B, () => 0.999_999)).toBeCloseTo(30 * MIN, -2);
    expect(retryDelay(1, I, B, () => 0)).toBe(30 * MIN);
    expect(retryDelay(20, I, B, () => 0)).toBe(30 * MIN);
    expect(retryDelay(50, I, B, () => 0.999_999)).toBeLessThanOrEqual(60 * MIN);
    const random = seeded(3);
    for (let attempt = 0; attempt < 12; attempt++) {
      const w = Math.min(B.capMs / 2, I * 2 ** attempt);
      for (let i = 0; i < 200; i++) {
        const d = retryDelay(attempt, I, B, random);
        expect(d).toBeGreaterThanOrEqual(w);
        expect(d).toBeLessThanOrEqual(2 * w);
      }
    }
  });

  it('never retries sooner than the regular rhythm, so a fleet does not return at once', () => {
    const random = seeded(4);
    for (let i = 0; i < 1_000; i++) expect(retryDelay(0, I, B, random)).toBeGreaterThanOrEqual(I);
  });

  it('never goes below the floor (short test intervals)', () => {
    expect(retryDelay(0, 10, { capMs: 100, floorMs: 50 }, () => 0)).toBe(50);
  });

  it('honours Retry-After as a lower bound, capped at a day', () => {
    expect(retryDelay(0, I, B, () => 0.5, 2 * 60 * MIN)).toBe(2 * 60 * MIN);
    expect(retryDelay(0, I, B, () => 0.5, 1_000)).toBe(22.5 * MIN);
    expect(retryDelay(0, I, B, () => 0.5, 10 * MAX_RETRY_AFTER_MS)).toBe(MAX_RETRY_AFTER_MS);
    expect(retryDelay(0, I, B, () => 0.5, -5)).toBe(22.5 * MIN);
  });
});

describe('nextAfter', () => {
  const r = () => 0.5;

  it('goes back to the regular interval and resets the attempt counter after a success', () => {
    expect(nextAfter({ ok: true }, { attempt: 4 }, S, false, r)).toEqual({ kind: 'regular', delayMs: 15 * MIN, state: { attempt: 0 } });
  });

  it('backs off on retryable errors with a growing attempt counter', () => {
    const first = nextAfter({ ok: false, errorClass: 'retryable' }, { attempt: 0 }, S, false, r);
    const third = nextAfter({ ok: false, errorClass: 'retryable' }, { attempt: 2 }, S, false, r);
    expect(first).toEqual({ kind: 'retry', delayMs: 22.5 * MIN, state: { attempt: 1 } });
    expect(third).toEqual({ kind: 'retry', delayMs: 45 * MIN, state: { attempt: 3 } });
    expect(nextAfter({ ok: false, errorClass: 'retryable', retryAfterMs: 7_000_000 }, { attempt: 0 }, S, false, r).delayMs).toBe(7_000_000);
  });

  it('parks on configuration and license-state errors, probing only at the long interval', () => {
    for (const errorClass of ['needs-configuration', 'license-state'] as const) {
      const next = nextAfter({ ok: false, errorClass }, { attempt: 0 }, S, true, r);
      expect(next).toEqual({ kind: 'parked', delayMs: 6 * 60 * MIN, state: { attempt: 1, parked: errorClass } });
    }
  });

  it('parks needs-activation without autoActivate, backs off with it', () => {
    expect(nextAfter({ ok: false, errorClass: 'needs-activation' }, { attempt: 0 }, S, false, r).kind).toBe('parked');
    expect(nextAfter({ ok: false, errorClass: 'needs-activation' }, { attempt: 0 }, S, true, r).kind).toBe('retry');
  });

  it('waits a regular interval after a fatal error (no fast retry of the same request), still counting the attempts', () => {
    expect(nextAfter({ ok: false, errorClass: 'fatal' }, { attempt: 0 }, S, false, r)).toEqual({ kind: 'regular', delayMs: 15 * MIN, state: { attempt: 1 } });
    expect(nextAfter({ ok: false, errorClass: 'fatal', retryAfterMs: 7_000_000 }, { attempt: 4 }, S, true, () => 0)).toEqual({ kind: 'regular', delayMs: 13.5 * MIN, state: { attempt: 5 } });
    // A fatal error after a parked probe leaves parking behind (the next cycle may carry other values).
    expect(nextAfter({ ok: false, errorClass: 'fatal' }, { attempt: 2, parked: 'license-state' }, S, false, r).state).toEqual({ attempt: 3 });
  });

  it.each([
    // [class, autoActivate, kind, parked]
    ['retryable', false, 'retry', undefined],
    ['retryable', true, 'retry', undefined],
    ['needs-activation', false, 'parked', 'needs-activation'],
    ['needs-activation', true, 'retry', undefined],
    ['needs-configuration', false, 'parked', 'needs-configuration'],
    ['needs-configuration', true, 'parked', 'needs-configuration'],
    ['license-state', false, 'parked', 'license-state'],
    ['license-state', true, 'parked', 'license-state'],
    ['fatal', false, 'regular', undefined],
    ['fatal', true, 'regular', undefined],
  ] as const)('%s with autoActivate %s: %s, parked %s, attempt counted', (errorClass, autoActivate, kind, parked) => {
    const next = nextAfter({ ok: false, errorClass }, { attempt: 2 }, S, autoActivate, () => 0);
    expect(next.kind).toBe(kind);
    expect(next.state).toEqual(parked === undefined ? { attempt: 3 } : { attempt: 3, parked });
    const delay = { retry: retryDelay(2, S.intervalMs, S.backoff, () => 0), parked: 5.4 * 60 * MIN, regular: 13.5 * MIN }[kind];
    expect(next.delayMs).toBe(delay);
  });

  it('a retry after activation was tried, or of an error that must not park, honours Retry-After', () => {
    expect(nextAfter({ ok: false, errorClass: 'needs-activation', retryAfterMs: 7_000_000 }, { attempt: 0 }, S, true, r).delayMs).toBe(7_000_000);
    expect(nextAfter({ ok: false, errorClass: 'needs-configuration', parkable: false, retryAfterMs: 7_000_000 }, { attempt: 0 }, S, false, r).delayMs).toBe(7_000_000);
    expect(nextAfter({ ok: false, errorClass: 'retryable', parkable: true }, { attempt: 0 }, S, false, r).kind).toBe('retry');
    expect(nextAfter({ ok: false, errorClass: 'fatal', parkable: false }, { attempt: 0 }, S, false, r).kind).toBe('regular');
  });
});

describe('onTrigger', () => {
  const parked = { attempt: 3, parked: 'license-state' as const };

  it('manual always runs and leaves parking, even when paused', () => {
    expect(onTrigger('manual', parked, true)).toEqual({ run: true, state: { attempt: 3 } });
  });

  it('config-change and resume leave parking; network-back does not', () => {
    expect(onTrigger('config-change', parked, false)).toEqual({ run: true, state: { attempt: 0 } });
    expect(onTrigger('resume', parked, false)).toEqual({ run: true, state: { attempt: 3 } });
    expect(onTrigger('network-back', parked, false).run).toBe(false);
    expect(onTrigger('network-back', { attempt: 2 }, false)).toEqual({ run: true, state: { attempt: 2 } });
  });

  it('ignores everything but manual while paused', () => {
    expect(onTrigger('config-change', { attempt: 0 }, true).run).toBe(false);
    expect(onTrigger('resume', { attempt: 0 }, true).run).toBe(false);
  });
});

describe('errors that must not park', () => {
  it('a configuration or license error marked not parkable is retried with backoff (at most hourly), not parked for hours', () => {
    for (const errorClass of ['needs-configuration', 'license-state', 'needs-activation'] as const) {
      const parked = nextAfter({ ok: false, errorClass }, { attempt: 0 }, S, false, () => 0.5);
      expect(parked.kind).toBe('parked');
      const retried = nextAfter({ ok: false, errorClass, parkable: false }, { attempt: 5 }, S, false, () => 0.99);
      expect(retried.kind).toBe('retry');
      expect(retried.delayMs).toBeLessThanOrEqual(DEFAULT_BACKOFF.capMs);
      expect(retried.state.parked).toBeUndefined();
    }
  });
});
