// The login storm: a fleet whose agents all start within the same minute, each
// from the state.json its last run left (fleet-state.ts), under the agent's rule for
// the first cycle after a start (schedule.ts firstCycle) and two baselines from the
// same run: every start waiting the regular splay (the rule before issue 19) and
// every start syncing within seconds (what "sync at start" without classes does).
// The goal is judged on the agent's rule against the regular-splay baseline.
import { firstDelay, SOON_SPLAY_MS } from '../../app/sync/schedule.ts';
import type { firstCycle } from '../../app/sync/schedule.ts';
import { START_KINDS, START_MIXES, startKindOf, startOffsetOf, type StartKind, type StartMixName } from './fleet-state.ts';
import { MINUTE_MS, runFleet, type FleetMode, type FleetRun } from './simulate.ts';

/** current: the agent's rule; before: the regular splay for every start; at-once: within seconds for every start. */
export type StormSchedule = 'current' | 'before' | 'at-once';

/** The rule before issue 19: every start waits a random part of the interval, whatever its state says. */
const regularForAll: typeof firstCycle = (_facts, splay, random) => ({ kind: 'regular', reason: 'drift', delayMs: firstDelay(splay.intervalMs, random) });
/** No classes: every start syncs within seconds. */
const atOnceForAll: typeof firstCycle = (_facts, _splay, random) => ({ kind: 'soon', reason: 'first-start', delayMs: Math.floor(random() * SOON_SPLAY_MS) });

const RULES: Record<StormSchedule, typeof firstCycle | undefined> = { current: undefined, before: regularForAll, 'at-once': atOnceForAll };

/**
 * The goal: the storm's busiest minute under the agent's rule is at most this many times
 * the busiest minute of the same fleet, same run, when every start waits the regular
 * splay (what the License API already absorbed after every login wave before the rule
 * changed). See docs/fleet.md for why 2.
 */
export const STORM_GOAL = 2;
/** The mix the goal is set for; other mixes are shown, not judged. */
export const JUDGED_MIX: StartMixName = 'ordinary';

/** Minutes shown minute by minute. */
export const STORM_SHOWN_MINUTES = 20;

export interface LoginStormOptions {
  agents: number;
  seed: number;
  intervalMinutes: number;
  mix: StartMixName;
  /** Starts fall uniformly in this window (default 1 min: "the same minute"). */
  windowMinutes?: number;
  /** How long the agents were off (default 14 h: the evening before). */
  offHours?: number;
  /** Simulated time (default 60 min). */
  minutes?: number;
  mode: FleetMode;
  schedules: readonly StormSchedule[];
}

export interface FirstSyncSpread { agents: number; medianMs: number; maxMs: number }

export interface StormFigures {
  schedule: StormSchedule;
  perMinute: number[];
  busiest: { requests: number; minute: number };
  total: number;
  licenseChecks: number;
  /** From each agent's start to its first request (the first cycle's check_license), per kind of state. */
  firstSync: Record<StartKind, FirstSyncSpread>;
}

export interface LoginStorm {
  options: Required<LoginStormOptions>;
  kinds: Record<StartKind, number>;
  results: Array<{ schedule: StormSchedule; figures: StormFigures; run: FleetRun }>;
  /** current's busiest minute / before's; undefined unless both ran. */
  ratio: number | undefined;
  judged: boolean;
  goalMet: boolean | undefined;
}

function median(sorted: readonly number[]): number {
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function stormFigures(schedule: StormSchedule, run: FleetRun, o: Required<LoginStormOptions>): StormFigures {
  const { requests, firstAt, licenseChecks } = run.counts;
  let busiest = { requests: 0, minute: 0 };
  requests.forEach((n, minute) => { if (n > busiest.requests) busiest = { requests: n, minute }; });
  const delays = Object.fromEntries(START_KINDS.map((k) => [k, [] as number[]])) as Record<StartKind, number[]>;
  for (let agent = 0; agent < o.agents; agent++) {
    const kind = startKindOf(o.seed, agent, START_MIXES[o.mix]);
    const at = firstAt[agent]!;
    if (!Number.isNaN(at)) delays[kind].push(at - startOffsetOf(o.seed, agent, o.windowMinutes * MINUTE_MS));
  }
  const firstSync = Object.fromEntries(START_KINDS.map((k) => {
    const sorted = delays[k].sort((a, b) => a - b);
    return [k, { agents: sorted.length, medianMs: median(sorted), maxMs: sorted.at(-1) ?? Number.NaN }];
  })) as Record<StartKind, FirstSyncSpread>;
  return {
    schedule,
    perMinute: Array.from(requests.subarray(0, STORM_SHOWN_MINUTES)),
    busiest,
    total: requests.reduce((a, b) => a + b, 0),
    licenseChecks,
    firstSync,
  };
}

export async function runLoginStorm(options: LoginStormOptions): Promise<LoginStorm> {
  const o: Required<LoginStormOptions> = { windowMinutes: 1, offHours: 14, minutes: 60, ...options };
  const starts = { mix: START_MIXES[o.mix], windowMs: o.windowMinutes * MINUTE_MS, offMs: o.offHours * 60 * MINUTE_MS };
  const results: LoginStorm['results'] = [];
  for (const schedule of o.schedules) {
    const rule = RULES[schedule];
    const run = await runFleet({
      agents: o.agents, days: 0, minutes: o.minutes, seed: o.seed, intervalMs: o.intervalMinutes * MINUTE_MS,
      outages: [], downReply: 'refused', mode: o.mode, starts, checkLicense: true, ...(rule ? { firstCycle: rule } : {}),
    });
    results.push({ schedule, figures: stormFigures(schedule, run, o), run });
  }
  const kinds = Object.fromEntries(START_KINDS.map((k) => [k, 0])) as Record<StartKind, number>;
  for (let agent = 0; agent < o.agents; agent++) kinds[startKindOf(o.seed, agent, starts.mix)]++;
  const current = results.find((r) => r.schedule === 'current')?.figures;
  const before = results.find((r) => r.schedule === 'before')?.figures;
  const ratio = current && before ? current.busiest.requests / before.busiest.requests : undefined;
  const judged = ratio !== undefined && o.mix === JUDGED_MIX;
  return { options: o, kinds, results, ratio, judged, goalMet: judged ? ratio <= STORM_GOAL : undefined };
}
