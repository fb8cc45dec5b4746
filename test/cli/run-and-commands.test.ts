// The long-running commands and the small ones, as child processes: `run` (through
// bin/device-agent.js, the npm bin) stopped by SIGTERM, `demo` stopped by SIGINT,
// `hwid` and `status --json`. Independent of each other, so they run concurrently.
//
// `run` keeps its random first delay (uniform in [0, interval)): a fleet that boots
// together must spread out, and `once` exists for "sync now". With the minimum
// interval of 10 s the first cycle comes within 10 s, which bounds the wait below.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import {
  asStored, cleanEnv, makeTempDir, readStateFile, removeDir, runCli, startCli, startSandboxProcess, STACK_LINE, waitForFileText,
  type SandboxProcess,
} from './cli-harness.ts';

let dir: string;
let sandbox: SandboxProcess;

beforeAll(async () => {
  dir = await makeTempDir('run');
  sandbox = await startSandboxProcess(dir);
});

afterAll(async () => {
  await sandbox?.stop();
  await removeDir(dir);
});

function runArgs(stateDir: string, hardwareId: string): string[] {
  const { apiUrl, apiKey, product, licenseKey } = sandbox.config;
  return ['run', '--api-url', apiUrl, '--api-key', apiKey, '--product', product, '--license-key', licenseKey,
    '--hardware-id', hardwareId, '--auto-activate', '--interval', '10s', '--state-dir', stateDir];
}

const env = () => cleanEnv(dir, { DEVICE_AGENT_SHARED_KEY: sandbox.config.sharedKey });
const BANNER = /^device-agent \S+ running · hardware id (\S+) · every 10 s · logs in /;
const CYCLE = /· sent (\d+) · (\d+)\/(\d+) on server/;

/** Sends `signal` and expects a clean exit 0 within `withinMs`. */
async function stopWith(cli: ReturnType<typeof startCli>, signal: NodeJS.Signals, withinMs: number) {
  const sentAt = Date.now();
  cli.child.kill(signal);
  const timer = setTimeout(() => cli.child.kill('SIGKILL'), withinMs);
  const result = await cli.exited.finally(() => clearTimeout(timer));
  expect(Date.now() - sentAt).toBeLessThan(withinMs);
  expect(result.signal, result.stderr).toBeNull();
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toContain(`${signal}: stopping`);
  expect(result.stderr).not.toMatch(STACK_LINE);
  expect(result.stdout + result.stderr).not.toContain(sandbox.config.sharedKey);
  return result;
}

