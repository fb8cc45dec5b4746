// What a cycle's interpreter (cycle.ts) needs of the engine: the one Model, read and
// written through the host (cycleStep() returns each new one), the ports, and the abort of
// stop().
import type { Logger } from '../log/logger.ts';
import type { Model } from './engine-model.ts';
import type { CallOptions, Clock, CollectorPort, LicenseApiPort } from './ports.ts';

/** What the cycle needs of the engine: its model (read and written in place), its ports, and the abort of stop(). */
export interface CycleHost {
  model(): Model;
  update(change: (model: Model) => Model): void;
  client(): LicenseApiPort;
  collector(): CollectorPort;
  clock: Clock;
  log: Logger;
  /** Per-call options of this cycle: stop() aborts its requests. */
  callOptions(): CallOptions;
  /** stop() aborted this cycle's request. */
  cancelling(): boolean;
}
