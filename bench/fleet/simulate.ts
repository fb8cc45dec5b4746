// One fleet run: N agents (real engines or their pure replica) with idle devices,
// all talking to one in-process License API counter, on a virtual clock.
import { createFleetServer } from './fleet-server.ts';
import type { DownReply, Outage, RequestCounts } from './fleet-server.ts';
import type { FleetSetup } from './fleet-setup.ts';
import { RUNNING_FLEET, type FleetStarts } from './fleet-state.ts';
import { runEngineFleet } from './engine-fleet.ts';
import { runReplicaFleet } from './replica-fleet.ts';

export const MINUTE_MS = 60_000;
export const DAY_MS = 24 * 60 * MINUTE_MS;
/** Virtual time of every run's start (a fixed instant: 2025-01-06 00:00 UTC). */
export const FLEET_START = Date.UTC(2025, 0, 6);

export type FleetMode = 'replica' | 'engine';

export interface FleetRunOptions {
  agents: number;
  days: number;
  seed: number;
  intervalMs: number;
  /** Server down windows, from the start; none for the baseline. */
  outages: readonly Outage[];
  downReply: DownReply;
  retryAfterS?: number | undefined;
  backoff?: FleetSetup['backoff'];
  nextAfter?: FleetSetup['nextAfter'];
  mode: FleetMode;
  /** How the agents start (default: a running fleet restarted at once, all in sync). */
  starts?: FleetStarts;
  /** The server answers check_license (default false: the outage experiment leaves it out, as its figures always did). */
  checkLicense?: boolean;
  /** Replica only: another first-cycle rule (the login storm's baselines). */
  firstCycle?: FleetSetup['firstCycle'];
  /** Run length in minutes instead of days (the login storm's hour). */
  minutes?: number;
}

export interface FleetRun {
  options: FleetRunOptions;
  /** Per-minute request counts; bucket 0 is the first minute. */
  counts: RequestCounts;
  /** Finished sync cycles (with or without a request). */
  cycles: number;
  /** Wall-clock time the run took. */
  elapsedMs: number;
}

export async function runFleet(options: FleetRunOptions): Promise<FleetRun> {
  if (options.mode === 'engine' && (options.nextAfter !== undefined || options.firstCycle !== undefined)) throw new Error('engine mode runs the agent\'s own schedule only; other schedules run in the replica');
  const started = performance.now();
  const durationMs = options.minutes === undefined ? Math.round(options.days * DAY_MS) : Math.round(options.minutes * MINUTE_MS);
  const setup: FleetSetup = {
    agents: options.agents,
    seed: options.seed,
    intervalMs: options.intervalMs,
    backoff: options.backoff,
    nextAfter: options.nextAfter,
    starts: options.starts ?? RUNNING_FLEET,
    checkLicense: options.checkLicense ?? false,
    firstCycle: options.firstCycle,
    start: FLEET_START,
    durationMs,
    product: 'fleet',
    licenseKey: 'FLEET-SIM-KEY',
  };
  let server: ReturnType<typeof createFleetServer> | undefined;
  const makeServer = (now: () => number) => {
    server = createFleetServer({
      start: FLEET_START,
      agents: options.agents,
      bucketMs: MINUTE_MS,
      buckets: Math.ceil(durationMs / MINUTE_MS),
      outages: options.outages,
      downReply: options.downReply,
      retryAfterS: options.retryAfterS,
      checkLicense: options.checkLicense ?? false,
      now,
    });
    return server;
  };
  const cycles = options.mode === 'engine' ? await runEngineFleet(setup, makeServer) : runReplicaFleet(setup, makeServer);
  if (server === undefined) throw new Error('the fleet runner created no server');
  return { options, counts: server.counts, cycles, elapsedMs: performance.now() - started };
}
