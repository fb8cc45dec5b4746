// Fault matrix, network and server side: the real engine, client and state files
// against the sandbox on 127.0.0.1, cycles driven by a virtual clock (no real waits).
// Every scenario ends with the server holding exactly the device's latest values and
// the status having said, in plain words, what happened on the way.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLicenseApiClient } from '../../app/licenseapi/client.ts';
import { createTransport } from '../../app/licenseapi/transport.ts';
import type { Sandbox } from '../../sandbox/server.ts';
import {
  HOUR, engineRig, expectServerHoldsLatest, runScheduledCycle, switchableSandbox, trackStatuses,
} from './harness.ts';
import type { EngineRig, SwitchableSandbox } from './harness.ts';

let sb: SwitchableSandbox;
const box = (): Sandbox => sb.current;
const rigs: EngineRig[] = [];

beforeAll(async () => {
  sb = await switchableSandbox();
});
afterAll(async () => {
  await Promise.all(rigs.map((r) => r.engine.stop()));
  await sb.close();
});
beforeEach(async () => {
  await sb.up();
  box().faults.clear();
  box().admin.resetRequestLog();
});

async function rig(options: Parameters<typeof engineRig>[1]): Promise<EngineRig> {
  const r = await engineRig(sb, options);
  rigs.push(r);
  await r.engine.start();
  return r;
}

/** A device that has synced once (activated, values on the server), with the request log reset. */
async function syncedRig(values: Record<string, string | number | boolean>, options: Omit<Parameters<typeof engineRig>[1], 'values'> = {}): Promise<EngineRig> {
  const r = await rig({ values, ...options });
  const first = await runScheduledCycle(r.clock, r.engine);
  expect(first.status.phase).toBe('synced');
  box().admin.resetRequestLog();
  return r;
}

