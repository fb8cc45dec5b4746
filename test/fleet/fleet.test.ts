// bench/fleet: the replica equals the real engines request for request, the
// figures can fail (a herd-prone backoff is caught), the candidate schedule
// meets the targets, and the command line names a bad flag.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, DEFAULT_SCHEDULE, nextAfter } from '../../app/sync/schedule.ts';
import { candidateNextAfter, candidateRetryDelay } from '../../bench/fleet/candidate-schedule.ts';
import { TARGETS } from '../../bench/fleet/figures.ts';
import { parseFleetArgs, parseMinutes } from '../../bench/fleet/options.ts';
import { runOutageComparison } from '../../bench/fleet/outage-comparison.ts';
import type { OutageComparisonOptions } from '../../bench/fleet/outage-comparison.ts';
import { runFleet } from '../../bench/fleet/simulate.ts';
import type { FleetRunOptions } from '../../bench/fleet/simulate.ts';

const MIN = 60_000;
const noon = { startMs: 12 * 60 * MIN, endMs: 12 * 60 * MIN + 10 * MIN };

const total = (counts: Uint32Array) => counts.reduce((a, b) => a + b, 0);

describe('the replica fleet', () => {
  const base: FleetRunOptions = { agents: 150, days: 1, seed: 7, intervalMs: 15 * MIN, outages: [noon], downReply: 'refused', mode: 'replica' };

  it('makes exactly the requests real sync engines make (same agents, times, order), through an outage', async () => {
    const replica = await runFleet(base);
    const engines = await runFleet({ ...base, mode: 'engine' });
    expect(total(replica.counts.requests)).toBeGreaterThan(150 * 30);
    expect(total(replica.counts.failed)).toBeGreaterThan(0);
    expect(replica.counts.digest).toBe(engines.counts.digest);
    expect(replica.cycles).toBe(engines.cycles);
    expect(Array.from(replica.counts.requests)).toEqual(Array.from(engines.counts.requests));
    expect(replica.counts.variablesSent).toBe(engines.counts.variablesSent);
  });

  it('matches the real engines on 503 + Retry-After too, and differs when one request differs', async () => {
    const opts: FleetRunOptions = { ...base, agents: 60, days: 0.5, outages: [{ startMs: 3 * 60 * MIN, endMs: 3 * 60 * MIN + 20 * MIN }], downReply: '503', retryAfterS: 90 };
    const replica = await runFleet(opts);
    const engines = await runFleet({ ...opts, mode: 'engine' });
    expect(replica.counts.digest).toBe(engines.counts.digest);
    const otherSeed = await runFleet({ ...opts, seed: 8 });
    expect(otherSeed.counts.digest).not.toBe(replica.counts.digest);
  });

  it('is deterministic for a seed', async () => {
    const a = await runFleet({ ...base, agents: 80 });
    const b = await runFleet({ ...base, agents: 80 });
    expect(a.counts.digest).toBe(b.counts.digest);
  });
});

describe('fleet figures (500 agents, one day)', () => {
  const options: OutageComparisonOptions = {
    agents: 500, days: 1, seed: 3, intervalMinutes: 15, outageStartMinutes: 720, outageMinutes: 10,
    downReply: 'refused', mode: 'replica', schedules: ['current', 'candidate'],
  };

  it('catch a herd: with the current schedule the fleet returns at once; the candidate meets every target', async () => {
    const { results } = await runOutageComparison(options);
    const [current, candidate] = results.map((r) => r.figures);
    // Current: first retries in seconds, so the agents whose cycle fell in the outage all return at its end.
    expect(current!.herd.pairedFactor).toBeGreaterThan(2.5);
    expect(current!.targets.find((t) => t.name === 'herd factor')?.ok).toBe(false);
    // Candidate: no retry sooner than one interval; the 5 minutes after the outage carry no returns at all
    // (paired with the same seed's no-outage run, noise cancels; the unpaired factor at 500 agents is mostly noise).
    expect(candidate!.herd.pairedFactor).toBeLessThanOrEqual(TARGETS.herdFactor);
    expect(candidate!.herd.perMinute.every((v, i) => v <= candidate!.herd.baselinePerMinute[i]!)).toBe(true);
    expect(candidate!.totals.ratio).toBeLessThanOrEqual(TARGETS.totalRatio);
    expect(candidate!.perDevicePerDay.outage).toBeLessThanOrEqual(TARGETS.requestsPerDevicePerDay);
    expect(candidate!.perDevicePerDay.busiestDevice).toBeLessThanOrEqual(TARGETS.requestsPerDevicePerDay);
    // An idle device changes something in a plausible share of cycles: not every one, not none.
    expect(candidate!.sendShare).toBeGreaterThan(0.2);
    expect(candidate!.sendShare).toBeLessThan(0.9);
  });

  it('catch a herd-prone backoff the engine can be configured with (every retry 30 s after the failure)', async () => {
    const { results } = await runOutageComparison({ ...options, schedules: ['candidate'], backoff: { baseMs: 30_000, capMs: 60_000, floorMs: 30_000 } });
    expect(results[0]!.figures.herd.pairedFactor).toBeGreaterThan(2);
  });
});

