// The first minutes after a start, as tables over the pure core: which delay class a
// persisted state leads to (schedule.ts firstCycle, startFacts), what the status says
// before the first cycle (status-text.ts describeStatus with `restored`), and the one
// sentence the window and `run` show (firstSyncExplanation).
import { describe, expect, it } from 'vitest';
import type { AgentErrorView } from '../agent-api.ts';
import { RESTART_NOISE } from '../collect/catalogue.ts';
import { emptySyncState, type SyncState } from '../state/sync-state.ts';
import type { VariableMap } from '../variables.ts';
import { changedStaticFacts, firstCycle, firstCycleClass, needsStaticProbe, SHORT_SPLAY_MS, SOON_SPLAY_MS, startFacts } from './schedule.ts';
import type { StartFacts } from './schedule.ts';
import { describeStatus, firstSyncExplanation } from './status-text.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const NOW = 1_750_000_000_000;
const INTERVAL = 15 * MIN;
const HASH = 'identity-now';

const STATIC: VariableMap = { os_platform: 'linux', os_release: '12', kernel: '6.1.0-30', ram_total_gb: 16, disk_total_gb: 512, boot_time: '2025-06-15T06:00:00Z', agent_version: '0.1.0' };
const DYNAMIC: VariableMap = { cpu_load_pct: 5, ram_used_pct: 41 };

/** What a run that synced everything and stopped 3 h ago leaves in state.json. */
function inSync(over: Partial<SyncState> = {}): SyncState {
  const desired = { ...STATIC, ...DYNAMIC };
  return {
    ...emptySyncState(),
    desired, acknowledged: { ...desired }, staticValues: { ...STATIC }, identityHash: HASH,
    lastStaticAt: NOW - 20 * HOUR, lastAttemptAt: NOW - 3 * HOUR, lastSuccessAt: NOW - 3 * HOUR, lastFullRefreshAt: NOW - 20 * HOUR,
    ...over,
  };
}

const err = (code: string, errorClass: AgentErrorView['errorClass'], at = NOW - 3 * HOUR): AgentErrorView => ({ code, errorClass, summary: `${code} happened.`, remedy: 'r', at });
const facts = (state: SyncState, over: { startImmediately?: boolean; staticNow?: VariableMap; identityHash?: string } = {}): StartFacts =>
  startFacts(state, { identityHash: over.identityHash ?? HASH, startImmediately: over.startImmediately ?? false, noise: RESTART_NOISE, staticNow: over.staticNow });

