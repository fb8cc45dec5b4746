// What one save of the sync state costs: the real store in a temp directory, with a
// state the size an agent carries (26 variables, full history and samples). save()
// only serializes on the event loop (blockMs); the write itself — temp file, fsync,
// rename through fs.promises — runs off it (writeMs: until flush() resolves).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStateStore } from '../app/state/state-store.ts';
import { median, percentile } from './lib/stats.ts';

export interface StateWriteFigures {
  count: number;
  /** Time save() holds the event loop. */
  medianMs: number;
  p99Ms: number;
  maxMs: number;
  /** Time until the write is on disk (off the loop). */
  writeMedianMs: number;
  writeP99Ms: number;
}

export async function measureStateWrites(count: number): Promise<StateWriteFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'device-agent-state-'));
  try {
    const store = openStateStore({ stateDir: dir });
    const base = store.load();
    const desired = Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`variable_${i}`, `value ${i}`]));
    const blocked: number[] = [];
    const written: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const state = { ...base, desired: { ...desired, cycle: i }, acknowledged: desired, lastAttemptAt: Date.now() };
      const t0 = performance.now();
      store.save(state);
      blocked.push(performance.now() - t0);
      await store.flush?.();
      written.push(performance.now() - t0);
    }
    return {
      count, medianMs: median(blocked), p99Ms: percentile(blocked, 99), maxMs: Math.max(...blocked),
      writeMedianMs: median(written), writeP99Ms: percentile(written, 99),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