describe('server unreachable', () => {
  it('down at start: says it is offline, retries with backoff, syncs when the server comes up', async () => {
    await sb.down();
    const r = await rig({ values: { site: 'lab', seats: 3 } });
    const first = await runScheduledCycle(r.clock, r.engine);
    expect(first.status.phase).toBe('pending');
    expect(first.status.headline).toMatch(/^Offline — will retry in \d+ min$/);
    expect(first.status.error).toMatchObject({ code: 'network_error', summary: 'The License API could not be reached.' });
    expect(first.status.variables.every((v) => v.pending)).toBe(true);
    const second = await runScheduledCycle(r.clock, r.engine);
    expect(second.status.error?.code).toBe('network_error');

    await sb.up();
    const third = await runScheduledCycle(r.clock, r.engine);
    expect(third.status.phase).toBe('synced');
    expect(third.status.headline).toBe('Synced just now');
    expect(third.status.error).toBeUndefined();
    await expectServerHoldsLatest(box(), r, { site: 'lab', seats: 3 });
  });

  it('down mid-run for several cycles: backoff grows, nothing is lost, one request when it returns', async () => {
    const r = await syncedRig({ site: 'a', n: 0 });
    await sb.down();
    const delays: number[] = [];
    let next = r.engine.status().nextSyncAt! - r.clock.now();
    for (let i = 1; i <= 5; i++) {
      r.device.set({ site: 'a', n: i });
      const cycle = await runScheduledCycle(r.clock, r.engine);
      delays.push(next);
      next = cycle.status.nextSyncAt! - r.clock.now();
      expect(cycle.status.phase).toBe('pending');
      expect(cycle.status.headline).toMatch(/^Offline — will retry in /);
      expect(cycle.status.variables.find((v) => v.name === 'n')).toMatchObject({ value: i, acknowledged: 0, pending: true });
    }
    // After the regular interval, each retry waits longer (1.5 × a window that starts at the
    // 15-min interval and doubles up to half the 1 h cap: 22.5 min, then 45 min).
    expect(delays.slice(1)).toEqual([22.5 * 60_000, 45 * 60_000, 45 * 60_000, 45 * 60_000]);

    await sb.up();
    const back = await runScheduledCycle(r.clock, r.engine);
    expect(back.status.phase).toBe('synced');
    expect(trackStatuses(box())).toEqual([200]);
    await expectServerHoldsLatest(box(), r, { site: 'a', n: 5 });
  });

  it('a long outage with values changing all along ends in ONE request carrying only the latest values', async () => {
    const r = await syncedRig({ site: 'hq', cpu: 10, disk: 50, os: 'linux' });
    await sb.down();
    const started = r.clock.now();
    for (let i = 1; i <= 15; i++) {
      r.device.set({ site: 'hq', cpu: 10 + i, disk: 50 + (i % 3), os: 'linux' });
      const cycle = await runScheduledCycle(r.clock, r.engine);
      // Refused connections; the first may be a pooled keep-alive socket the dying server cut.
      expect(['network_error', 'connection_reset']).toContain(cycle.status.error?.code);
      expect(cycle.status.headline).toMatch(/^Offline — will retry in /);
    }
    expect(r.clock.now() - started).toBeGreaterThan(2 * HOUR); // a long outage in virtual time
    r.device.set({ site: 'hq', cpu: 99, disk: 52, os: 'linux' });
    await sb.up();
    const back = await runScheduledCycle(r.clock, r.engine);
    expect(back.status.phase).toBe('synced');
    expect(box().admin.requests().map((q) => [q.endpoint, q.status])).toEqual([['track_device_variables', 200]]);
    expect(back.status.history.at(-1)).toMatchObject({ outcome: 'ok', sent: 2 }); // cpu and disk: os and site never changed
    await expectServerHoldsLatest(box(), r, { site: 'hq', cpu: 99, disk: 52, os: 'linux' });
  });

  it('DNS failure: says the host name could not be resolved, then syncs once the name resolves', async () => {
    const r = await rig({ values: { site: 'dns' }, client: { apiUrl: 'http://license-api.device-agent-test.invalid/api/v4/' } });
    const failed = await runScheduledCycle(r.clock, r.engine);
    expect(failed.status.error).toMatchObject({ code: 'dns_failure', summary: 'The License API host name could not be resolved (DNS).' });
    expect(failed.status.headline).toMatch(/^Offline — will retry in /);
    // "The name resolves again": the same engine gets a client for a reachable address (a configuration change).
    const client = createLicenseApiClient({
      apiUrl: sb.url, auth: { kind: 'hmac', apiKey: box().demo.apiKey, sharedKey: box().demo.sharedKey }, publicKeyPem: box().demo.publicKeyPem,
      timeoutMs: 3_000, transport: createTransport({ proxyForUrl: () => '' }),
    });
    const status = r.engine.status();
    r.engine.updateOptions({
      identity: { product: box().demo.product, hardwareId: r.hardwareId, licenseKey: box().demo.licenseKey },
      intervalMs: 15 * 60_000, autoActivate: true, display: { apiUrl: sb.url, usingSandbox: true, licenseDisplay: status.licenseDisplay },
    }, { client });
    const back = await runScheduledCycle(r.clock, r.engine);
    expect(back.status.phase).toBe('synced');
    await expectServerHoldsLatest(box(), r, { site: 'dns' });
  });
});

