// The soak child end to end: the real agent against the sandbox process, with
// the proxy's byte counts and the sandbox's request counts cross-checked.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { requestsBetween, startSandboxProcess } from '../../bench/lib/sandbox-process.ts';

const SOAK = fileURLToPath(new URL('../../bench/agent-soak.ts', import.meta.url));

describe('bench/agent-soak.ts', () => {
  it.runIf(process.platform === 'linux')('runs the agent against the sandbox process and reports what the wire and the sandbox saw', async () => {
    const sandbox = await startSandboxProcess();
    try {
      const before = await sandbox.stats();
      const child = spawn(process.execPath, ['--expose-gc', SOAK, '120'], { env: { ...process.env, BENCH_SANDBOX: JSON.stringify(sandbox.settings) }, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (t: string) => { out += t; });
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
      const result = JSON.parse(out.trim()) as {
        failures: number; staticCollections: number; sendCycles: number; requests: number;
        requestBytesUp: number; requestBytesDown: number; heapAtEndMb: number; firstCycle: { ok: boolean };
      };
      const after = await sandbox.stats();
      expect(result.failures).toBe(0);
      expect(result.staticCollections).toBe(1);
      expect(result.firstCycle.ok).toBe(true);
      // bench_cycle changes on odd cycles: at least 60 of 120 cycles send.
      expect(result.sendCycles).toBeGreaterThanOrEqual(60);
      // First cycle: a refused track (device not yet active) then an activation; then one track per sending cycle.
      expect(requestsBetween(after, before)).toBe(2 + result.sendCycles);
      expect(result.requests).toBeGreaterThanOrEqual(10);
      expect(result.requestBytesUp).toBeGreaterThan(200);
      expect(result.requestBytesDown).toBeGreaterThan(200);
      expect(after.up - before.up).toBeGreaterThan(result.requestBytesUp * result.requests);
      expect(result.heapAtEndMb).toBeGreaterThan(0);
    } finally {
      await sandbox.close();
    }
  });
});
