// The engine's timer behaviour on a virtual clock: schedule, backoff, parking,
// debounce, pause, stop. The License API side here is a scripted port; the same
// engine runs against the real client and sandbox in test/sync/.
import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentStatus } from '../agent-api.ts';
import { silentLogger } from '../log/logger.ts';
import { openStateStore } from '../state/state-store.ts';
import type { VariableMap } from '../variables.ts';
import { createSyncEngine } from './engine.ts';
import type { EngineOptions } from './engine.ts';
import { settle, virtualClock } from '../../test/support/virtual-clock.ts';
import type { ApiErrorLike, CollectorPort, LicenseApiPort, TrackRequest } from './ports.ts';

const MIN = 60_000;

function apiError(code: string, errorClass: ApiErrorLike['errorClass'], retryAfterMs?: number): ApiErrorLike & Error {
  return Object.assign(new Error(code), { code, errorClass, summary: `${code} happened.`, remedy: 'do something', retryAfterMs });
}

/** A scripted License API: each call takes the next scripted failure, or succeeds. */
function scriptedClient() {
  const calls: Array<{ endpoint: 'track' | 'activate'; variables: VariableMap }> = [];
  const failures: Array<Error | undefined> = [];
  let gate: Promise<void> | undefined;
  const client: LicenseApiPort = {
    async trackDeviceVariables(request: TrackRequest) {
      calls.push({ endpoint: 'track', variables: request.variables });
      if (gate) await gate;
      const failure = failures.shift();
      if (failure) throw failure;
      return [];
    },
    async activateLicense(request) {
      calls.push({ endpoint: 'activate', variables: request.variables ?? {} });
      const failure = failures.shift();
      if (failure) throw failure;
      return {};
    },
  };
  return {
    client, calls, failures,
    hold() { let release!: () => void; gate = new Promise((r) => { release = r; }); return () => { gate = undefined; release(); }; },
  };
}

function mutableCollector(values: VariableMap, staticValues: VariableMap = { os: 'linux' }) {
  let staticCalls = 0;
  const collector: CollectorPort = {
    async collectStatic() { staticCalls++; return { values: { ...staticValues }, failures: [], durationMs: 1 }; },
    async collectDynamic() { return { values: { ...values }, failures: [{ collector: 'battery', message: 'no battery' }], durationMs: 1 }; },
  };
  return { collector, values, staticCalls: () => staticCalls };
}

const options = (over: Partial<EngineOptions> = {}): EngineOptions => ({
  identity: { product: 'demo', hardwareId: 'hw-1', licenseKey: 'AAAA-BBBB' },
  intervalMs: 15 * MIN,
  autoActivate: false,
  display: { apiUrl: 'http://127.0.0.1/api/v4/', usingSandbox: true, licenseDisplay: '****-BBBB' },
  ...over,
});

async function setup(over: Partial<EngineOptions> = {}, random = () => 0.5) {
  const dir = await mkdtemp(join(tmpdir(), 'da-engine-'));
  const clock = virtualClock();
  const api = scriptedClient();
  const col = mutableCollector({ cpu_load_pct: 10, ram_used_pct: 40 });
  const store = openStateStore({ stateDir: dir });
  const engine = createSyncEngine(options(over), { client: api.client, collector: col.collector, store, logger: silentLogger, clock, random });
  return { dir, clock, api, col, store, engine };
}

