// Which dynamic variables change from one cycle to the next on this machine:
// the collector sampled at a fixed interval, each value compared with the
// previous one (after quantisation and hysteresis, as the agent sends them).
import { setTimeout as sleep } from 'node:timers/promises';
import type { VariableCollector } from '../app/collect/collector.ts';

export interface ChangeRates {
  samples: number;
  /** Share of intervals in which at least one variable changed. */
  anyChanged: number;
  /** Per variable: share of intervals in which it changed. */
  byVariable: Record<string, number>;
}

export async function measureChangeRates(collector: VariableCollector, intervalMs: number, durationMs: number): Promise<ChangeRates> {
  let previous = (await collector.collectDynamic()).values;
  const changes: Record<string, number> = {};
  let intervals = 0;
  let any = 0;
  for (const end = Date.now() + durationMs; Date.now() + intervalMs <= end;) {
    await sleep(intervalMs);
    const current = (await collector.collectDynamic()).values;
    intervals += 1;
    let changed = false;
    for (const [name, value] of Object.entries(current)) {
      if (previous[name] !== value) {
        changes[name] = (changes[name] ?? 0) + 1;
        changed = true;
      }
    }
    if (changed) any += 1;
    previous = current;
  }
  const byVariable = Object.fromEntries(Object.entries(changes).map(([name, n]) => [name, n / Math.max(1, intervals)]));
  return { samples: intervals, anyChanged: intervals ? any / intervals : Number.NaN, byVariable };
}
