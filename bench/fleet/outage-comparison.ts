// The bench's experiment: the same fleet (same seed) without an outage and with
// one, under the agent's schedule and, optionally, under the candidate schedule.
import { candidateNextAfter } from './candidate-schedule.ts';
import { computeFigures } from './figures.ts';
import type { FleetFigures } from './figures.ts';
import type { DownReply } from './fleet-server.ts';
import { MINUTE_MS, runFleet } from './simulate.ts';
import type { FleetMode, FleetRun, FleetRunOptions } from './simulate.ts';

/** current: app/sync/schedule.ts as it is; candidate: bench/fleet/candidate-schedule.ts. */
export type ScheduleChoice = 'current' | 'candidate';

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
    const outageRun = await runFleet({ ...common, outages: [outage], ...(schedule === 'candidate' ? { nextAfter: candidateNextAfter } : {}) });
    results.push({ schedule, figures: computeFigures(outageRun, baselineRun), outageRun });
  }
  return { baselineRun, results };
}
