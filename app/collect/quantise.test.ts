import { describe, expect, it } from 'vitest';
import { bytesToGb, createQuantiser, quantise } from './quantise.ts';

describe('quantise', () => {
  it.each([
    [49.4, 1, 49], [49.5, 1, 50], [0.3000000004, 0.1, 0.3], [25.2999, 0.1, 25.3], [12.04, 0.1, 12],
    [-0.04, 0.1, 0], [7.6, 5, 10], [1234.5678, 0.01, 1234.57],
  ])('quantise(%d, %d) = %d', (value, quantum, expected) => {
    expect(quantise(value, quantum)).toBe(expected);
  });

  it('leaves non-finite numbers alone (validation rejects them later) and refuses a bad quantum', () => {
    expect(quantise(Number.NaN, 1)).toBeNaN();
    expect(() => quantise(1, 0)).toThrow('quantum must be a positive number (got 0)');
  });

  it('counts decimal gigabytes', () => {
    expect(bytesToGb(25_300_000_000)).toBe(25.3);
  });
});

describe('createQuantiser (hysteresis)', () => {
  it('keeps the previous value while the raw value hovers around a rounding boundary', () => {
    const q = createQuantiser();
    expect(q.apply('ram_used_pct', 49.6, 1)).toBe(50);
    // Plain rounding would flap 50 -> 49 -> 50; within 0.75 quantum it stays.
    expect(q.apply('ram_used_pct', 49.4, 1)).toBe(50);
    expect(q.apply('ram_used_pct', 50.6, 1)).toBe(50);
    // A real move changes it.
    expect(q.apply('ram_used_pct', 49.2, 1)).toBe(49);
    expect(q.apply('ram_used_pct', 53.1, 1)).toBe(53);
  });

  it('keeps one memory per name, and forgets on request', () => {
    const q = createQuantiser();
    q.apply('a', 10.04, 0.1);
    expect(q.apply('b', 10.16, 0.1)).toBe(10.2);
    expect(q.apply('a', 10.06, 0.1)).toBe(10);
    q.forget('a');
    expect(q.apply('a', 10.06, 0.1)).toBe(10.1);
  });
});