describe('the first cycle after a start: which class a persisted state leads to', () => {
  const rows: Array<{ case: string; state: SyncState; start?: Parameters<typeof facts>[1]; kind: string; reason: string }> = [
    { case: 'nothing persisted (first start ever)', state: emptySyncState(), kind: 'soon', reason: 'first-start' },
    { case: 'nothing persisted, asked to sync at once (desktop first run, sandbox, demo)', state: emptySyncState(), start: { startImmediately: true }, kind: 'now', reason: 'asked' },
    { case: 'in sync, asked to sync at once', state: inSync(), start: { startImmediately: true, staticNow: STATIC }, kind: 'now', reason: 'asked' },
    { case: 'values collected but no identity recorded (deactivated, or first configuration)', state: inSync({ identityHash: undefined }), kind: 'soon', reason: 'configuration' },
    { case: 'another server, credentials, device or license than the state was acknowledged for', state: inSync(), start: { identityHash: 'identity-before' }, kind: 'soon', reason: 'configuration' },
    { case: 'a configuration change wins over a parked license error', state: inSync({ lastError: err('license_expired', 'license-state') }), start: { identityHash: 'new' }, kind: 'soon', reason: 'configuration' },
    { case: 'parked on a license problem (values pending too)', state: inSync({ desired: { ...STATIC, ...DYNAMIC, cpu_load_pct: 60 }, lastError: err('license_not_enabled', 'license-state') }), kind: 'regular', reason: 'attention' },
    { case: 'parked on a configuration problem', state: inSync({ lastError: err('invalid_credentials', 'needs-configuration') }), kind: 'regular', reason: 'attention' },
    { case: 'values left unsent (the last send failed offline)', state: inSync({ desired: { ...STATIC, ...DYNAMIC, cpu_load_pct: 60 }, lastError: err('network_error', 'retryable') }), kind: 'short', reason: 'pending' },
    { case: 'values left unsent, never synced (stopped mid-request)', state: { ...emptySyncState(), desired: { ...STATIC }, identityHash: HASH, lastAttemptAt: NOW - HOUR }, kind: 'short', reason: 'pending' },
    { case: 'an OS update while off', state: inSync(), start: { staticNow: { ...STATIC, os_release: '13', kernel: '6.12.0-1' } }, kind: 'short', reason: 'static-changed' },
    { case: 'more memory while off', state: inSync(), start: { staticNow: { ...STATIC, ram_total_gb: 32 } }, kind: 'short', reason: 'static-changed' },
    { case: 'a new fact (a disk that was not there)', state: inSync({ staticValues: { os_platform: 'linux' } }), start: { staticNow: { os_platform: 'linux', disk_total_gb: 1000 } }, kind: 'short', reason: 'static-changed' },
    { case: 'only a reboot (boot_time) and a new network (ip_address)', state: inSync(), start: { staticNow: { ...STATIC, boot_time: '2025-06-16T07:59:00Z', ip_address: '10.1.2.3' } }, kind: 'regular', reason: 'drift' },
    { case: 'a fact missing now (a collector failed): not news', state: inSync(), start: { staticNow: { os_platform: 'linux', os_release: '12' } }, kind: 'regular', reason: 'drift' },
    { case: 'in sync when it stopped, same facts', state: inSync(), start: { staticNow: STATIC }, kind: 'regular', reason: 'drift' },
    { case: 'in sync, offline at the last try with nothing pending (only the license check failed)', state: inSync({ lastError: err('network_error', 'retryable') }), start: { staticNow: STATIC }, kind: 'regular', reason: 'drift' },
    { case: 'in sync, static facts not collected (the collection failed)', state: inSync(), kind: 'regular', reason: 'drift' },
  ];

  it.each(rows)('$case → $kind ($reason)', (row) => {
    expect(firstCycleClass(facts(row.state, row.start))).toEqual({ kind: row.kind, reason: row.reason });
  });

  it('collects the static facts at start only when they decide (drift or news)', () => {
    expect(needsStaticProbe(facts(inSync()))).toBe(true);
    expect(needsStaticProbe(facts(inSync(), { staticNow: STATIC }))).toBe(false);
    for (const state of [emptySyncState(), inSync({ identityHash: 'old' }), inSync({ desired: { ...STATIC, x: 1 } }), inSync({ lastError: err('license_expired', 'license-state') })]) {
      expect(needsStaticProbe(facts(state))).toBe(false);
    }
    expect(needsStaticProbe(facts(inSync(), { startImmediately: true }))).toBe(false);
  });

  it('names the facts that changed, sorted, noise and missing names left out', () => {
    expect(changedStaticFacts(STATIC, { ...STATIC, kernel: '6.12', os_release: '13', boot_time: 'x', ip_address: '10.0.0.1' }, RESTART_NOISE)).toEqual(['kernel', 'os_release']);
    expect(changedStaticFacts(STATIC, { ...STATIC, ram_total_gb: 16 }, RESTART_NOISE)).toEqual([]);
    expect(changedStaticFacts({ cpu_cores: 8 }, { cpu_cores: '8' }, RESTART_NOISE)).toEqual(['cpu_cores']); // 8 and "8" differ, as the diff says
    expect([...RESTART_NOISE].sort()).toEqual(['battery_charging', 'battery_pct', 'boot_time', 'ip_address', 'mac_address']);
  });
});

