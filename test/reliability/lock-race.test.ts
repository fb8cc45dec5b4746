// The state-directory lock under a race: many agents starting at the same instant over
// a stale lock. Before the lock was exclusive by construction, 2-4 of 16 such starters
// held it together (each renamed away "the stale lock", which by then was another's live
// one). Here: 16 processes, 50 rounds, every kind of stale lock; exactly one holder per
// round. Then real `device-agent once` processes against the sandbox: exactly one syncs.
// (test/soak/lock-race.soak.test.ts runs more contenders for more rounds.)
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLicenseApiClient } from '../../app/licenseapi/client.ts';
import { LOCK_FILE_NAME } from '../../app/state/lock.ts';
import { startSandbox } from '../../sandbox/server.ts';
import type { Sandbox } from '../../sandbox/server.ts';
import { runAgentCli, sandboxEnv } from './harness.ts';
import { deadPid, entries, plantStaleLock, STALE_KINDS, startContenders, tempLockDir } from './lock-race-harness.ts';
import type { Contenders } from './lock-race-harness.ts';

const CONTENDERS = 16;
const ROUNDS = 50;

describe('the lock under a race of starters', () => {
  let contenders: Contenders;
  beforeAll(async () => {
    contenders = await startContenders(CONTENDERS);
  }, 60_000);
  afterAll(async () => {
    await contenders?.close();
  });

  it(`${CONTENDERS} starters at the same instant over a stale lock, ${ROUNDS} rounds: exactly one holds it each round`, async () => {
    const dir = await tempLockDir();
    const dead = await deadPid();
    const holdersPerRound: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const kind = STALE_KINDS[round % STALE_KINDS.length]!;
      await plantStaleLock(dir, kind, dead, process.pid);
      const results = await contenders.race(dir);
      const holders = results.filter((r) => r.held);
      holdersPerRound.push(holders.length);
      // Everyone else was refused as "another agent is using it", nothing else.
      expect(results.filter((r) => !r.held && !r.refused), `round ${round} (${kind})`).toEqual([]);
      expect(await entries(dir), `round ${round} (${kind})`).toEqual([LOCK_FILE_NAME]);
      await contenders.release();
      expect(await entries(dir), `after round ${round}`).toEqual([]);
    }
    expect(holdersPerRound).toEqual(Array(ROUNDS).fill(1));
  }, 120_000);
});

describe('real agents over a stale lock', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('8 `device-agent once` started together: exactly one sends the values, the others are kept out (exit 3) or find nothing left to send', async () => {
    const home = await mkdtemp(join(tmpdir(), 'da-lock-race-cli-'));
    const stateDir = join(home, 'state');
    const hardwareId = `race-${Date.now()}`;
    const { demo } = sandbox;
    // Activated beforehand, so a sync is exactly one track_device_variables request.
    await createLicenseApiClient({ apiUrl: sandbox.url, auth: { kind: 'hmac', apiKey: demo.apiKey, sharedKey: demo.sharedKey } })
      .activateLicense({ product: demo.product, licenseKey: demo.licenseKey, hardwareId });
    const publicKey = join(home, 'sandbox.pem');
    await writeFile(publicKey, demo.publicKeyPem);
    await plantStaleLock(stateDir, 'dead pid', await deadPid(), process.pid);
    sandbox.admin.resetRequestLog();
    // A slow reply keeps the winner inside its sync while the others start.
    sandbox.faults.inject({ kind: 'latency', ms: 1_500, paths: ['track_device_variables'] });
    const env = sandboxEnv(sandbox, stateDir, home, { DEVICE_AGENT_HARDWARE_ID: hardwareId, DEVICE_AGENT_PUBLIC_KEY: publicKey, DEVICE_AGENT_AUTO_ACTIVATE: 'false' });
    const runs = Array.from({ length: 8 }, () => runAgentCli(['once'], env, { timeoutMs: 45_000 }));
    const results = await Promise.all(runs);
    sandbox.faults.clear();
    const sent = results.filter((r) => r.code === 0 && /\((\d+) sent this time\)/.exec(r.stdout)?.[1] !== '0');
    const idle = results.filter((r) => r.code === 0 && r.stdout.includes('(0 sent this time)'));
    const refused = results.filter((r) => r.code === 3);
    expect(sent, JSON.stringify(results, null, 1)).toHaveLength(1);
    expect(sent.length + idle.length + refused.length, JSON.stringify(results, null, 1)).toBe(8);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect(r.stderr).toMatch(/^device-agent: Another Device Agent \(pid \d+\) is already using /);
    const tracks = sandbox.admin.requests().filter((r) => r.endpoint === 'track_device_variables');
    expect(tracks).toHaveLength(1);
    expect(await entries(stateDir)).not.toContain(LOCK_FILE_NAME); // released by whoever held it
  }, 60_000);
});