describe('candidate schedule', () => {
  const B = DEFAULT_BACKOFF;
  const I = DEFAULT_SCHEDULE.intervalMs;

  it('waits one interval plus a uniform share of one more, doubling per failure, at most the cap', () => {
    expect(candidateRetryDelay(0, I, B, () => 0)).toBe(15 * MIN);
    expect(candidateRetryDelay(0, I, B, () => 0.999_999)).toBeCloseTo(30 * MIN, -2);
    expect(candidateRetryDelay(1, I, B, () => 0)).toBe(30 * MIN);
    expect(candidateRetryDelay(20, I, B, () => 0)).toBe(30 * MIN); // w = cap / 2: spread over [30, 60] min, not all at the cap
    expect(candidateRetryDelay(20, I, B, () => 0.999_999)).toBeLessThanOrEqual(B.capMs);
    expect(candidateRetryDelay(0, I, B, () => 0.5, 2 * 60 * MIN)).toBe(2 * 60 * MIN); // Retry-After later than the draw wins
  });

  it('changes only retry delays: every other outcome is the real nextAfter', () => {
    const r = () => 0.25;
    for (const outcome of [{ ok: true } as const, { ok: false, errorClass: 'license-state' } as const, { ok: false, errorClass: 'fatal' } as const]) {
      expect(candidateNextAfter(outcome, { attempt: 2 }, DEFAULT_SCHEDULE, false, r)).toEqual(nextAfter(outcome, { attempt: 2 }, DEFAULT_SCHEDULE, false, r));
    }
    expect(candidateNextAfter({ ok: false, errorClass: 'retryable' }, { attempt: 0 }, DEFAULT_SCHEDULE, false, r)).toEqual({ kind: 'retry', delayMs: 18.75 * MIN, state: { attempt: 1 } });
  });
});

describe('bench:fleet command line', () => {
  it('parses durations and names the bad flag', () => {
    expect(parseMinutes('12h')).toBe(720);
    expect(parseMinutes('1h30m')).toBe(90);
    expect(parseMinutes('45')).toBe(45);
    expect(parseMinutes('soon')).toBeUndefined();
    expect(parseFleetArgs([])).toMatchObject({ agents: 10_000, days: 1, outageStartMinutes: 720, outageMinutes: 10, schedules: ['current', 'candidate'] });
    expect(() => parseFleetArgs(['--agents', '0'])).toThrow(/^--agents: must be at least 1$/);
    expect(() => parseFleetArgs(['--outage-start', 'soon'])).toThrow(/^--outage-start: must be minutes/);
    expect(() => parseFleetArgs(['--days', '1', '--outage-start', '23h59m'])).toThrow(/^--outage-start: the outage must/);
    expect(() => parseFleetArgs(['--down-reply', 'timeout'])).toThrow(/^--down-reply: must be refused or 503$/);
    expect(() => parseFleetArgs(['--retry-after', '5'])).toThrow(/only with --down-reply 503/);
    expect(() => parseFleetArgs(['--bogus'])).toThrow(/bogus/);
  });

  it('prints the figures and exits 1 when the agent misses a target, 2 on a bad flag (no stack trace)', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, ['bench/fleet.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
    const ok = run('--agents', '300', '--days', '0.5', '--outage-start', '6h');
    expect(ok.stdout).toMatch(/Herd factor = busiest minute of 06:10–06:15/);
    expect(ok.stdout).toMatch(/Total requests: [\d,]+ with the outage vs [\d,]+ without = [\d.]+×/);
    expect(ok.stdout).toMatch(/Requests per device per day: [\d.]+ without the outage/);
    expect(ok.stdout).toMatch(/With the candidate schedule/);
    expect(ok.status).toBe(1); // the committed schedule herds
    const bad = run('--agents', 'many');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^bench:fleet: --agents: /);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