describe('the first cycle\'s delay per class', () => {
  const splay = { intervalMs: INTERVAL };
  const draw = (state: SyncState, start: Parameters<typeof facts>[1], r: number, s: Parameters<typeof firstCycle>[1] = splay) => firstCycle(facts(state, start), s, () => r).delayMs;

  it('at once: no delay, no draw', () => {
    let draws = 0;
    expect(firstCycle(facts(emptySyncState(), { startImmediately: true }), splay, () => { draws++; return 0.9; })).toEqual({ kind: 'now', reason: 'asked', delayMs: 0 });
    expect(draws).toBe(0);
  });

  it('within seconds: uniform in [0, 5 s)', () => {
    expect(SOON_SPLAY_MS).toBe(5_000);
    expect(draw(emptySyncState(), {}, 0)).toBe(0);
    expect(draw(emptySyncState(), {}, 0.5)).toBe(2_500);
    expect(draw(inSync(), { identityHash: 'new' }, 0.999_999)).toBe(4_999);
  });

  it('the short splay: uniform in [0, 2 min), injectable, never above the interval', () => {
    expect(SHORT_SPLAY_MS).toBe(2 * MIN);
    const changed = { staticNow: { ...STATIC, kernel: '6.12' } };
    expect(draw(inSync(), changed, 0.5)).toBe(MIN);
    expect(draw(inSync(), changed, 0.999_999)).toBe(2 * MIN - 1);
    expect(draw(inSync(), changed, 0.5, { intervalMs: INTERVAL, shortMs: 3_000 })).toBe(1_500);
    expect(draw(inSync(), changed, 0.5, { intervalMs: 30_000 })).toBe(15_000); // the demo's 30 s interval
  });

  it('the regular splay: uniform in [0, interval), as every start waited before', () => {
    expect(draw(inSync(), { staticNow: STATIC }, 0.5)).toBe(7.5 * MIN);
    expect(draw(inSync(), { staticNow: STATIC }, 0.999_999)).toBe(INTERVAL - 1);
    expect(draw(inSync({ lastError: err('license_expired', 'license-state') }), {}, 0.25)).toBe(3.75 * MIN);
  });
});

