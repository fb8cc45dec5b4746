// What both fleet runners (real engines, pure replica) are given.
import type { EngineOptions } from '../../app/sync/engine.ts';

export interface FleetSetup {
  agents: number;
  seed: number;
  intervalMs: number;
  /** Engine backoff override; undefined = the engine's defaults. */
  backoff?: EngineOptions['backoff'] | undefined;
  /** Virtual time at which every agent starts. */
  start: number;
  durationMs: number;
  product: string;
  licenseKey: string;
}