describe('sync engine on a virtual clock', () => {
  it('a first start syncs within seconds (a random part of 5 s), then at interval ± jitter, sending only changes', async () => {
    const { clock, api, col, engine } = await setup({}, () => 0.25);
    await engine.start();
    expect(engine.status().nextSyncAt).toBe(clock.now() + 0.25 * 5_000);
    await clock.advance(0.25 * 5_000 - 1);
    expect(api.calls).toHaveLength(0);
    await clock.advance(1);
    expect(api.calls).toEqual([{ endpoint: 'track', variables: { os: 'linux', cpu_load_pct: 10, ram_used_pct: 40 } }]);
    // Next run: 15 min × (1 + 0.1 × (2 × 0.25 − 1)) = 14.25 min.
    expect(engine.status().nextSyncAt).toBe(clock.now() + 14.25 * MIN);
    col.values.cpu_load_pct = 11;
    await clock.advance(14.25 * MIN);
    expect(api.calls[1]).toEqual({ endpoint: 'track', variables: { cpu_load_pct: 11 } });
    await clock.advance(14.25 * MIN);
    expect(api.calls).toHaveLength(2); // nothing pending → no request
    const s = engine.status();
    expect(s.phase).toBe('synced');
    expect(s.history.map((h) => h.outcome)).toEqual(['ok', 'ok', 'nothing-to-send']);
    expect(s.samples.map((x) => x.values.cpu_load_pct)).toEqual([10, 11, 11]);
    expect(s.collectorFailures).toEqual([{ collector: 'battery', message: 'no battery', at: clock.now() }]);
    expect(col.staticCalls()).toBe(1);
    await engine.stop();
    expect(clock.pending()).toBe(0);
  });

  it('backs off with growing delays on retryable errors, honours Retry-After, then returns to normal', async () => {
    const { clock, api, engine } = await setup({ startImmediately: true });
    api.failures.push(apiError('http_503', 'retryable'), apiError('http_503', 'retryable'), apiError('http_429', 'retryable', 120 * MIN));
    await engine.start();
    await clock.advance(0);
    // attempt 0: 1.5 × 15 min; attempt 1: 1.5 × 30 min (w capped at half the 1 h cap); attempt 2: max(45 min, Retry-After 2 h).
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const s = engine.status();
      expect(s.phase).toBe('pending');
      expect(s.headline).toMatch(/^Server unavailable — will retry in/);
      delays.push(s.nextSyncAt! - clock.now());
      await clock.advance(s.nextSyncAt! - clock.now());
    }
    expect(delays).toEqual([22.5 * MIN, 45 * MIN, 120 * MIN]);
    expect(api.calls).toHaveLength(4);
    expect(engine.status().phase).toBe('synced');
    expect(engine.status().nextSyncAt! - clock.now()).toBe(15 * MIN);
    await engine.stop();
  });

  it('parks on a license-state error: no fast retries, network-back ignored, config change resumes', async () => {
    const { clock, api, engine } = await setup({ startImmediately: true });
    api.failures.push(apiError('license_not_enabled', 'license-state'));
    await engine.start();
    await clock.advance(0);
    expect(engine.status().phase).toBe('attention');
    expect(engine.status().headline).toBe('Needs attention: license_not_enabled happened');
    expect(engine.status().nextSyncAt! - clock.now()).toBe(6 * 60 * MIN);
    engine.trigger('network-back');
    await clock.advance(60 * MIN);
    expect(api.calls).toHaveLength(1);
    engine.updateOptions(options({ startImmediately: true }));
    await clock.advance(2_000);
    expect(api.calls).toHaveLength(2);
    expect(engine.status().phase).toBe('synced');
    await engine.stop();
  });

  it('parks "device not activated" without autoActivate, activates and goes on with it', async () => {
    const off = await setup({ startImmediately: true });
    off.api.failures.push(apiError('device_not_found', 'needs-activation'));
    await off.engine.start();
    await off.clock.advance(0);
    expect(off.engine.status().error?.code).toBe('device_not_found');
    expect(off.engine.status().nextSyncAt! - off.clock.now()).toBe(6 * 60 * MIN);
    await off.engine.stop();

    const on = await setup({ startImmediately: true, autoActivate: true });
    on.api.failures.push(apiError('device_not_found', 'needs-activation'));
    await on.engine.start();
    await on.clock.advance(0);
    expect(on.api.calls.map((c) => c.endpoint)).toEqual(['track', 'activate']);
    expect(on.api.calls[1]?.variables).toEqual({ os: 'linux', cpu_load_pct: 10, ram_used_pct: 40 });
    expect(on.engine.status().phase).toBe('synced');
    expect(on.engine.status().variables.every((v) => !v.pending)).toBe(true);
    await on.engine.stop();
  });

  it('debounces triggers into one cycle and lets network-back cut a backoff short', async () => {
    const { clock, api, engine } = await setup({ startImmediately: true });
    api.failures.push(apiError('network_error', 'retryable'));
    await engine.start();
    await clock.advance(0);
    expect(engine.status().headline).toMatch(/^Offline — will retry in/);
    engine.trigger('network-back');
    await clock.advance(1_000);
    engine.trigger('network-back');
    engine.trigger('resume');
    await clock.advance(1_999);
    expect(api.calls).toHaveLength(1);
    await clock.advance(1);
    expect(api.calls).toHaveLength(2);
    expect(engine.status().phase).toBe('synced');
    await engine.stop();
  });

  it('runs one cycle at a time and stop() waits for the write in flight, leaving no timer', async () => {
    const { clock, api, col, engine, dir } = await setup();
    await engine.start();
    const release = api.hold();
    const first = engine.syncNow();
    col.values.cpu_load_pct = 12;
    const second = engine.syncNow();
    await settle();
    expect(api.calls).toHaveLength(1); // the second waits for the first
    const stopped = engine.stop();
    release();
    await stopped;
    expect((await first).ok).toBe(true);
    expect(clock.pending()).toBe(0);
    await second;
    expect(clock.pending()).toBe(0);
    // The state written at stop reflects the completed cycles.
    expect(openStateStore({ stateDir: dir }).load().acknowledged.cpu_load_pct).toBe(12);
  });

  it('pausing stops the schedule; manual sync still works; resuming syncs', async () => {
    const { clock, api, col, engine } = await setup({ startImmediately: true });
    const phases: string[] = [];
    engine.onStatus((s: AgentStatus) => phases.push(s.phase));
    await engine.start();
    await clock.advance(0);
    engine.setPaused(true);
    expect(engine.status()).toMatchObject({ phase: 'paused' });
    expect(engine.status().nextSyncAt).toBeUndefined();
    col.values.cpu_load_pct = 50;
    await clock.advance(60 * MIN);
    expect(api.calls).toHaveLength(1);
    expect(engine.status().headline).toBe('Paused'); // nothing is collected while paused
    engine.trigger('resume');
    await clock.advance(5_000);
    expect(api.calls).toHaveLength(1);
    await engine.syncNow('manual');
    expect(api.calls).toHaveLength(2);
    engine.setPaused(false);
    col.values.cpu_load_pct = 51;
    await clock.advance(0);
    expect(api.calls).toHaveLength(3);
    expect(phases).toContain('syncing');
    expect(phases).toContain('paused');
    expect(phases.at(-1)).toBe('synced');
    await engine.stop();
  });

  it('reports a crashing collector and a non-API error without dying', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'da-engine-'));
    const clock = virtualClock();
    const api = scriptedClient();
    api.failures.push(new TypeError('boom'));
    const collector: CollectorPort = {
      async collectStatic() { throw new Error('static broke'); },
      async collectDynamic() { return { values: { cpu_load_pct: 1 }, failures: [], durationMs: 0 }; },
    };
    const engine = createSyncEngine(options(), { client: api.client, collector, store: openStateStore({ stateDir: dir }), logger: silentLogger, clock, random: () => 0.5 });
    const result = await engine.syncNow();
    expect(result).toMatchObject({ ok: false, error: { code: 'unexpected_error', errorClass: 'retryable' } });
    expect(engine.status().collectorFailures[0]).toMatchObject({ collector: 'static', message: 'static broke' });
    expect(await engine.syncNow()).toEqual({ ok: true, sent: 1 });
    await engine.stop();
  });

  it('re-sends everything once the daily full refresh is due and when the identity changes', async () => {
    const { clock, api, engine } = await setup();
    await engine.syncNow();
    await clock.advance(23 * 60 * MIN);
    await engine.syncNow();
    expect(api.calls).toHaveLength(1);
    await clock.advance(60 * MIN);
    await engine.syncNow();
    expect(api.calls[1]?.variables).toEqual({ os: 'linux', cpu_load_pct: 10, ram_used_pct: 40 });
    engine.updateOptions(options({ identity: { product: 'demo', hardwareId: 'hw-2', licenseKey: 'AAAA-BBBB' } }));
    await engine.syncNow();
    expect(api.calls[2]?.variables).toEqual({ os: 'linux', cpu_load_pct: 10, ram_used_pct: 40 });
    expect(engine.status().hardwareId).toBe('hw-2');
    await engine.stop();
  });

  it('re-sends everything after any configuration change, so new credentials prove themselves at once', async () => {
    const { api, engine } = await setup();
    await engine.syncNow();
    await engine.syncNow();
    expect(api.calls).toHaveLength(1); // in sync: nothing to send
    engine.updateOptions(options({ intervalMs: 20 * MIN }));
    await engine.syncNow();
    expect(api.calls).toHaveLength(2);
    expect(api.calls[1]?.variables).toEqual({ os: 'linux', cpu_load_pct: 10, ram_used_pct: 40 });
    await engine.syncNow();
    expect(api.calls).toHaveLength(2);
    await engine.stop();
  });

  it('treats another server as another identity: acknowledged values are not carried over', async () => {
    const { api, engine } = await setup();
    await engine.syncNow();
    engine.updateOptions(options({ display: { apiUrl: 'https://other.example/api/v4/', usingSandbox: false, licenseDisplay: '••BBBB' } }));
    await engine.syncNow();
    expect(api.calls[1]?.variables).toEqual({ os: 'linux', cpu_load_pct: 10, ram_used_pct: 40 });
    expect(engine.status().variables.every((v) => !v.pending)).toBe(true);
    await engine.stop();
  });

  it('sends values from a timed-out request once more a cycle after the next success (a late copy may have landed)', async () => {
    const { api, col, engine } = await setup();
    await engine.syncNow();
    col.values.cpu_load_pct = 55;
    api.failures.push(apiError('timeout', 'retryable'));
    expect((await engine.syncNow()).ok).toBe(false);
    col.values.cpu_load_pct = 60;
    expect(await engine.syncNow()).toEqual({ ok: true, sent: 1 });
    expect(api.calls.at(-1)?.variables).toEqual({ cpu_load_pct: 60 });
    // The server might apply the timed-out copy (55) after the 60: so 60 goes again.
    expect(engine.status().variables.find((v) => v.name === 'cpu_load_pct')?.pending).toBe(true);
    expect(await engine.syncNow()).toEqual({ ok: true, sent: 1 });
    expect(api.calls.at(-1)?.variables).toEqual({ cpu_load_pct: 60 });
    expect(await engine.syncNow()).toEqual({ ok: true, sent: 0 });
    await engine.stop();
  });

  it('does not re-send after failures where the request surely did not land (refused, 503)', async () => {
    const { api, col, engine } = await setup();
    await engine.syncNow();
    col.values.cpu_load_pct = 55;
    api.failures.push(apiError('network_error', 'retryable'), apiError('http_503', 'retryable'));
    await engine.syncNow();
    await engine.syncNow();
    expect(await engine.syncNow()).toEqual({ ok: true, sent: 1 });
    expect(await engine.syncNow()).toEqual({ ok: true, sent: 0 });
    await engine.stop();
  });

  it('shows a state-file problem as a warning in status and keeps syncing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'da-engine-'));
    await writeFile(join(dir, 'state.json'), '{"version":1,"desired":');
    const api = scriptedClient();
    const engine = createSyncEngine(options({ warnings: ['The shared key is in use.'] }), {
      client: api.client, collector: mutableCollector({ cpu_load_pct: 3 }).collector, store: openStateStore({ stateDir: dir }), logger: silentLogger, clock: virtualClock(),
    });
    expect(engine.status().warnings).toEqual(['The shared key is in use.', expect.stringMatching(/moved to .*corrupt.*sends what differs/)]);
    expect(await engine.syncNow()).toEqual({ ok: true, sent: 2 });
    await engine.stop();
  });

  it('shows text from the state file and the server only as printable text (what the window and the CLI receive)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'da-engine-print-'));
    const evil = '\u001b]0;pwned\u0007\u009b2J\u202Etxt.exe';
    await writeFile(join(dir, 'state.json'), JSON.stringify({
      version: 1, desired: { site: `x${evil}` }, acknowledged: {}, staticValues: {}, samples: [],
      lastError: { code: `c${evil}`, errorClass: 'retryable', summary: `s${evil}`, remedy: `r${evil}`, at: 1 },
      history: [{ at: 1, outcome: 'error', sent: 0, code: `h${evil}` }],
    }));
    const api = scriptedClient();
    const engine = createSyncEngine(options({ warnings: [`w${evil}`] }), { client: api.client, collector: mutableCollector({}).collector, store: openStateStore({ stateDir: dir }), logger: silentLogger, clock: virtualClock() });
    const strings: string[] = [];
    JSON.stringify(engine.status(), (_key, value: unknown) => { if (typeof value === 'string') strings.push(value); return value; });
    // eslint-disable-next-line no-control-regex
    expect(strings.filter((text) => /[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/.test(text))).toEqual([]);
    const status = engine.status();
    expect(status.error).toMatchObject({ code: 'c\\u001b]0;pwned\\u0007\\u009b2J\\u202etxt.exe', summary: expect.stringMatching(/^s\\u001b/), remedy: expect.stringMatching(/^r\\u001b/) });
    expect(status.warnings).toEqual(['w\\u001b]0;pwned\\u0007\\u009b2J\\u202etxt.exe']);
    expect(status.variables[0]!.value).toBe('x\\u001b]0;pwned\\u0007\\u009b2J\\u202etxt.exe');
    expect(status.history[0]!.code).toBe('h\\u001b]0;pwned\\u0007\\u009b2J\\u202etxt.exe');
  });
});

