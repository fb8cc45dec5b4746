// Bounded history for the status chart: the last 24 h, at most N entries. Pure.
import type { MetricSample, SyncHistoryEntry } from '../agent-api.ts';
import type { VariableMap } from '../variables.ts';

export const HISTORY_WINDOW_MS = 24 * 60 * 60_000;
export const MAX_HISTORY = 200;
export const MAX_SAMPLES = 100;
/** Dynamic metrics kept as samples for the chart. */
export const SAMPLED_METRICS = ['cpu_load_pct', 'ram_used_pct'] as const;

/** `list` + `entry`, dropping entries older than the window (or from the future) and the oldest beyond `max`. */
export function appendBounded<T extends { at: number }>(list: readonly T[], entry: T, now: number, max: number, windowMs = HISTORY_WINDOW_MS): T[] {
  const kept = list.filter((e) => e.at > now - windowMs && e.at <= now);
  kept.push(entry);
  return kept.length > max ? kept.slice(kept.length - max) : kept;
}

export function recordOutcome(history: readonly SyncHistoryEntry[], entry: SyncHistoryEntry): SyncHistoryEntry[] {
  return appendBounded(history, entry, entry.at, MAX_HISTORY);
}

/** A sample of the chart metrics found (as numbers) in `values`; undefined when none is present. */
export function sampleOf(values: VariableMap, at: number): MetricSample | undefined {
  const picked: Record<string, number> = {};
  for (const name of SAMPLED_METRICS) {
    const v = values[name];
    if (typeof v === 'number' && Number.isFinite(v)) picked[name] = v;
  }
  return Object.keys(picked).length > 0 ? { at, values: picked } : undefined;
}

export function recordSample(samples: readonly MetricSample[], sample: MetricSample | undefined): MetricSample[] {
  return sample === undefined ? [...samples] : appendBounded(samples, sample, sample.at, MAX_SAMPLES);
}