describe('what a start shows before its first cycle (the persisted state, with the next sync)', () => {
  const pendingOf = (s: SyncState) => Object.keys(s.desired).filter((k) => s.desired[k] !== s.acknowledged[k]).length;
  const shown = (state: SyncState, nextInMs: number | undefined) => describeStatus({
    now: NOW, paused: false, syncing: false, restored: true, lastSuccessAt: state.lastSuccessAt, lastError: state.lastError,
    pendingCount: pendingOf(state), ...(nextInMs === undefined ? {} : { nextSyncAt: NOW + nextInMs }),
  });

  it.each([
    { case: 'in sync 3 h ago, next sync in 12 min', state: inSync(), next: 12 * MIN, phase: 'synced', headline: 'Synced 3 h ago — next sync in 12 min' },
    { case: 'in sync, before the start decided', state: inSync(), next: undefined, phase: 'synced', headline: 'Synced 3 h ago' },
    { case: 'a value left unsent', state: inSync({ desired: { ...STATIC, ...DYNAMIC, cpu_load_pct: 60 } }), next: 40_000, phase: 'pending', headline: '1 value waiting — last synced 3 h ago; next sync in 40 s' },
    { case: 'offline at the last try', state: inSync({ desired: { ...STATIC, ...DYNAMIC, cpu_load_pct: 60 }, lastError: err('network_error', 'retryable', NOW - 2 * HOUR) }), next: 90_000, phase: 'pending', headline: 'Offline at the last try (2 h ago) — will retry in 2 min' },
    { case: 'the server was unavailable at the last try', state: inSync({ lastError: err('http_503', 'retryable', NOW - 30 * MIN) }), next: 5 * MIN, phase: 'pending', headline: 'Server unavailable at the last try (30 min ago) — will retry in 5 min' },
    { case: 'needs attention', state: inSync({ lastError: { ...err('license_expired', 'license-state'), summary: 'The license has expired.' } }), next: 9 * MIN, phase: 'attention', headline: 'Needs attention: The license has expired' },
    { case: 'values collected, never sent (stopped mid-request)', state: { ...emptySyncState(), desired: { ...STATIC }, identityHash: HASH }, next: 30_000, phase: 'pending', headline: '7 values waiting to be sent — first sync in 30 s' },
    { case: 'nothing at all: starting', state: emptySyncState(), next: 3_000, phase: 'starting', headline: 'Starting — first sync in 3 s' },
    { case: 'nothing at all, before the start decided', state: emptySyncState(), next: undefined, phase: 'starting', headline: 'Starting…' },
  ])('$case → $phase "$headline"', ({ state, next, phase, headline }) => {
    expect(shown(state, next)).toEqual({ phase, headline });
  });

  it('says "starting" only when there is no state at all', () => {
    const states = [inSync(), inSync({ lastError: err('network_error', 'retryable') }), inSync({ lastError: err('license_expired', 'license-state') }), inSync({ desired: { x: 1 } }), { ...emptySyncState(), desired: { x: 1 } }];
    for (const state of states) expect(shown(state, MIN).phase).not.toBe('starting');
    expect(shown(emptySyncState(), MIN).phase).toBe('starting');
  });

  it('after the first cycle the headlines are the usual ones (no "next sync" on Synced)', () => {
    expect(describeStatus({ now: NOW, paused: false, syncing: false, lastSuccessAt: NOW - 10_000, pendingCount: 0, nextSyncAt: NOW + 15 * MIN })).toEqual({ phase: 'synced', headline: 'Synced just now' });
    expect(describeStatus({ now: NOW, paused: false, syncing: false, restored: true, lastSuccessAt: NOW - 3 * HOUR, pendingCount: 0, nextSyncAt: NOW + MIN, licenseNotice: 'license expires in 3 days' }).headline)
      .toBe('Synced 3 h ago — license expires in 3 days; next sync in 1 min');
  });
});

describe('the first sync explained in one sentence (window and `run`)', () => {
  const splay = { intervalMs: INTERVAL };
  it.each([
    ['asked', [], 'The first sync runs at once.'],
    ['first-start', [], 'Nothing has been sent from this computer yet: the first sync comes within 5 s.'],
    ['configuration', [], 'The configuration changed since the last sync (server, credentials, license or hardware id): the first sync comes within 5 s.'],
    ['pending', [], 'Values were left waiting to be sent: the first sync comes within 2 min.'],
    ['static-changed', ['kernel'], 'A fact about this computer changed while the agent was off (kernel): the first sync comes within 2 min.'],
    ['static-changed', ['kernel', 'os_release'], 'A fact about this computer changed while the agent was off (kernel and os_release): the first sync comes within 2 min.'],
    ['static-changed', ['a', 'b', 'c', 'd'], 'A fact about this computer changed while the agent was off (a, b and 2 more): the first sync comes within 2 min.'],
    ['attention', [], 'The last sync needs attention: the agent tries again at a random moment within 15 min, so that computers starting together do not reach the server at once.'],
    ['drift', [], 'Everything was in sync when the agent stopped: the first sync comes at a random moment within 15 min, so that computers starting together do not reach the server at once.'],
  ] as const)('%s %j', (reason, changed, sentence) => {
    expect(firstSyncExplanation(reason, splay, changed)).toBe(sentence);
  });

  it('follows the interval and the injected short splay', () => {
    expect(firstSyncExplanation('pending', { intervalMs: 30_000 })).toBe('Values were left waiting to be sent: the first sync comes within 30 s.');
    expect(firstSyncExplanation('pending', { intervalMs: INTERVAL, shortMs: 3_000 })).toBe('Values were left waiting to be sent: the first sync comes within 3 s.');
    expect(firstSyncExplanation('drift', { intervalMs: 60 * MIN })).toContain('within 1 h');
  });
});