/** Gives the scripted client check_license and get_device_variables, each answering from a script. */
function withServer(api: ReturnType<typeof scriptedClient>, held: Record<string, string> = {}) {
  const checks: Array<Error | Record<string, unknown>> = [];
  const reads: Array<Error | undefined> = [];
  const log: string[] = [];
  api.client.checkLicense = async () => {
    log.push('check');
    const next = checks.shift() ?? { licenseType: 'perpetual', licenseEnabled: true, licenseActive: true, isExpired: false };
    if (next instanceof Error) throw next;
    return next;
  };
  api.client.getDeviceVariables = async () => {
    log.push('get');
    const failure = reads.shift();
    if (failure) throw failure;
    return Object.entries(held).map(([variable, value]) => ({ variable, value, createdAt: 1 }));
  };
  return { checks, reads, log, held };
}

describe('the license check and reconciliation steps', () => {
  it('checks the license at the first cycle and then daily; its answer is in the status', async () => {
    const { clock, api, engine } = await setup();
    const server = withServer(api);
    expect(await engine.syncNow()).toMatchObject({ ok: true });
    expect(server.log).toEqual(['check', 'get']);
    expect(engine.status().license?.summary).toBe('perpetual license · enabled · active · does not expire');
    await engine.syncNow();
    expect(server.log).toEqual(['check', 'get']);
    await clock.advance(24 * 60 * MIN);
    await engine.syncNow();
    expect(server.log).toEqual(['check', 'get', 'check']);
    await engine.stop();
  });

  it.each([
    ['disabled', { licenseType: 'perpetual', licenseEnabled: false, licenseActive: true }, 'license_not_enabled'],
    ['not active', { licenseType: 'perpetual', licenseEnabled: true, licenseActive: false }, 'license_not_active'],
    ['expired', { licenseType: 'time-limited', licenseEnabled: true, licenseActive: true, isExpired: true }, 'license_expired'],
  ])('a license the server says is %s stops the cycle before anything is sent, in words', async (_what, facts, code) => {
    const { api, engine } = await setup();
    const server = withServer(api);
    server.checks.push(facts);
    const result = await engine.syncNow();
    expect(result).toMatchObject({ ok: false, error: { code, errorClass: 'license-state' } });
    expect(api.calls).toEqual([]);
    expect(server.log).toEqual(['check']);
    expect(engine.status().phase).toBe('attention');
    await engine.stop();
  });

  it.each([
    ['a license-state error', apiError('license_not_found', 'needs-configuration'), false, 'license_not_found'],
    ['a configuration error', apiError('invalid_api_key', 'needs-configuration'), false, 'invalid_api_key'],
    ['a wrong API path', apiError('not_found', 'needs-configuration'), true, undefined],
    ['a passing server fault', apiError('http_503', 'retryable'), true, undefined],
    ['something unexpected', new Error('boom'), true, undefined],
  ])('a license check failing with %s: the cycle goes on %s', async (_what, failure, goesOn, code) => {
    const { api, engine } = await setup();
    const server = withServer(api);
    server.checks.push(failure);
    const result = await engine.syncNow();
    if (goesOn) {
      expect(result).toMatchObject({ ok: true, sent: 3 });
    } else {
      expect(result).toMatchObject({ ok: false, error: { code } });
      expect(api.calls).toEqual([]);
    }
    await engine.stop();
  });

  it('a failed check is asked again next cycle after a server fault, but not before a day after a refusal', async () => {
    const { api, engine } = await setup();
    const server = withServer(api);
    server.checks.push(apiError('http_503', 'retryable'));
    await engine.syncNow();
    await engine.syncNow();
    expect(server.log.filter((c) => c === 'check')).toHaveLength(2);
    const other = await setup();
    const refused = withServer(other.api);
    refused.checks.push(apiError('not_found', 'needs-configuration'));
    await other.engine.syncNow();
    await other.engine.syncNow();
    expect(refused.log.filter((c) => c === 'check')).toHaveLength(1);
    await engine.stop();
    await other.engine.stop();
  });

  it('device not found at the check: activates (with autoActivate) instead of sending', async () => {
    const { api, engine } = await setup({ autoActivate: true });
    const server = withServer(api);
    server.checks.push(apiError('device_not_found', 'needs-activation'));
    expect(await engine.syncNow()).toEqual({ ok: true, sent: 3 });
    expect(api.calls.map((c) => c.endpoint)).toEqual(['activate']);
    await engine.stop();
  });

  it('a new identity sends only what the server does not already hold (compared as text)', async () => {
    const { api, engine } = await setup();
    withServer(api, { os: 'linux', cpu_load_pct: '10', ram_used_pct: '39' });
    expect(await engine.syncNow()).toEqual({ ok: true, sent: 1 });
    expect(api.calls).toEqual([{ endpoint: 'track', variables: { ram_used_pct: 40 } }]);
    expect(await engine.syncNow()).toEqual({ ok: true, sent: 0 });
    await engine.stop();
  });

  it('a new identity whose server already holds everything sends nothing, and counts as the daily refresh', async () => {
    const { clock, api, engine } = await setup();
    withServer(api, { os: 'linux', cpu_load_pct: '10', ram_used_pct: '40' });
    expect(await engine.syncNow()).toEqual({ ok: true, sent: 0 });
    await clock.advance(23 * 60 * MIN);
    expect(await engine.syncNow()).toEqual({ ok: true, sent: 0 });
    expect(api.calls).toEqual([]);
    await engine.stop();
  });

  it.each([
    ['a server fault stops the cycle (nothing known, nothing sent)', apiError('http_503', 'retryable'), false],
    ['any other failure sends every value', apiError('validation_error', 'fatal'), true],
    ['an unexpected failure sends every value', new Error('boom'), true],
  ])('reading what the server holds fails: %s', async (_what, failure, sends) => {
    const { api, engine } = await setup();
    const server = withServer(api, { os: 'linux' });
    server.reads.push(failure);
    const result = await engine.syncNow();
    if (sends) {
      expect(result).toEqual({ ok: true, sent: 3 });
      expect(api.calls[0]?.variables).toEqual({ os: 'linux', cpu_load_pct: 10, ram_used_pct: 40 });
    } else {
      expect(result).toMatchObject({ ok: false, error: { code: 'http_503' } });
      expect(api.calls).toEqual([]);
    }
    await engine.stop();
  });

  it('after a timed-out send, the values in doubt are read back from the server, not re-sent blindly', async () => {
    const { api, col, engine } = await setup();
    const server = withServer(api, { os: 'linux', cpu_load_pct: '10', ram_used_pct: '40' });
    await engine.syncNow();
    col.values.cpu_load_pct = 55;
    api.failures.push(apiError('timeout', 'retryable'));
    await engine.syncNow();
    server.held.cpu_load_pct = '55'; // the timed-out request did land
    server.log.length = 0;
    expect(await engine.syncNow()).toEqual({ ok: true, sent: 0 });
    expect(server.log).toEqual(['get']);
    await engine.stop();
  });
});

