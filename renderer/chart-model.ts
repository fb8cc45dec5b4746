// The 24-hour chart's geometry: metric polylines and sync-outcome marks,
// computed from the status history without touching the DOM (words: chart.ts).
import type { MetricSample, SyncHistoryEntry } from '../app/agent-api.ts';

/** Sized for the compact window's content column (about 368 px). */
export const CHART = { width: 360, height: 128, padLeft: 40, padRight: 6, padTop: 8, plotHeight: 80, marksY: 104 } as const;
export const DAY_MS = 24 * 3_600_000;
export const CHART_METRICS = ['cpu_load_pct', 'ram_used_pct'] as const;

export interface ChartMark { x: number; outcome: SyncHistoryEntry['outcome']; at: number }
export interface ChartModel {
  lines: { metric: string; points: string; count: number }[];
  marks: ChartMark[];
  /** Syncs that sent (or had nothing to send), syncs that failed, and metric samples in the window. */
  counts: { ok: number; failed: number; samples: number };
  /** Nothing at all in the last 24 h: the chart says so instead of showing empty axes. */
  empty: boolean;
  /** Too few samples for a line yet (a first day): the chart says it fills in rather than show a lone dot unexplained. */
  sparse: boolean;
}

/** Below this many samples in the window a metric is a few dots, not a line. */
const SPARSE_BELOW = 3;

export function xFor(at: number, now: number): number {
  const { width, padLeft, padRight } = CHART;
  const t = Math.min(1, Math.max(0, (at - (now - DAY_MS)) / DAY_MS));
  return round(padLeft + t * (width - padLeft - padRight));
}

/** y for a percentage 0..100 (clamped). */
export function yFor(pct: number): number {
  const clamped = Math.min(100, Math.max(0, pct));
  return round(CHART.padTop + (1 - clamped / 100) * CHART.plotHeight);
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

export function chartModel(history: readonly SyncHistoryEntry[], samples: readonly MetricSample[], now: number): ChartModel {
  const since = now - DAY_MS;
  const recentSamples = samples.filter((s) => s.at >= since && s.at <= now).sort((a, b) => a.at - b.at);
  const lines = CHART_METRICS.map((metric) => {
    const pts = recentSamples
      .filter((s) => typeof s.values[metric] === 'number' && Number.isFinite(s.values[metric]))
      .map((s) => `${xFor(s.at, now)},${yFor(s.values[metric] as number)}`);
    return { metric, points: pts.join(' '), count: pts.length };
  });
  const marks = history.filter((e) => e.at >= since && e.at <= now).map((e) => ({ x: xFor(e.at, now), outcome: e.outcome, at: e.at }));
  const failed = marks.filter((m) => m.outcome === 'error').length;
  const counts = { ok: marks.length - failed, failed, samples: recentSamples.length };
  const empty = marks.length === 0 && recentSamples.length === 0;
  return { lines, marks, counts, empty, sparse: !empty && recentSamples.length < SPARSE_BELOW };
}
