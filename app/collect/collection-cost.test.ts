// The dynamic cycle's budget, measured for real: no process spawned on Linux
// (counted at the binding every child_process function ends in), a few
// milliseconds of wall time and CPU. The figures are printed for the record.
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { measureCollection } from '../../test/support/measure-collection.ts';
import { startSpawnCounter } from '../../test/support/spawn-counter.ts';

describe('spawn counter', () => {
  it('sees async and sync spawns, even through references taken before it started', async () => {
    const { execFileSync } = await import('node:child_process');
    const counter = startSpawnCounter();
    try {
      await new Promise((resolve) => execFile(process.execPath, ['-e', '0'], resolve));
      execFileSync(process.execPath, ['-e', '0']);
      expect(counter.count()).toBe(2);
      expect(counter.commands()).toEqual([process.execPath, process.execPath]);
    } finally {
      counter.stop();
    }
  });
});

describe('collection cost', () => {
  it.runIf(process.platform === 'linux')('a dynamic cycle spawns no process and stays far below a frame of event-loop time', async () => {
    const cost = await measureCollection(30);
    console.log(`[collection-cost] static once: ${cost.static.wallMs.toFixed(1)} ms wall, ${cost.static.cpuMs.toFixed(1)} ms CPU, event-loop delay max ${cost.static.maxEventLoopDelayMs.toFixed(1)} ms; `
      + `dynamic median of ${cost.dynamic.cycles}: ${cost.dynamic.medianWallMs.toFixed(2)} ms wall, ${cost.dynamic.medianCpuMs.toFixed(2)} ms CPU, ${cost.dynamic.spawned} processes`);
    expect(cost.dynamic.spawned).toBe(0);
    expect(cost.dynamic.failures).toBe(0);
    expect(cost.dynamic.variables).toBeGreaterThanOrEqual(5); // load, memory x2, disk x2 (+ battery where there is one)
    // Generous bounds for a loaded CI machine; measured ~0.4 ms here.
    expect(cost.dynamic.medianWallMs).toBeLessThan(20);
    expect(cost.dynamic.medianCpuMs).toBeLessThan(20);
    // The static set's blocking systeminformation calls and the first use of Intl run in ONE
    // short-lived node process (si-worker.ts: the tasks asked for together share it): the event loop
    // stays free and their memory leaves with it. Its own children (hostname, dmidecode…) are not counted.
    expect(cost.static.failures).toBe(0);
    expect(cost.static.spawned).toBe(1);
    // In-thread it blocked ~90 ms here (execSync of hostname -f, dmesg); in the helper ~5 ms. That
    // figure is printed above, not asserted: on a loaded machine the event loop's delay is the
    // machine's (78 ms once with three other suites running), while the design's point — the
    // blocking calls run in another process — is what `spawned` checks.
  });
});
