// `device-agent run` as a child process against a sandbox process: after start it
// prints the last known state from state.json and when the first sync comes, and why
// — one delay class per start of the same state directory.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESTART_NOISE } from '../../app/collect/catalogue.ts';
import { cleanEnv, makeTempDir, readStateFile, removeDir, runCli, startCli, startSandboxProcess, type SandboxProcess } from './cli-harness.ts';

let dir: string;
let sandbox: SandboxProcess;

beforeAll(async () => {
  dir = await makeTempDir('first-sync');
  sandbox = await startSandboxProcess(dir);
});

afterAll(async () => {
  await sandbox?.stop();
  await removeDir(dir);
});

const env = () => cleanEnv(dir, { DEVICE_AGENT_SHARED_KEY: sandbox.config.sharedKey });
const args = (command: 'run' | 'once', stateDir: string, hardwareId: string) => {
  const { apiUrl, apiKey, product, licenseKey } = sandbox.config;
  return [command, '--api-url', apiUrl, '--api-key', apiKey, '--product', product, '--license-key', licenseKey,
    '--hardware-id', hardwareId, '--auto-activate', '--interval', '15m', '--state-dir', stateDir];
};

/** Starts `run`, waits for its first-sync line, stops it with SIGTERM; returns its stdout lines and the announced delay. */
async function runUntilAnnounced(stateDir: string, hardwareId: string, waitFor?: RegExp): Promise<{ lines: string[]; seconds: number }> {
  const cli = startCli(args('run', stateDir, hardwareId), { env: env() });
  try {
    const line = await cli.waitForLine(/^first sync in \d+ s: /, 15_000);
    if (waitFor) await cli.waitForLine(waitFor, 15_000);
    return { lines: cli.output().stdout.trim().split('\n'), seconds: Number(/^first sync in (\d+) s/.exec(line)![1]) };
  } finally {
    cli.child.kill('SIGTERM');
    const result = await cli.exited;
    expect(result.code, result.stderr).toBe(0);
  }
}

describe('run: the first sync after a start, said and timed by what state.json holds', () => {
  it('first start: starting, and the first sync within seconds (it happens)', async () => {
    const { lines, seconds } = await runUntilAnnounced(join(dir, 'fresh'), 'cli-first-fresh', /· sent \d+ · /);
    expect(lines.some((l) => l.startsWith('last known state:'))).toBe(false); // nothing is known
    expect(lines).toContain(`first sync in ${seconds} s: Nothing has been sent from this computer yet: the first sync comes within 5 s.`);
    expect(seconds).toBeLessThanOrEqual(5);
  }, 30_000);

  it('in sync, then a static fact changed while off, then values left pending, then another hardware id', async () => {
    const stateDir = join(dir, 'restarts');
    const once = await runCli(args('once', stateDir, 'cli-first-restarts'), { env: env() });
    expect(once.code, once.stderr).toBe(0);

    // In sync when it stopped: the last known state at once, and the regular splay.
    const inSync = await runUntilAnnounced(stateDir, 'cli-first-restarts');
    expect(inSync.lines).toContainEqual(expect.stringMatching(/^last known state: Synced just now — next sync in (a moment|\d+ (s|min))$/));
    expect(inSync.lines).toContain(`first sync in ${inSync.seconds} s: Everything was in sync when the agent stopped: the first sync comes at a random moment within 15 min, so that computers starting together do not reach the server at once.`);
    expect(inSync.seconds).toBeLessThan(15 * 60);

    // A static fact the server holds in another version (as after an OS update while off).
    const file = join(stateDir, 'state.json');
    const state = await readStateFile(stateDir);
    const fact = Object.keys(state.staticValues).find((name) => !RESTART_NOISE.has(name))!;
    for (const map of [state.staticValues, state.desired, state.acknowledged]) map[fact] = 'before-the-update';
    await writeFile(file, JSON.stringify(state));
    const changed = await runUntilAnnounced(stateDir, 'cli-first-restarts');
    expect(changed.lines).toContainEqual(expect.stringMatching(/^last known state: 1 value waiting — last synced (just now|\d+ min ago); next sync in (a moment|\d+ (s|min))$/));
    expect(changed.lines).toContain(`first sync in ${changed.seconds} s: A fact about this computer changed while the agent was off (${fact}): the first sync comes within 2 min.`);
    expect(changed.seconds).toBeLessThanOrEqual(120);

    // A value the server has not confirmed (the last send failed, or the agent stopped mid-request).
    const left = await readStateFile(stateDir);
    left.desired[fact] = 'not-yet-sent';
    left.acknowledged[fact] = 'before-the-update';
    await writeFile(file, JSON.stringify(left));
    const pending = await runUntilAnnounced(stateDir, 'cli-first-restarts');
    expect(pending.lines).toContain(`first sync in ${pending.seconds} s: Values were left waiting to be sent: the first sync comes within 2 min.`);
    expect(pending.seconds).toBeLessThanOrEqual(120);

    // Another hardware id (a re-imaged machine, a new hardwareIdFile): another identity, within seconds.
    const other = await runUntilAnnounced(stateDir, 'cli-first-restarts-2');
    expect(other.lines).toContain(`first sync in ${other.seconds} s: The configuration changed since the last sync (server, credentials, license or hardware id): the first sync comes within 5 s.`);
    expect(other.seconds).toBeLessThanOrEqual(5);
  }, 60_000);
});
