// bench/fleet: the replica equals the real engines request for request, the agent's
// schedule meets every target, the fast-retry baseline it replaced is caught as a herd
// (so the check can fail), the verdict is the agent's schedule's only, and the command
// line names a bad flag.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEDULE, nextAfter, retryDelay } from '../../app/sync/schedule.ts';
import { FAST_RETRY_BACKOFF, fastRetryDelay, fastRetryNextAfter } from '../../bench/fleet/fast-retry-schedule.ts';
import { TARGETS } from '../../bench/fleet/figures.ts';
import { parseFleetArgs, parseMinutes } from '../../bench/fleet/options.ts';
import { runOutageComparison, verdictOf } from '../../bench/fleet/outage-comparison.ts';
import type { OutageComparison, OutageComparisonOptions } from '../../bench/fleet/outage-comparison.ts';
import { seededRandom } from '../../bench/fleet/random.ts';
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
    expect(total(replica.counts.requests)).toBeGreaterThan(150 * 8);
    expect(total(replica.counts.failed)).toBeGreaterThan(0);
    expect(replica.counts.digest).toBe(engines.counts.digest);
    expect(replica.cycles).toBe(engines.cycles);
    expect(Array.from(replica.counts.requests)).toEqual(Array.from(engines.counts.requests));
    expect(replica.counts.variablesSent).toBe(engines.counts.variablesSent);
  });

  it('matches the real engines through a long outage (backoff doubling to the cap) and 503 + Retry-After, and differs when one request differs', async () => {
    // 3 h down: retry windows grow 15 → 30 min (cap / 2), several consecutive failures per agent.
    const long: FleetRunOptions = { ...base, agents: 60, days: 0.5, outages: [{ startMs: 2 * 60 * MIN, endMs: 5 * 60 * MIN }] };
    const longReplica = await runFleet(long);
    expect(longReplica.counts.digest).toBe((await runFleet({ ...long, mode: 'engine' })).counts.digest);
    expect(total(longReplica.counts.failed)).toBeGreaterThan(60 * 2); // more than one failure per agent
    const opts: FleetRunOptions = { ...long, outages: [{ startMs: 3 * 60 * MIN, endMs: 3 * 60 * MIN + 20 * MIN }], downReply: '503', retryAfterS: 40 * 60 }; // later than any first retry draw: it decides
    const replica = await runFleet(opts);
    expect(replica.counts.digest).toBe((await runFleet({ ...opts, mode: 'engine' })).counts.digest);
    expect((await runFleet({ ...opts, seed: 8 })).counts.digest).not.toBe(replica.counts.digest);
    expect((await runFleet({ ...opts, retryAfterS: 41 * 60 })).counts.digest).not.toBe(replica.counts.digest);
  });

  it('is deterministic for a seed', async () => {
    const a = await runFleet({ ...base, agents: 80 });
    const b = await runFleet({ ...base, agents: 80 });
    expect(a.counts.digest).toBe(b.counts.digest);
  });
});

