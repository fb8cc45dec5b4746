// Server and network faults injected by the sandbox: the client reports each
// as the right class with what the scheduler needs (Retry-After), and recovers
// from clock skew with one corrected retry.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../sandbox/server.ts';
import type { Sandbox } from '../../sandbox/server.ts';
import { freshHardwareId, hmacClient, recordingAdapter, rejectionOf } from './helpers.ts';

const HOUR = 3_600_000;
let sandbox: Sandbox;
let identity: { product: string; hardwareId: string; licenseKey: string };

beforeAll(async () => {
  sandbox = await startSandbox();
  identity = { product: sandbox.demo.product, hardwareId: freshHardwareId(), licenseKey: sandbox.demo.licenseKey };
});
// The device is activated by the first test that runs, not in beforeAll: client code run
// in beforeAll is outside every test, so mutation testing would have to run all tests
// against each mutant of it (docs/testing.md).
let activation: Promise<unknown> | undefined;
beforeEach(async () => {
  activation ??= hmacClient(sandbox).activateLicense(identity);
  await activation;
});
afterEach(() => sandbox.faults.clear());
afterAll(async () => {
  await sandbox?.close();
});

const track = (client = hmacClient(sandbox)) => client.trackDeviceVariables({ ...identity, variables: { n: Math.floor(Math.random() * 1000) } });

describe('status faults', () => {
  it('503 with Retry-After in seconds', async () => {
    sandbox.faults.inject({ kind: 'status', status: 503, retryAfter: '7', times: 1 });
    const error = await rejectionOf(track());
    expect(error).toMatchObject({ code: 'http_503', errorClass: 'retryable', status: 503, retryAfterMs: 7000 });
    await expect(track()).resolves.toHaveLength(1);
  });

  it('429 with Retry-After as an HTTP-date, measured against the server\'s Date', async () => {
    // The server's clock is ours here; our local clock is 1 h behind, which must not stretch the wait.
    sandbox.faults.inject({ kind: 'status', status: 429, retryAfter: new Date(Date.now() + 30_000).toUTCString(), times: 1 });
    const error = await rejectionOf(track(hmacClient(sandbox, { now: () => Date.now() - HOUR })));
    expect(error.code).toBe('http_429');
    expect(error.errorClass).toBe('retryable');
    expect(error.retryAfterMs).toBeGreaterThanOrEqual(27_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(31_000);
  });

  it('500 internal_error is retryable', async () => {
    sandbox.faults.inject({ kind: 'status', status: 500, times: 1 });
    expect(await rejectionOf(track())).toMatchObject({ code: 'internal_error', errorClass: 'retryable' });
  });

  it('502 from something in front of the API is retryable by status', async () => {
    sandbox.faults.inject({ kind: 'status', status: 502, times: 1 });
    expect(await rejectionOf(track())).toMatchObject({ code: 'http_502', errorClass: 'retryable' });
  });
});

describe('network faults', () => {
  it('a reply slower than the timeout is a timeout, within the deadline', async () => {
    sandbox.faults.inject({ kind: 'latency', ms: 2000, times: 1 });
    const started = Date.now();
    const error = await rejectionOf(track(hmacClient(sandbox, { timeoutMs: 300 })));
    expect(error).toMatchObject({ code: 'timeout', errorClass: 'retryable' });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('a dropped connection and a reply cut midway are connection resets', async () => {
    sandbox.faults.inject({ kind: 'drop', times: 1 });
    expect(await rejectionOf(track())).toMatchObject({ code: 'connection_reset', errorClass: 'retryable' });
    sandbox.faults.inject({ kind: 'reset-mid-reply', times: 1 });
    expect(await rejectionOf(track())).toMatchObject({ code: 'connection_reset', errorClass: 'retryable' });
  });

  it('a malformed body is invalid_response (retryable), never a crash', async () => {
    sandbox.faults.inject({ kind: 'malformed', times: 1 });
    expect(await rejectionOf(track())).toMatchObject({ code: 'invalid_response', errorClass: 'retryable' });
  });

  it('a closed port is a network error', async () => {
    const closed = await startSandbox();
    const url = closed.url;
    await closed.close();
    const client = hmacClient(sandbox, { apiUrl: url });
    expect(await rejectionOf(track(client))).toMatchObject({ code: 'network_error', errorClass: 'retryable', detail: 'ECONNREFUSED' });
  });
});

describe('clock skew', () => {
  for (const skew of [HOUR, -HOUR]) {
    it(`recovers from a local clock ${skew > 0 ? '1 h fast' : '1 h slow'} with one corrected retry`, async () => {
      const { adapter, seen } = recordingAdapter();
      const client = hmacClient(sandbox, { adapter, now: () => Date.now() + skew });
      await expect(track(client)).resolves.toHaveLength(1);
      expect(seen.map((s) => s.status)).toEqual([400, 200]);
      expect(JSON.parse(seen[0]!.replyText).code).toBe('date_header_diff');
      expect(Math.abs(client.clockOffsetMs() + skew)).toBeLessThan(3000);
      // The offset is kept: the next call needs no retry.
      await track(client);
      expect(seen).toHaveLength(3);
      expect(seen[2]!.status).toBe(200);
    });
  }

  it('recovers when a reply lied about the time (date-skew fault), with one retry', async () => {
    const { adapter, seen } = recordingAdapter();
    const client = hmacClient(sandbox, { adapter });
    sandbox.faults.inject({ kind: 'date-skew', ms: HOUR, times: 1 });
    await track(client); // succeeds, but teaches the client a wrong +1 h offset
    expect(client.clockOffsetMs()).toBeGreaterThan(HOUR - 3000);
    await track(client); // refused with date_header_diff, corrected from the honest Date, retried
    expect(seen.map((s) => s.status)).toEqual([200, 400, 200]);
    expect(Math.abs(client.clockOffsetMs())).toBeLessThan(3000);
  });
});
