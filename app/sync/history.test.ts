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