describe('fleet figures (500 agents, one day, 10-minute outage at noon)', () => {
  const options: OutageComparisonOptions = {
    agents: 500, days: 1, seed: 3, intervalMinutes: 15, outageStartMinutes: 720, outageMinutes: 10,
    downReply: 'refused', mode: 'replica', schedules: ['current', 'fast-retry'],
  };
  let both: Promise<OutageComparison> | undefined;
  const comparison = () => (both ??= runOutageComparison(options));

  it('the agent\'s schedule meets every target', async () => {
    const { results } = await comparison();
    expect(results.map((r) => r.schedule)).toEqual(['current', 'fast-retry']);
    const current = results[0]!.figures;
    // No retry sooner than one interval: the 5 minutes after the outage carry no returns at all
    // (paired with the same seed's no-outage run, noise cancels; the unpaired factor at 500 agents is mostly noise).
    expect(current.herd.pairedFactor).toBeLessThanOrEqual(TARGETS.herdFactor);
    expect(current.herd.perMinute.every((v, i) => v <= current.herd.baselinePerMinute[i]!)).toBe(true);
    expect(current.totals.ratio).toBeLessThanOrEqual(TARGETS.totalRatio);
    expect(current.totals.ratio).toBeGreaterThan(1); // the failed requests are repeated, not lost
    expect(current.perDevicePerDay.outage).toBeLessThanOrEqual(TARGETS.requestsPerDevicePerDay);
    expect(current.perDevicePerDay.busiestDevice).toBeLessThanOrEqual(TARGETS.requestsPerDevicePerDay);
    // An idle device changes something in a plausible share of cycles: not every one, not none.
    expect(current.sendShare).toBeGreaterThan(0.05);
    expect(current.sendShare).toBeLessThan(0.9);
  });

  it('the fast-retry baseline is caught as a herd; the verdict ignores it', async () => {
    const c = await comparison();
    const [current, fastRetry] = c.results.map((r) => r.figures);
    // Its first retries come within seconds, so the agents whose cycle fell in the outage all return at its end.
    expect(fastRetry!.herd.pairedFactor).toBeGreaterThan(2.5);
    expect(fastRetry!.targets.find((t) => t.name === 'herd factor')?.ok).toBe(false);
    expect(fastRetry!.failed).toBeGreaterThan(2 * current!.failed); // it hammers the server while it is down
    expect(fastRetry!.herd.hourPeak.factor).toBeGreaterThan(current!.herd.hourPeak.factor);
    expect(verdictOf(c)).toMatchObject({ judged: { schedule: 'current' } });
    expect(verdictOf({ ...c, results: c.results.filter((r) => r.schedule === 'fast-retry') })).toEqual({ judged: undefined, exitCode: 0 });
  });

  it('fails the agent\'s schedule when it is configured to herd (every retry 30–60 s after the failure)', async () => {
    const c = await runOutageComparison({ ...options, schedules: ['current'], backoff: { capMs: 60_000, floorMs: 30_000 } });
    const figures = c.results[0]!.figures;
    expect(figures.herd.pairedFactor).toBeGreaterThan(2);
    expect(figures.targets.find((t) => t.name === 'herd factor')?.ok).toBe(false);
    expect(verdictOf(c).exitCode).toBe(1);
  });
});

describe('fast-retry baseline schedule', () => {
  const B = FAST_RETRY_BACKOFF;

  it('is full jitter over [0, min(cap, 30 s × 2^attempt)), at least 1 s and the Retry-After (capped at a day)', () => {
    expect(fastRetryDelay(0, B, () => 0)).toBe(1_000);
    expect(fastRetryDelay(0, B, () => 0.5)).toBe(15_000);
    expect(fastRetryDelay(1, B, () => 0.5)).toBe(30_000);
    expect(fastRetryDelay(3, B, () => 0.999_999)).toBe(239_999);
    expect(fastRetryDelay(20, B, () => 0.5)).toBe(30 * MIN);
    expect(fastRetryDelay(0, B, () => 0.5, 2 * 60 * MIN)).toBe(2 * 60 * MIN);
    expect(fastRetryDelay(0, B, () => 0.5, 1e12)).toBe(24 * 60 * MIN);
  });

  it('retries far sooner than the agent\'s schedule, which never retries before one interval', () => {
    const fast = seededRandom(1);
    const current = seededRandom(1);
    for (let i = 0; i < 1_000; i++) {
      expect(fastRetryDelay(0, B, fast)).toBeLessThan(30_000);
      expect(retryDelay(0, DEFAULT_SCHEDULE.intervalMs, DEFAULT_SCHEDULE.backoff, current)).toBeGreaterThanOrEqual(DEFAULT_SCHEDULE.intervalMs);
    }
  });

  it('changes only retry delays: every other outcome is the real nextAfter', () => {
    const r = () => 0.25;
    for (const outcome of [{ ok: true } as const, { ok: false, errorClass: 'license-state' } as const, { ok: false, errorClass: 'fatal' } as const, { ok: false, errorClass: 'needs-activation' } as const]) {
      expect(fastRetryNextAfter(outcome, { attempt: 2 }, DEFAULT_SCHEDULE, false, r)).toEqual(nextAfter(outcome, { attempt: 2 }, DEFAULT_SCHEDULE, false, r));
    }
    expect(fastRetryNextAfter({ ok: false, errorClass: 'retryable' }, { attempt: 0 }, DEFAULT_SCHEDULE, false, r)).toEqual({ kind: 'retry', delayMs: 7_500, state: { attempt: 1 } });
    expect(fastRetryNextAfter({ ok: false, errorClass: 'needs-activation' }, { attempt: 1 }, DEFAULT_SCHEDULE, true, r)).toEqual({ kind: 'retry', delayMs: 15_000, state: { attempt: 2 } });
  });
});

