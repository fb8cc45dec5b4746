// Quantisation: numbers are rounded to a multiple of their catalogue quantum
// (5 % or whole percents, 0.1 GB) so measurement noise does not produce a
// new value — and a request — every cycle. A small hysteresis keeps a value
// that hovers on a rounding boundary (49.49 / 49.51 %) from flapping.

/** Decimal gigabytes (10^9 bytes), the unit of every *_gb variable. */
export const BYTES_PER_GB = 1e9;

export function bytesToGb(bytes: number): number {
  return bytes / BYTES_PER_GB;
}

function decimalsOf(quantum: number): number {
  const text = String(quantum);
  const dot = text.indexOf('.');
  return dot === -1 ? 0 : text.length - dot - 1;
}

/** Rounds to the nearest multiple of quantum, without binary float residue (0.30000000000000004 -> 0.3). */
export function quantise(value: number, quantum: number): number {
  if (!Number.isFinite(value)) return value;
  if (!(quantum > 0)) throw new RangeError(`quantum must be a positive number (got ${quantum})`);
  const rounded = Math.round(value / quantum) * quantum;
  const result = Number(rounded.toFixed(decimalsOf(quantum)));
  return Object.is(result, -0) ? 0 : result;
}

/** How far (in quanta) the raw value must move from the last reported one before it changes. */
export const HYSTERESIS_QUANTA = 0.75;

/**
 * Remembers the last value reported per variable: a new raw value within
 * 0.75 quantum of it keeps the old value; anything further is rounded afresh.
 * Without a previous value this is plain rounding.
 */
export function createQuantiser(): { apply(name: string, raw: number, quantum: number): number; forget(name: string): void } {
  const last = new Map<string, number>();
  return {
    apply(name, raw, quantum) {
      const previous = last.get(name);
      const value = previous !== undefined && Math.abs(raw - previous) < HYSTERESIS_QUANTA * quantum
        ? previous
        : quantise(raw, quantum);
      if (Number.isFinite(value)) last.set(name, value);
      return value;
    },
    forget(name) {
      last.delete(name);
    },
  };
}
