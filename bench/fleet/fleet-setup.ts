// What both fleet runners (real engines, pure replica) are given.
import type { EngineOptions } from '../../app/sync/engine.ts';
import type { firstCycle, nextAfter } from '../../app/sync/schedule.ts';
import type { FleetStarts } from './fleet-state.ts';

export interface FleetSetup {
  agents: number;
  seed: number;
  intervalMs: number;
  /** Engine backoff override; undefined = the engine's defaults. */
  backoff?: EngineOptions['backoff'] | undefined;
  /** Virtual time at which every agent starts. */
  start: number;
  durationMs: number;
  /** Replica only: another schedule to compare with the real one (default: app/sync/schedule.ts). */
  nextAfter?: typeof nextAfter | undefined;
  /** What each agent's state.json holds at start, and when it starts. */
  starts: FleetStarts;
  /** The server answers check_license (asked in every first cycle after a start, and daily); otherwise the port has none and no agent asks. */
  checkLicense: boolean;
  /** Replica only: another rule for the first cycle after a start (default: schedule.ts firstCycle). */
  firstCycle?: typeof firstCycle | undefined;
  product: string;
  licenseKey: string;
}
