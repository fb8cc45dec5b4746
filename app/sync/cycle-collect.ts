// The cycle's collection: the static facts when due (at start, then once a period), the
// dynamic metrics every cycle, and the failures of both for the status.
import type { CollectorFailure } from '../agent-api.ts';
import type { VariableMap } from '../variables.ts';
import type { CycleHost } from './cycle-host.ts';
import { patch } from './cycle-host.ts';
import { afterStaticCollect } from './cycle-transitions.ts';
import { DAY_MS } from './engine-options.ts';
import type { CollectionResult } from './ports.ts';
import { isRefreshDue } from './refresh-due.ts';

/** The desired values of this cycle; every collector failure (and those of start()'s static collection) goes into `failures`. */
export async function collectDesired(host: CycleHost, failures: CollectorFailure[], now: number): Promise<VariableMap> {
  const note = (result: CollectionResult) => {
    for (const f of result.failures) failures.push({ collector: f.collector, message: f.message, at: now });
  };
  failures.push(...host.model().startFailures);
  patch(host, { startFailures: [] });
  const m = host.model();
  if (isRefreshDue({ forced: m.staticDue, lastAt: m.state.lastStaticAt, now, everyMs: m.options.staticRefreshMs ?? DAY_MS })) {
    try {
      const result = await host.collector().collectStatic();
      note(result);
      host.update((m) => afterStaticCollect(m, result.values, now));
      host.log.debug('static facts collected', { count: Object.keys(result.values).length, durationMs: result.durationMs });
    } catch (error) {
      failures.push({ collector: 'static', message: error instanceof Error ? error.message : String(error), at: now });
    }
  }
  try {
    const result = await host.collector().collectDynamic();
    note(result);
    return { ...host.model().state.staticValues, ...result.values };
  } catch (error) {
    failures.push({ collector: 'dynamic', message: error instanceof Error ? error.message : String(error), at: now });
    // Keep the last known dynamic values rather than dropping them from the desired set.
    const { state } = host.model();
    return { ...state.desired, ...state.staticValues };
  }
}
