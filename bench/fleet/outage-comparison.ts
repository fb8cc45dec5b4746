// The bench's experiment: the same fleet (same seed) with a server outage and
// without one, and the figures that compare them.
import { computeFigures } from './figures.ts';
import type { FleetFigures } from './figures.ts';
import type { DownReply } from './fleet-server.ts';
import { MINUTE_MS, runFleet } from './simulate.ts';
import type { FleetMode, FleetRun, FleetRunOptions } from './simulate.ts';

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
  backoff?: FleetRunOptions['backoff'];
}

export interface OutageComparison {
  figures: FleetFigures;
  outageRun: FleetRun;
  baselineRun: FleetRun;
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
  const outageRun = await runFleet({ ...common, outages: [{ startMs, endMs: startMs + Math.round(o.outageMinutes * MINUTE_MS) }] });
  const baselineRun = await runFleet({ ...common, outages: [] });
  return { figures: computeFigures(outageRun, baselineRun), outageRun, baselineRun };
}
