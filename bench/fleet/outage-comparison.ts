// The bench's experiment: the same fleet (same seed) without an outage and with
// one, under the agent's schedule and, for comparison, under the fast-retry
// baseline it replaced.
import { fastRetryNextAfter } from './fast-retry-schedule.ts';
import { computeFigures } from './figures.ts';
import type { FleetFigures } from './figures.ts';
import type { DownReply } from './fleet-server.ts';
import { MINUTE_MS, runFleet } from './simulate.ts';
import type { FleetMode, FleetRun, FleetRunOptions } from './simulate.ts';

/** current: app/sync/schedule.ts as it is; fast-retry: the policy it replaced (bench/fleet/fast-retry-schedule.ts). */
export type ScheduleChoice = 'current' | 'fast-retry';

/** The schedule whose figures decide the verdict; the others are shown for comparison. */
export const JUDGED_SCHEDULE: ScheduleChoice = 'current';

export interface OutageComparisonOptions {
  agents: number;
  days: number;
  seed: number;
  intervalMinutes: number;
  outageStartMinutes: number;
  outageMinutes: number;
  downReply: DownReply;
  retryAfterS?: number | undefined;
  mode: FleetMode;
  schedules: readonly ScheduleChoice[];
  backoff?: FleetRunOptions['backoff'];
}

export interface ScheduleResult {
  schedule: ScheduleChoice;
  figures: FleetFigures;
  outageRun: FleetRun;
}

export interface OutageComparison {
  baselineRun: FleetRun;
  results: ScheduleResult[];
}

export async function runOutageComparison(o: OutageComparisonOptions): Promise<OutageComparison> {
  const common = {
    agents: o.agents,
    days: o.days,
    seed: o.seed,
    intervalMs: Math.round(o.intervalMinutes * MINUTE_MS),
    downReply: o.downReply,
    retryAfterS: o.retryAfterS,
    mode: o.mode,
    backoff: o.backoff,
  };
  const startMs = Math.round(o.outageStartMinutes * MINUTE_MS);
  const outage = { startMs, endMs: startMs + Math.round(o.outageMinutes * MINUTE_MS) };
  // Without an outage no retry happens, so one baseline serves every schedule.
  const baselineRun = await runFleet({ ...common, outages: [] });
  const results: ScheduleResult[] = [];
  for (const schedule of o.schedules) {
    const outageRun = await runFleet({ ...common, outages: [outage], ...(schedule === 'fast-retry' ? { nextAfter: fastRetryNextAfter } : {}) });
    results.push({ schedule, figures: computeFigures(outageRun, baselineRun), outageRun });
  }
  return { baselineRun, results };
}

export interface Verdict {
  /** The judged schedule's result; undefined when it was not simulated. */
  judged: ScheduleResult | undefined;
  /** 0 every target met (or nothing judged), 1 a target missed. */
  exitCode: 0 | 1;
}

/** The bench's verdict: the agent's own schedule meets every target or not; baselines never count. */
export function verdictOf(comparison: OutageComparison): Verdict {
  const judged = comparison.results.find((r) => r.schedule === JUDGED_SCHEDULE);
  return { judged, exitCode: judged === undefined || judged.figures.targets.every((t) => t.ok) ? 0 : 1 };
}