describe('activation limits, license words, the hardware id file and deactivation', () => {
  it('an unsigned device_not_found after an activation does not activate again within a day, and says when it will', async () => {
    const { clock, api, col, engine } = await setup({ autoActivate: true });
    api.failures.push(apiError('device_not_found', 'needs-activation'));
    expect(await engine.syncNow()).toEqual({ ok: true, sent: 3 });
    expect(api.calls.map((c) => c.endpoint)).toEqual(['track', 'activate']);
    const activatedAt = clock.now();
    await clock.advance(60 * MIN);
    col.values.cpu_load_pct = 11;
    api.failures.push(apiError('device_not_found', 'needs-activation'));
    const refused = await engine.syncNow();
    expect(api.calls.map((c) => c.endpoint)).toEqual(['track', 'activate', 'track']);
    expect(refused).toMatchObject({ ok: false, error: { code: 'device_not_found', errorClass: 'needs-activation' } });
    const at = new Date(activatedAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const next = new Date(activatedAt + 24 * 60 * MIN).toISOString().replace(/\.\d{3}Z$/, 'Z');
    expect(refused.error?.summary).toBe(`device_not_found happened, although the agent activated it at ${at}.`);
    expect(refused.error?.remedy).toContain(`(next: ${next})`);
    await clock.advance(23 * 60 * MIN);
    api.failures.push(apiError('device_not_found', 'needs-activation'));
    expect(await engine.syncNow()).toMatchObject({ ok: true });
    expect(api.calls.map((c) => c.endpoint)).toEqual(['track', 'activate', 'track', 'track', 'activate']);
    await engine.stop();
  });

  it('a signed device_not_found may activate again at once', async () => {
    const { api, col, engine } = await setup({ autoActivate: true });
    api.failures.push(apiError('device_not_found', 'needs-activation'));
    await engine.syncNow();
    col.values.cpu_load_pct = 11;
    api.failures.push(Object.assign(apiError('device_not_found', 'needs-activation'), { signed: true }));
    expect(await engine.syncNow()).toMatchObject({ ok: true });
    expect(api.calls.map((c) => c.endpoint)).toEqual(['track', 'activate', 'track', 'activate']);
    await engine.stop();
  });

  it('a license error from a send is told with the license\'s state in words, keeping its code', async () => {
    const { api, col, engine } = await setup();
    const server = withServer(api, {});
    await engine.syncNow();
    col.values.cpu_load_pct = 11;
    server.checks.push({ licenseType: 'perpetual', licenseEnabled: false, licenseActive: true });
    api.failures.push(apiError('license_not_enabled', 'license-state', 3_000));
    const result = await engine.syncNow();
    expect(result).toMatchObject({ ok: false, error: { code: 'license_not_enabled', summary: 'The license is disabled (perpetual license · disabled · active · does not expire).' } });
    server.checks.push({ licenseType: 'perpetual', licenseEnabled: true, licenseActive: true });
    api.failures.push(apiError('blacklisted', 'license-state'));
    const other = await engine.syncNow();
    expect(other.error?.summary).toBe('blacklisted happened (perpetual license · enabled · active · does not expire).');
    await engine.stop();
  });

  it('a hardware id file that names another id is a new identity; one that cannot be read stops the cycle', async () => {
    let hardwareId = 'hw-1';
    let fails = false;
    const { api, engine } = await setup({ refreshHardwareId: async () => { if (fails) throw new Error('EACCES'); return hardwareId; } });
    await engine.syncNow();
    await engine.syncNow();
    expect(api.calls).toHaveLength(1);
    hardwareId = 'hw-2';
    expect(await engine.syncNow()).toEqual({ ok: true, sent: 3 });
    expect(engine.status().hardwareId).toBe('hw-2');
    fails = true;
    const failed = await engine.syncNow();
    expect(failed).toMatchObject({ ok: false, error: { code: 'hardware_id_unavailable' } });
    expect(api.calls).toHaveLength(2);
    await engine.stop();
  });

  it('deactivation: refused without the port; on success it pauses, forgets what was acknowledged and says so; a failure keeps syncing', async () => {
    const { api, engine } = await setup();
    expect(await engine.deactivate()).toMatchObject({ ok: false, error: { code: 'not_supported' } });
    const calls: string[] = [];
    let failNext = true;
    api.client.deactivateLicense = async () => {
      calls.push('deactivate');
      if (failNext) { failNext = false; throw apiError('http_503', 'retryable'); }
    };
    await engine.syncNow();
    expect(await engine.deactivate()).toMatchObject({ ok: false, error: { code: 'http_503' } });
    expect(engine.status().phase).not.toBe('paused');
    expect(await engine.deactivate()).toEqual({ ok: true });
    expect(calls).toEqual(['deactivate', 'deactivate']);
    expect(engine.status().phase).toBe('paused');
    expect(engine.status().headline).toMatch(/^Deactivated/);
    await engine.stop();
  });
});
