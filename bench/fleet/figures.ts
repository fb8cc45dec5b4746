// The figures of a fleet simulation, from an outage run and the no-outage run
// of the same seed. Pure: counts in, numbers out.
import type { FleetRun } from './simulate.ts';
import { MINUTE_MS } from './simulate.ts';

/** Minutes after the outage over which the herd factor is measured. */
export const HERD_WINDOW_MINUTES = 5;

export const TARGETS = {
  herdFactor: 1.2,
  totalRatio: 1.05,
  requestsPerDevicePerDay: 100,
} as const;

export interface Target {
  name: string;
  value: number;
  limit: number;
  ok: boolean;
}

export interface FleetFigures {
  agents: number;
  days: number;
  /** The outage, in minutes from the start: [start, end). */
  outage: { startMinute: number; endMinute: number };
  /** Mean requests per minute of the no-outage run, from the end of the first interval (every agent has started) to the end. */
  steadyPerMinute: number;
  herd: {
    /** Requests in each minute of [outage end, outage end + 5 min), outage run. */
    perMinute: number[];
    /** The same minutes in the no-outage run. */
    baselinePerMinute: number[];
    /** max(perMinute) / steadyPerMinute. */
    factor: number;
    /** max(baselinePerMinute) / steadyPerMinute: what sampling noise alone gives. */
    baselineFactor: number;
    /**
     * 1 + max over the same minutes of (outage run − no-outage run) / steadyPerMinute: the
     * herd with the sampling noise paired away (agents the outage did not touch make the
     * same requests in both runs). Meaningful for small fleets, where the factor is noise.
     */
    pairedFactor: number;
    /** Busiest minute of the hour after the outage / steadyPerMinute, and its offset in minutes from the outage end. */
    hourPeak: { factor: number; minute: number };
  };
  totals: { outage: number; baseline: number; ratio: number };
  /** Requests that met the server down. */
  failed: number;
  perDevicePerDay: { baseline: number; outage: number; busiestDevice: number };
  /** Share of the no-outage run's sync cycles that made a request (the rest found nothing changed). */
  sendShare: number;
  targets: Target[];
}

function sum(values: ArrayLike<number>, from = 0, to = values.length): number {
  let total = 0;
  for (let i = from; i < to; i++) total += values[i]!;
  return total;
}

function max(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 0; i < values.length; i++) best = Math.max(best, values[i]!);
  return best;
}

function hourPeakOf(counts: Uint32Array, from: number, steady: number): { factor: number; minute: number } {
  const hour = Array.from(counts.subarray(from, from + 60));
  const busiest = max(hour);
  return { factor: busiest / steady, minute: hour.indexOf(busiest) };
}

export function computeFigures(outageRun: FleetRun, baselineRun: FleetRun): FleetFigures {
  const { agents, days, intervalMs } = outageRun.options;
  const outage = outageRun.options.outages[0];
  if (outage === undefined) throw new Error('the outage run has no outage');
  const startMinute = Math.floor(outage.startMs / MINUTE_MS);
  const endMinute = Math.ceil(outage.endMs / MINUTE_MS);
  const base = baselineRun.counts.requests;
  const minutes = base.length;
  const warmup = Math.ceil(intervalMs / MINUTE_MS);
  const steadyPerMinute = sum(base, warmup, minutes) / (minutes - warmup);

  const herdWindow = (counts: Uint32Array) => Array.from(counts.subarray(endMinute, endMinute + HERD_WINDOW_MINUTES));
  const perMinute = herdWindow(outageRun.counts.requests);
  const baselinePerMinute = herdWindow(base);

  const totals = { outage: sum(outageRun.counts.requests), baseline: sum(base), ratio: 0 };
  totals.ratio = totals.outage / totals.baseline;
  const perDevicePerDay = {
    baseline: totals.baseline / agents / days,
    outage: totals.outage / agents / days,
    busiestDevice: max(outageRun.counts.perAgent) / days,
  };
  /** The fleet mean, with or without the outage, whichever is higher. */
  const perDay = Math.max(perDevicePerDay.baseline, perDevicePerDay.outage);
  const herd = {
    perMinute,
    baselinePerMinute,
    factor: max(perMinute) / steadyPerMinute,
    baselineFactor: max(baselinePerMinute) / steadyPerMinute,
    pairedFactor: 1 + Math.max(...perMinute.map((v, i) => v - baselinePerMinute[i]!)) / steadyPerMinute,
    hourPeak: hourPeakOf(outageRun.counts.requests, endMinute, steadyPerMinute),
  };
  return {
    agents,
    days,
    outage: { startMinute, endMinute },
    steadyPerMinute,
    herd,
    totals,
    failed: sum(outageRun.counts.failed),
    perDevicePerDay,
    sendShare: totals.baseline / baselineRun.cycles,
    targets: [
      // Judged on the paired factor: the raw one also counts per-minute sampling noise, which at
      // an idle fleet's low request rate reaches ~1.2 with no outage at all (printed beside it).
      { name: 'herd factor', value: herd.pairedFactor, limit: TARGETS.herdFactor, ok: herd.pairedFactor <= TARGETS.herdFactor },
      { name: 'total vs no-outage', value: totals.ratio, limit: TARGETS.totalRatio, ok: totals.ratio <= TARGETS.totalRatio },
      { name: 'requests per idle device per day', value: perDay, limit: TARGETS.requestsPerDevicePerDay, ok: perDay <= TARGETS.requestsPerDevicePerDay },
    ],
  };
}
