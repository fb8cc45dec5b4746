// What both fleet runners (real engines, pure replica) are given.
import type { EngineOptions } from '../../app/sync/engine.ts';
import type { nextAfter } from '../../app/sync/schedule.ts';

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
  product: string;
  licenseKey: string;
}
