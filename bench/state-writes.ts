// How long one save of the sync state blocks the event loop: the real store
// (conf → atomically: write temp file, fsync, rename — all synchronous) in a
// temp directory, with a state the size an agent carries (26 variables, full
// history and samples).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStateStore } from '../app/state/state-store.ts';
import { median, percentile } from './lib/stats.ts';

export function measureStateWrites(count: number): { count: number; medianMs: number; p99Ms: number; maxMs: number } {
  const dir = mkdtempSync(join(tmpdir(), 'device-agent-state-'));
  try {
    const store = openStateStore({ stateDir: dir });
    const base = store.load();
    const desired = Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`variable_${i}`, `value ${i}`]));
    const times: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const state = { ...base, desired: { ...desired, cycle: i }, acknowledged: desired, lastAttemptAt: Date.now() };
      const t0 = performance.now();
      store.save(state);
      times.push(performance.now() - t0);
    }
    return { count, medianMs: median(times), p99Ms: percentile(times, 99), maxMs: Math.max(...times) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
