// bench/fleet's login storm: the replica equals real engines when agents start from
// mixed states within a minute and ask check_license (through an outage too); the
// agent's rule meets the goal while each kind of state gets its first sync in its
// class's time; a rule that syncs every start at once is caught; the command line
// prints the figure and judges it.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PATCH_DAY, persistedState, startKindOf } from '../../bench/fleet/fleet-state.ts';
import { createIdleDevice, idleDeviceModel } from '../../bench/fleet/idle-device.ts';
import { runLoginStorm, STORM_GOAL, type LoginStorm } from '../../bench/fleet/login-storm.ts';
import { parseFleetArgs } from '../../bench/fleet/options.ts';
import { runFleet, type FleetRunOptions } from '../../bench/fleet/simulate.ts';
import { firstCycleClass, startFacts } from '../../app/sync/schedule.ts';
import { identityHash } from '../../app/sync/engine.ts';
import { RESTART_NOISE } from '../../app/collect/catalogue.ts';

const MIN = 60_000;
const total = (counts: Uint32Array) => counts.reduce((a, b) => a + b, 0);

describe('the login storm\'s fleet', () => {
  const mix = { 'in-sync': 0.55, 'static-changed': 0.2, pending: 0.15, 'first-start': 0.1 };
  const storm: FleetRunOptions = {
    agents: 200, days: 0, minutes: 180, seed: 11, intervalMs: 15 * MIN, outages: [], downReply: 'refused', mode: 'replica',
    starts: { mix, windowMs: MIN, offMs: 14 * 60 * MIN }, checkLicense: true,
  };

  it('the replica makes exactly the requests real engines make: mixed states, starts within a minute, check_license', async () => {
    const replica = await runFleet(storm);
    const engines = await runFleet({ ...storm, mode: 'engine' });
    expect(replica.counts.licenseChecks).toBeGreaterThanOrEqual(200); // one per start at least
    expect(replica.counts.digest).toBe(engines.counts.digest);
    expect(replica.cycles).toBe(engines.cycles);
    expect(replica.counts.licenseChecks).toBe(engines.counts.licenseChecks);
    expect(Array.from(replica.counts.firstAt)).toEqual(Array.from(engines.counts.firstAt));
  });

  it('…and through an outage in the storm (failed checks are asked again; a failed check with nothing to send is a success)', async () => {
    const down: FleetRunOptions = { ...storm, outages: [{ startMs: MIN, endMs: 6 * MIN }] };
    const replica = await runFleet(down);
    expect(total(replica.counts.failed)).toBeGreaterThan(20);
    expect(replica.counts.digest).toBe((await runFleet({ ...down, mode: 'engine' })).counts.digest);
  });

  it('starts each agent from the state its kind says, as the pure core classifies it', () => {
    const identity = { product: 'fleet', hardwareId: 'fleet-agent-3', licenseKey: 'K' };
    const hash = identityHash(identity, 'in-process');
    const reasons = (['in-sync', 'static-changed', 'pending', 'first-start'] as const).map((kind) => {
      const state = persistedState({ seed: 1, agent: 3, kind, identity, start: Date.UTC(2025, 0, 6), offMs: 14 * 60 * MIN });
      const staticNow = createIdleDevice(idleDeviceModel(1, 3, Date.UTC(2025, 0, 6))).staticValues(); // what the start collects
      return firstCycleClass(startFacts(state, { identityHash: hash, startImmediately: false, noise: RESTART_NOISE, staticNow })).reason;
    });
    expect(reasons).toEqual(['drift', 'static-changed', 'pending', 'first-start']);
    const kinds = Array.from({ length: 10_000 }, (_, agent) => startKindOf(1, agent, PATCH_DAY));
    expect(kinds.filter((k) => k === 'in-sync')).toHaveLength(0);
  });
});

describe('login storm figures (2 000 agents, ordinary morning)', () => {
  let result: Promise<LoginStorm> | undefined;
  const storm = () => (result ??= runLoginStorm({ agents: 2_000, seed: 3, intervalMinutes: 15, mix: 'ordinary', mode: 'replica', schedules: ['current', 'before', 'at-once'] }));

  it('the agent\'s rule keeps the busiest minute within the goal, and each kind of state gets its first sync in its class\'s time', async () => {
    const s = await storm();
    expect(s.judged).toBe(true);
    expect(s.ratio!).toBeLessThanOrEqual(STORM_GOAL);
    expect(s.goalMet).toBe(true);
    const current = s.results.find((r) => r.schedule === 'current')!.figures.firstSync;
    expect(current['first-start'].maxMs).toBeLessThan(5_000);
    expect(current['static-changed'].maxMs).toBeLessThan(2 * MIN);
    expect(current.pending.maxMs).toBeLessThan(2 * MIN);
    expect(current['in-sync'].maxMs).toBeLessThan(15 * MIN);
    expect(current['in-sync'].medianMs).toBeGreaterThan(5 * MIN); // spread over the interval, not hurried
    // Before, a changed fact waited the regular splay like everything else.
    const before = s.results.find((r) => r.schedule === 'before')!.figures.firstSync;
    expect(before['static-changed'].medianMs).toBeGreaterThan(3 * MIN);
  });

  it('a rule that syncs every start at once would miss the goal many times over (so the goal can fail)', async () => {
    const s = await storm();
    const [, before, atOnce] = s.results.map((r) => r.figures.busiest.requests);
    expect(atOnce! / before!).toBeGreaterThan(5 * STORM_GOAL);
  });

  it('a patch day (every machine\'s OS changed overnight) is shown, not judged', async () => {
    const s = await runLoginStorm({ agents: 1_000, seed: 3, intervalMinutes: 15, mix: 'patch-day', mode: 'replica', schedules: ['current', 'before'] });
    expect(s.judged).toBe(false);
    expect(s.goalMet).toBeUndefined();
    expect(s.ratio!).toBeGreaterThan(STORM_GOAL); // the cost of the short splay when every machine has news
  });
});

describe('bench:fleet login storm on the command line', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, ['bench/fleet.ts', ...args], { encoding: 'utf8', timeout: 60_000 });

  it('prints the busiest minutes and the goal, and judges it (exit 0); JSON has the figures; a bad mix is named (exit 2)', () => {
    const text = run('--experiment', 'storm', '--agents', '2000');
    expect(text.stderr).toBe('');
    expect(text.stdout).toMatch(/^Login storm: 2,000 agents start within 1 min/);
    expect(text.stdout).toMatch(/current +[\d,]+ requests at 00:0\d/);
    expect(text.stdout).toMatch(/Goal: busiest minute ≤ 2 × that of "before" = [\d.]+ × OK/);
    expect(text.stdout).not.toMatch(/Herd factor/); // the outage was not asked for
    expect(text.status).toBe(0);
    const json = JSON.parse(run('--experiment', 'storm', '--agents', '500', '--storm-mix', 'patch-day', '--json').stdout) as { storm: { mix: string; judged: boolean; figures: Record<string, unknown> } };
    expect(json.storm).toMatchObject({ mix: 'patch-day', judged: false });
    expect(Object.keys(json.storm.figures)).toEqual(['current', 'before', 'at-once']);
    const bad = run('--storm-mix', 'monday');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^bench:fleet: --storm-mix: must be ordinary or patch-day/);
    expect(parseFleetArgs(['--experiment', 'outage']).experiments).toEqual(['outage']);
    expect(parseFleetArgs([]).experiments).toEqual(['outage', 'storm']);
  });
});