describe('bench:fleet command line', () => {
  it('parses durations and names the bad flag', () => {
    expect(parseMinutes('12h')).toBe(720);
    expect(parseMinutes('1h30m')).toBe(90);
    expect(parseMinutes('45')).toBe(45);
    expect(parseMinutes('soon')).toBeUndefined();
    expect(parseFleetArgs([])).toMatchObject({ agents: 10_000, days: 1, outageStartMinutes: 720, outageMinutes: 10, schedules: ['current', 'fast-retry'] });
    expect(parseFleetArgs(['--schedule', 'fast-retry']).schedules).toEqual(['fast-retry']);
    expect(parseFleetArgs(['--mode', 'engine']).schedules).toEqual(['current']);
    expect(() => parseFleetArgs(['--mode', 'engine', '--schedule', 'both'])).toThrow(/^--schedule: the engine mode runs the current schedule only/);
    expect(() => parseFleetArgs(['--schedule', 'candidate'])).toThrow(/^--schedule: must be current, fast-retry or both$/);
    expect(() => parseFleetArgs(['--agents', '0'])).toThrow(/^--agents: must be at least 1$/);
    expect(() => parseFleetArgs(['--outage-start', 'soon'])).toThrow(/^--outage-start: must be minutes/);
    expect(() => parseFleetArgs(['--days', '1', '--outage-start', '23h59m'])).toThrow(/^--outage-start: the outage must/);
    expect(() => parseFleetArgs(['--down-reply', 'timeout'])).toThrow(/^--down-reply: must be refused or 503$/);
    expect(() => parseFleetArgs(['--retry-after', '5'])).toThrow(/only with --down-reply 503/);
    expect(() => parseFleetArgs(['--bogus'])).toThrow(/bogus/);
  });

  it('prints both schedules, judges the agent\'s only (exit 0 although the baseline herds), 2 on a bad flag (no stack trace)', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, ['bench/fleet.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
    const ok = run('--agents', '2000', '--days', '0.5', '--outage-start', '6h');
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toMatch(/Herd factor \(raw\) = busiest minute of 06:10–06:15/);
    expect(ok.stdout).toMatch(/Herd factor \(paired, judged\) = [^\n]*\n {2}= [\d.]+ {3}\(target ≤ 1.2\) OK/);
    expect(ok.stdout).toMatch(/Total requests: [\d,]+ with the outage vs [\d,]+ without = [\d.]+×/);
    expect(ok.stdout).toMatch(/Requests per device per day: [\d.]+ without the outage/);
    expect(ok.stdout).toMatch(/With the agent's schedule/);
    expect(ok.stdout).toMatch(/With the fast-retry baseline/);
    expect(ok.stdout).toMatch(/Not judged \(baseline\)\. Missed: herd factor/);
    expect(ok.stdout).toMatch(/Verdict on the agent's schedule: every target met \(exit 0\)\./);
    expect(ok.status).toBe(0);
    const json = run('--agents', '300', '--days', '0.5', '--outage-start', '6h', '--schedule', 'fast-retry', '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ judged: null, targetsMet: null, figures: { 'fast-retry': { agents: 300 } } });
    expect(json.status).toBe(0);
    const bad = run('--agents', 'many');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^bench:fleet: --agents: /);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
