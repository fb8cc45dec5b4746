// The 24-hour chart's geometry: metric polylines and sync-outcome marks,
// computed from the status history without touching the DOM.
import type { MetricSample, SyncHistoryEntry } from '../app/agent-api.ts';

export const CHART = { width: 640, height: 180, padLeft: 36, padRight: 8, padTop: 10, plotHeight: 130, marksY: 160 } as const;
export const DAY_MS = 24 * 3_600_000;
export const CHART_METRICS = ['cpu_load_pct', 'ram_used_pct'] as const;

export interface ChartMark { x: number; outcome: SyncHistoryEntry['outcome']; at: number }
export interface ChartModel {
  lines: { metric: string; points: string; count: number }[];
  marks: ChartMark[];
  summary: string;
}

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
  const ok = marks.filter((m) => m.outcome === 'ok').length;
  const failed = marks.filter((m) => m.outcome === 'error').length;
  const summary = `Last 24 hours: ${ok} successful sync${ok === 1 ? '' : 's'}, ${failed} failed, ${recentSamples.length} metric sample${recentSamples.length === 1 ? '' : 's'}.`;
  return { lines, marks, summary };
}
