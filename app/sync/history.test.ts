import { describe, expect, it } from 'vitest';
import { appendBounded, HISTORY_WINDOW_MS, MAX_HISTORY, MAX_SAMPLES, recordOutcome, recordSample, sampleOf } from './history.ts';

describe('history bounds', () => {
  it('keeps only the last 24 h', () => {
    const now = 10 * HISTORY_WINDOW_MS;
    const list = [{ at: now - HISTORY_WINDOW_MS - 1 }, { at: now - HISTORY_WINDOW_MS + 1 }, { at: now + 5 }];
    expect(appendBounded(list, { at: now }, now, 10)).toEqual([{ at: now - HISTORY_WINDOW_MS + 1 }, { at: now }]);
  });

  it('keeps at most N entries, dropping the oldest', () => {
    let history: ReturnType<typeof recordOutcome> = [];
    for (let i = 1; i <= MAX_HISTORY + 50; i++) history = recordOutcome(history, { at: i, outcome: 'ok', sent: 1 });
    expect(history).toHaveLength(MAX_HISTORY);
    expect(history[0]?.at).toBe(51);
    let samples: ReturnType<typeof recordSample> = [];
    for (let i = 1; i <= MAX_SAMPLES + 5; i++) samples = recordSample(samples, sampleOf({ cpu_load_pct: i }, i));
    expect(samples).toHaveLength(MAX_SAMPLES);
  });

  it('samples only the chart metrics, as finite numbers', () => {
    expect(sampleOf({ cpu_load_pct: 12, ram_used_pct: 40, os: 'linux' }, 5)).toEqual({ at: 5, values: { cpu_load_pct: 12, ram_used_pct: 40 } });
    expect(sampleOf({ cpu_load_pct: '12', os: 'linux' }, 5)).toBeUndefined();
    expect(recordSample([], undefined)).toEqual([]);
  });
});

describe('history at its edges', () => {
  const now = 10 * HISTORY_WINDOW_MS;
  it.each([
    [now - HISTORY_WINDOW_MS, false], // exactly a day old: gone
    [now - HISTORY_WINDOW_MS + 1, true],
    [now, true], // this moment: kept
    [now + 1, false], // from the future: gone
  ])('an entry at %i is kept: %s', (at, kept) => {
    expect(appendBounded([{ at }], { at: now }, now, 10)).toEqual(kept ? [{ at }, { at: now }] : [{ at: now }]);
  });

  it('keeps exactly max entries, dropping the oldest', () => {
    const list = [{ at: now - 3 }, { at: now - 2 }];
    expect(appendBounded(list, { at: now }, now, 3)).toEqual([{ at: now - 3 }, { at: now - 2 }, { at: now }]);
    expect(appendBounded(list, { at: now }, now, 2)).toEqual([{ at: now - 2 }, { at: now }]);
    expect(list).toHaveLength(2);
  });

  it('samples only finite numbers of the chart metrics', () => {
    expect(sampleOf({ cpu_load_pct: 12.5, ram_used_pct: Number.NaN }, 5)).toEqual({ at: 5, values: { cpu_load_pct: 12.5 } });
    expect(sampleOf({ cpu_load_pct: '12', ram_used_pct: Number.POSITIVE_INFINITY, other: 3 }, 5)).toBeUndefined();
    expect(sampleOf({ ram_used_pct: 0 }, 5)).toEqual({ at: 5, values: { ram_used_pct: 0 } });
  });

  it('recording no sample gives a copy of what was there', () => {
    const samples = [{ at: 1, values: { cpu_load_pct: 1 } }];
    const next = recordSample(samples, undefined);
    expect(next).toEqual(samples);
    expect(next).not.toBe(samples);
  });
});