describe('server errors', () => {
  it('a 5xx burst: each failure says the server is unavailable, then the values arrive', async () => {
    const r = await syncedRig({ site: 'a' });
    r.device.set({ site: 'b' });
    box().faults.inject({ kind: 'status', status: 500, times: 2, paths: ['track_device_variables'] });
    box().faults.inject({ kind: 'status', status: 502, times: 1, paths: ['track_device_variables'] });
    box().faults.inject({ kind: 'status', status: 503, times: 2, paths: ['track_device_variables'] });
    const headlines: string[] = [];
    for (;;) {
      const { status } = await runScheduledCycle(r.clock, r.engine);
      if (status.phase === 'synced') break;
      headlines.push(status.headline);
      expect(headlines.length).toBeLessThan(10);
    }
    expect(trackStatuses(box())).toEqual([500, 500, 502, 503, 503, 200]);
    expect(headlines).toHaveLength(5);
    for (const h of headlines) expect(h).toMatch(/^Server unavailable — will retry in /);
    expect(r.engine.status().history.slice(-6).map((h) => h.code ?? h.outcome)).toEqual(['internal_error', 'internal_error', 'http_502', 'http_503', 'http_503', 'ok']);
    await expectServerHoldsLatest(box(), r, { site: 'b' });
  });

  it('503 with Retry-After in seconds: the next try waits at least that long', async () => {
    const r = await syncedRig({ site: 'a' });
    r.device.set({ site: 'retry-after-seconds' });
    box().faults.inject({ kind: 'status', status: 503, retryAfter: '3600', times: 1, paths: ['track_device_variables'] });
    await runScheduledCycle(r.clock, r.engine);
    const status = r.engine.status();
    expect(status.error?.code).toBe('http_503');
    expect(status.nextSyncAt! - r.clock.now()).toBe(HOUR); // above the 22.5 min the backoff alone would pick
    expect(status.headline).toBe('Server unavailable — will retry in 1 h');
    const back = await runScheduledCycle(r.clock, r.engine);
    expect(back.delayMs).toBe(HOUR);
    expect(back.status.phase).toBe('synced');
    await expectServerHoldsLatest(box(), r, { site: 'retry-after-seconds' });
  });

  it('429 with Retry-After as an HTTP-date, with the device clock an hour slow: the wait is measured on the server\'s clock', async () => {
    const r = await syncedRig({ site: 'a' }, { clockOffsetMs: -HOUR });
    r.device.set({ site: 'retry-after-date' });
    // 50 min: within the 1 h an unsigned reply may ask for (the vendor signs no error reply).
    box().faults.inject({ kind: 'status', status: 429, retryAfter: new Date(Date.now() + 50 * 60_000).toUTCString(), times: 1, paths: ['track_device_variables'] });
    await runScheduledCycle(r.clock, r.engine);
    const status = r.engine.status();
    expect(status.error?.code).toBe('http_429');
    const wait = status.nextSyncAt! - r.clock.now();
    expect(wait).toBeGreaterThanOrEqual(50 * 60_000 - 3_000);
    expect(wait).toBeLessThanOrEqual(50 * 60_000 + 1_000);
    expect(status.headline).toBe('Server unavailable — will retry in 50 min');
    const back = await runScheduledCycle(r.clock, r.engine);
    expect(back.status.phase).toBe('synced');
    await expectServerHoldsLatest(box(), r, { site: 'retry-after-date' });
  });

  it('replies slower than the timeout: reported as "did not answer in time", retried, values arrive', async () => {
    const r = await syncedRig({ site: 'a' }, { client: { timeoutMs: 250 } });
    r.device.set({ site: 'slow' });
    box().faults.inject({ kind: 'latency', ms: 1_000, times: 2, paths: ['track_device_variables'] });
    const started = Date.now();
    const first = await runScheduledCycle(r.clock, r.engine);
    expect(Date.now() - started).toBeLessThan(900); // gave up at the deadline, not when the server answered
    expect(first.status.error).toMatchObject({ code: 'timeout', summary: 'The License API did not answer in time.' });
    expect(first.status.headline).toMatch(/^Offline — will retry in /);
    expect((await runScheduledCycle(r.clock, r.engine)).status.error?.code).toBe('timeout');
    box().admin.resetRequestLog();
    const back = await runScheduledCycle(r.clock, r.engine);
    expect(back.status.error).toBeUndefined();
    // After a timeout the agent asks what the server holds instead of guessing: the late
    // copies have not landed yet, so site is sent.
    expect(box().admin.requests().map((x) => x.endpoint)).toEqual(['get_device_variables', 'track_device_variables']);
    expect(back.status.history.at(-1)).toMatchObject({ outcome: 'ok', sent: 1 });
    // A timed-out request may still land late and overwrite a newer value: what it carried
    // is read back once more a cycle later (a read, not a second write).
    await new Promise((resolve) => setTimeout(resolve, 1_200)); // let any late requests land on the server
    box().admin.resetRequestLog();
    const confirmed = await runScheduledCycle(r.clock, r.engine);
    expect(confirmed.status.phase).toBe('synced');
    expect(box().admin.requests().map((x) => x.endpoint)).toEqual(['get_device_variables']);
    expect(confirmed.status.history.at(-1)).toMatchObject({ outcome: 'nothing-to-send', sent: 0 });
    await expectServerHoldsLatest(box(), r, { site: 'slow' });
  });

  it('a connection reset mid-reply leaves the values pending (the reply was never read) and re-sends them', async () => {
    const r = await syncedRig({ site: 'a' });
    r.device.set({ site: 'reset' });
    box().faults.inject({ kind: 'reset-mid-reply', times: 1, paths: ['track_device_variables'] });
    const first = await runScheduledCycle(r.clock, r.engine);
    expect(first.status.error).toMatchObject({ code: 'connection_reset', summary: 'The connection to the License API was cut before the reply was complete.' });
    expect(first.status.variables.find((v) => v.name === 'site')).toMatchObject({ pending: true, acknowledged: 'a' });
    const back = await runScheduledCycle(r.clock, r.engine);
    expect(back.status.phase).toBe('synced');
    expect(trackStatuses(box())).toHaveLength(2);
    await expectServerHoldsLatest(box(), r, { site: 'reset' });
  });

  it('a dropped connection (no reply at all) is retried like a reset', async () => {
    const r = await syncedRig({ site: 'a' });
    r.device.set({ site: 'drop' });
    box().faults.inject({ kind: 'drop', times: 2, paths: ['track_device_variables'] });
    expect((await runScheduledCycle(r.clock, r.engine)).status.headline).toMatch(/^Offline — will retry in /);
    expect((await runScheduledCycle(r.clock, r.engine)).status.error?.code).toBe('connection_reset');
    expect((await runScheduledCycle(r.clock, r.engine)).status.phase).toBe('synced');
    expect(trackStatuses(box())).toEqual([0, 0, 200]);
    await expectServerHoldsLatest(box(), r, { site: 'drop' });
  });

  it('malformed JSON: "a reply the agent cannot read", nothing acknowledged, retried', async () => {
    const r = await syncedRig({ site: 'a' });
    r.device.set({ site: 'malformed' });
    box().faults.inject({ kind: 'malformed', times: 1, paths: ['track_device_variables'] });
    const first = await runScheduledCycle(r.clock, r.engine);
    expect(first.status.error).toMatchObject({ code: 'invalid_response', summary: 'The License API sent a reply the agent cannot read.' });
    expect(first.status.headline).toMatch(/^Server unavailable — will retry in /);
    expect(first.status.variables.find((v) => v.name === 'site')?.pending).toBe(true);
    expect((await runScheduledCycle(r.clock, r.engine)).status.phase).toBe('synced');
    await expectServerHoldsLatest(box(), r, { site: 'malformed' });
  });

  for (const kind of ['no-signature', 'bad-signature'] as const) {
    it(`${kind === 'no-signature' ? 'a missing' : 'a wrong'} LicenseSignature with a public key configured: the reply is not trusted, values stay pending`, async () => {
      const r = await syncedRig({ site: 'a' });
      r.device.set({ site: kind });
      box().faults.inject({ kind, times: 2, paths: ['track_device_variables'] });
      for (let i = 0; i < 2; i++) {
        const { status } = await runScheduledCycle(r.clock, r.engine);
        expect(status.error).toMatchObject({ code: 'signature_v2_mismatch', summary: 'The reply\'s LicenseSignature was missing or wrong, so the reply was not trusted.' });
        expect(status.variables.find((v) => v.name === 'site')).toMatchObject({ value: kind, acknowledged: 'a', pending: true });
        expect(status.phase).toBe('pending');
      }
      expect((await runScheduledCycle(r.clock, r.engine)).status.phase).toBe('synced');
      expect(trackStatuses(box())).toEqual([200, 200, 200]);
      await expectServerHoldsLatest(box(), r, { site: kind });
    });
  }
});

describe('device clock', () => {
  for (const [label, offset] of [['1 h fast', HOUR], ['1 h slow', -HOUR]] as const) {
    it(`${label}: the first request is refused for its Date, corrected from the server's, and the cycle succeeds`, async () => {
      const r = await rig({ values: { site: `clock-${offset > 0 ? 'fast' : 'slow'}` }, clockOffsetMs: offset });
      const { status } = await runScheduledCycle(r.clock, r.engine);
      expect(status.phase).toBe('synced');
      expect(status.headline).toBe('Synced just now');
      expect(box().admin.requests()[0]).toMatchObject({ endpoint: 'check_license', status: 400, code: 'date_header_diff' });
      expect(Math.abs(r.client.clockOffsetMs() + offset)).toBeLessThan(5_000);
      // Later cycles sign with the corrected clock: no more refusals.
      box().admin.resetRequestLog();
      r.device.set({ site: 'moved' });
      expect((await runScheduledCycle(r.clock, r.engine)).status.phase).toBe('synced');
      expect(trackStatuses(box())).toEqual([200]);
      await expectServerHoldsLatest(box(), r, { site: 'moved' });
    });
  }
});
