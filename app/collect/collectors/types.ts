// What every collector is: a named function over one source that produces a
// few catalogue variables. Failures throw; the collector runner turns them into
// a `failures` entry so one broken source never fails the cycle.
import type { Refresh } from '../catalogue.ts';
import type { VariableValue } from '../../variables.ts';

/** A collector's raw output: undefined means "not available here" (no battery, ...). */
export type RawValues = Record<string, VariableValue | undefined>;

export interface Collector {
  /** Shown in failures: "memory", "os-info", ... */
  name: string;
  /** When it runs on this platform (battery is dynamic on Linux, static where reading it spawns a process). */
  refresh: Refresh;
  /** The catalogue variables it can produce; it runs only when one of them is enabled. */
  produces: readonly string[];
  /** A floor for its timeout (systeminformation on Windows runs PowerShell, which takes seconds). */
  minTimeoutMs?: number;
  /** `signal` aborts when the collector's timeout expires: stop the work if you can. */
  collect(signal?: AbortSignal): Promise<RawValues>;
}