describe.concurrent('device-agent commands as child processes', () => {
  it('run (via bin/device-agent.js): SIGTERM after the first cycle exits 0, lock released, state valid and acknowledged', async () => {
    const stateDir = join(dir, 'run-cycle');
    const cli = startCli(runArgs(stateDir, 'cli-run-cycle'), { env: env(), viaBin: true });
    try {
      expect(await cli.waitForLine(BANNER, 15_000)).toMatch(/hardware id cli-run-cycle /);
      expect(existsSync(join(stateDir, 'agent.lock'))).toBe(true);
      const line = await cli.waitForLine(CYCLE, 15_000);
      const [, sent, onServer, total] = CYCLE.exec(line)!;
      expect(Number(sent)).toBeGreaterThan(0);
      expect(onServer).toBe(total);
    } finally {
      await stopWith(cli, 'SIGTERM', 10_000);
    }
    expect(existsSync(join(stateDir, 'agent.lock'))).toBe(false);
    const state = await readStateFile(stateDir);
    expect(state.history.map((h) => h.outcome)).toEqual(['ok']);
    expect(state.acknowledged).toEqual(state.desired);
    expect(await sandbox.deviceVariables('cli-run-cycle')).toEqual(asStored(state.desired));
  }, 45_000);

  it('run: SIGTERM while a request is in flight abandons it, saves the state and exits 0 within 2 s (lock released, values still pending)', async () => {
    // Its own sandbox, so that the slow track below does not slow the other tests.
    const slowDir = join(dir, 'slow-sandbox');
    await mkdir(slowDir);
    const slow = await startSandboxProcess(slowDir);
    try {
      await slow.injectFaults([{ kind: 'latency', ms: 30_000, paths: ['check_license', 'activate_license', 'track_device_variables'] }]);
      const stateDir = join(dir, 'run-inflight');
      const { apiUrl, apiKey, product, licenseKey, sharedKey } = slow.config;
      const cli = startCli(['run', '--api-url', apiUrl, '--api-key', apiKey, '--product', product, '--license-key', licenseKey,
        '--hardware-id', 'cli-run-inflight', '--auto-activate', '--interval', '10s', '--log-level', 'debug', '--state-dir', stateDir],
      { env: cleanEnv(dir, { DEVICE_AGENT_SHARED_KEY: sharedKey }) });
      await cli.waitForLine(BANNER, 15_000);
      // The first cycle (after the random first delay of up to 10 s) sends: the signal lands while the reply is 30 s away.
      await waitForFileText(join(stateDir, 'logs', 'agent.log'), 'static facts collected', 15_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const signalledAt = Date.now();
      const result = await stopWith(cli, 'SIGTERM', 10_000);
      expect(Date.now() - signalledAt).toBeLessThan(2_000);
      expect(result.code).toBe(0);
      expect(result.stderr).not.toContain('again');
      expect(existsSync(join(stateDir, 'agent.lock'))).toBe(false);
      await waitForFileText(join(stateDir, 'logs', 'agent.log'), 'sync stopped before the server answered', 1_000);
      const state = await readStateFile(stateDir);
      expect(state.history).toEqual([]); // nothing happened that the history should keep
      expect(Object.keys(state.desired).length).toBeGreaterThan(0);
      expect(state.acknowledged).toEqual({}); // nothing confirmed: sent again at the next start
    } finally {
      await slow.stop();
    }
  }, 45_000);

  it('run: SIGTERM while waiting for the random first delay exits 0 at once, lock released', async () => {
    const stateDir = join(dir, 'run-early');
    const cli = startCli(runArgs(stateDir, 'cli-run-early'), { env: env() });
    await cli.waitForLine(BANNER, 15_000);
    await stopWith(cli, 'SIGTERM', 8_000);
    expect(existsSync(join(stateDir, 'agent.lock'))).toBe(false);
    // Valid if written at all. (Whether a cycle ran first depends on the random delay: not asserted.)
    if (existsSync(join(stateDir, 'state.json'))) await readStateFile(stateDir);
  }, 40_000);

  it('a second agent on the same state directory is refused (exit 3) while run holds the lock', async () => {
    const stateDir = join(dir, 'run-locked');
    const cli = startCli(runArgs(stateDir, 'cli-run-locked'), { env: env() });
    try {
      await cli.waitForLine(BANNER, 15_000);
      const second = await runCli(['once', ...runArgs(stateDir, 'cli-run-locked').slice(1)], { env: env() });
      expect(second.code).toBe(3);
      expect(second.stderr.trimEnd().split('\n')).toEqual([`device-agent: Another Device Agent (pid ${cli.child.pid}) is already using ${stateDir}. Stop it, or give this one its own --state-dir.`]);
      expect(second.stderr).not.toMatch(STACK_LINE);
    } finally {
      await stopWith(cli, 'SIGTERM', 8_000);
    }
  }, 40_000);

  it('demo prints a banner and a synced cycle line within seconds; SIGINT exits 0', async () => {
    const stateDir = join(dir, 'demo');
    const cli = startCli(['demo', '--state-dir', stateDir], { env: cleanEnv(dir) });
    try {
      expect(await cli.waitForLine(/^device-agent \S+ demo: syncing to the embedded sandbox at http:\/\/127\.0\.0\.1:\d+\//, 15_000)).toBeTruthy();
      const line = await cli.waitForLine(/· synced\s+· sent \d+ · (\d+)\/\1 on server/, 15_000);
      expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ · /);
    } finally {
      await stopWith(cli, 'SIGINT', 10_000);
    }
    expect(existsSync(join(stateDir, 'demo', 'agent.lock'))).toBe(false);
    expect((await readStateFile(join(stateDir, 'demo'))).history[0]?.outcome).toBe('ok');
  }, 40_000);

  it.skipIf(process.platform !== 'linux' || !existsSync('/etc/machine-id'))('hwid is the SHA-256 of the trimmed /etc/machine-id', async () => {
    const result = await runCli(['hwid', '--state-dir', join(dir, 'hwid')], { env: cleanEnv(dir) });
    expect(result.code).toBe(0);
    const expected = createHash('sha256').update(readFileSync('/etc/machine-id', 'utf8').trim()).digest('hex');
    expect(result.stdout.trim()).toBe(expected);
  });

  it('status --json parses on a fresh state directory and says there is no data yet', async () => {
    const stateDir = join(dir, 'status-fresh');
    const result = await runCli(['status', '--json', '--state-dir', stateDir], { env: cleanEnv(dir) });
    expect(result.code).toBe(0);
    const report = z.object({
      stateDir: z.string(), stateFile: z.string(), inSync: z.boolean(), pending: z.array(z.string()),
      variables: z.number(), recent: z.array(z.unknown()), warnings: z.array(z.string()),
    }).parse(JSON.parse(result.stdout));
    expect(report).toMatchObject({ stateDir, stateFile: join(stateDir, 'state.json'), inSync: false, pending: [], variables: 0, recent: [] });
  });
});
