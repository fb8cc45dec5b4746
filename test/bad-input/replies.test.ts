// Bad server replies, table-driven: a tiny loopback server answers the client with
// wrong shapes, unexpected types, huge and malformed bodies. Each ends as a
// LicenseApiError with a plain summary (never a crash, never the body echoed: only an
// error body's `message`, for a code the agent does not know, is quoted — one printable
// line of at most 200 characters), and
// through the engine as a status that says the server is unavailable.
import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLicenseApiClient } from '../../app/licenseapi/client.ts';
import { LicenseApiError } from '../../app/licenseapi/errors.ts';
import { silentLogger } from '../../app/log/logger.ts';
import { openStateStore } from '../../app/state/state-store.ts';
import { createSyncEngine } from '../../app/sync/engine.ts';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Canned { status: number; body: string | Buffer; headers?: Record<string, string> }
let next: Canned = { status: 200, body: '[]' };
let server: Server;
let apiUrl = '';

beforeAll(async () => {
  server = createServer((req, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(next.status, { 'Content-Type': 'application/json', Date: new Date().toUTCString(), ...next.headers });
      res.end(next.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v4/`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const client = () => createLicenseApiClient({ apiUrl, auth: { kind: 'hmac', apiKey: 'api-key-1', sharedKey: 'shared-key-1' }, timeoutMs: 3_000 });
const identity = { product: 'demo', hardwareId: 'hw-bad-replies', licenseKey: 'AAAA-BBBB' };
const row = (over: Record<string, unknown> = {}) => ({ variable: 'site', value: 'lab', device_id: 1, created_at: '2025-01-01T00:00:00Z', ...over });
const json = (value: unknown) => JSON.stringify(value);

async function rejectionOf(promise: Promise<unknown>): Promise<LicenseApiError> {
  try {
    await promise;
  } catch (error) {
    return error as LicenseApiError;
  }
  throw new Error('expected the call to fail');
}

/** [label, reply, expected error code] */
const CASES: Array<[string, Canned, string | RegExp]> = [
  ['an object instead of a list', { status: 200, body: json({ variable: 'site' }) }, 'invalid_response'],
  ['null', { status: 200, body: 'null' }, 'invalid_response'],
  ['a number', { status: 200, body: '42' }, 'invalid_response'],
  ['a string', { status: 200, body: json('ok') }, 'invalid_response'],
  ['a list of numbers', { status: 200, body: json([1, 2]) }, 'invalid_response'],
  ['a row without a name', { status: 200, body: json([row({ variable: undefined })]) }, 'invalid_response'],
  ['a row whose name is a number', { status: 200, body: json([row({ variable: 7 })]) }, 'invalid_response'],
  ['a row whose value is an object', { status: 200, body: json([row({ value: { a: 1 } })]) }, 'invalid_response'],
  ['a row whose value is a list', { status: 200, body: json([row({ value: [1] })]) }, 'invalid_response'],
  ['a row with a bad date', { status: 200, body: json([row({ created_at: 'yesterday' })]) }, 'invalid_response'],
  ['a row with a __proto__ key', { status: 200, body: `[${json(row()).slice(0, -1)},"__proto__":{"polluted":true}}]` }, /invalid_response|^$/],
  ['HTML', { status: 200, body: '<html><body>Welcome to the captive portal</body></html>', headers: { 'Content-Type': 'text/html' } }, 'invalid_response'],
  ['an empty body', { status: 200, body: '' }, 'invalid_response'],
  ['truncated JSON', { status: 200, body: '[{"variable":"site","val' }, 'invalid_response'],
  ['invalid UTF-8', { status: 200, body: Buffer.from([0x5b, 0xff, 0xfe, 0x5d]) }, 'invalid_response'],
  ['deeply nested arrays', { status: 200, body: `${'['.repeat(100_000)}${']'.repeat(100_000)}` }, 'invalid_response'],
  ['a 2 MiB body (over the 1 MiB bound)', { status: 200, body: json(Array.from({ length: 20_000 }, (_, i) => row({ variable: `v${i}`, value: 'x'.repeat(80) }))) }, 'invalid_response'],
  ['400 with a body that is not the error shape', { status: 400, body: json({ error: 'nope' }) }, 'http_400'],
  ['400 with an unknown code', { status: 400, body: json({ status: 400, code: 'brand_new_code', message: 'x' }) }, 'http_400'],
  ['401 with a huge message', { status: 401, body: json({ status: 401, code: 'unauthorized', message: 'm'.repeat(500_000) }) }, /./],
  ['418 with HTML', { status: 418, body: '<h1>teapot</h1>', headers: { 'Content-Type': 'text/html' } }, 'http_418'],
  ['302 redirect elsewhere (not followed)', { status: 302, body: '', headers: { Location: 'http://203.0.113.1/steal' } }, /http_302|invalid_response/],
  ['500 with malformed JSON', { status: 500, body: '{"status":500,' }, /http_500|internal_error/],
  ['503 with a nonsense Retry-After', { status: 503, body: '', headers: { 'Retry-After': 'soon-ish' } }, 'http_503'],
];

describe('bad replies to track_device_variables', () => {
  it('shows the server\'s message for a code the agent does not know, as one bounded printable line', async () => {
    next = { status: 403, body: json({ status: 403, code: 'quota_exceeded', message: 'Quota for\u0007 this\n\napi key is used up; see https://x.example/help' }) };
    const error = await rejectionOf(client().trackDeviceVariables({ ...identity, variables: { site: 'lab' } }));
    expect(error).toMatchObject({ code: 'http_403', errorClass: 'fatal', serverCode: 'quota_exceeded' });
    expect(error.summary).toBe('The License API refused the request with HTTP 403. The server said: "Quota for this api key is used up; see https://x.example/help".');
  });

  it.each(CASES)('%s', async (_label, canned, code) => {
    next = canned;
    let error: unknown;
    let value: unknown;
    try {
      value = await client().trackDeviceVariables({ ...identity, variables: { site: 'lab' } });
    } catch (e) {
      error = e;
    }
    if (error === undefined) {
      // Only acceptable when the reply was valid after all (the __proto__ key is dropped as an unknown field).
      expect(code instanceof RegExp && code.test('')).toBe(true);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Array.isArray(value)).toBe(true);
      return;
    }
    expect(error).toBeInstanceOf(LicenseApiError);
    const apiError = error as LicenseApiError;
    if (typeof code === 'string') expect(apiError.code).toBe(code);
    else expect(apiError.code).toMatch(code);
    expect(apiError.summary).toMatch(/^[A-Z].*\.$/); // a plain sentence
    expect(apiError.message.length).toBeLessThan(400); // the body is never echoed
    expect(apiError.message).not.toMatch(/captive portal|teapot|m{200}/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('through the engine: the cycle ends, the status says the server is unavailable, the values stay pending', async () => {
    next = { status: 200, body: '<html>portal</html>', headers: { 'Content-Type': 'text/html' } };
    const engine = createSyncEngine({
      identity, intervalMs: 60_000, autoActivate: false, display: { apiUrl, usingSandbox: false, licenseDisplay: '••••BBBB' },
    }, {
      client: client(),
      collector: { async collectStatic() { return { values: {}, failures: [], durationMs: 0 }; }, async collectDynamic() { return { values: { site: 'lab' }, failures: [], durationMs: 0 }; } },
      store: openStateStore({ stateDir: await mkdtemp(join(tmpdir(), 'da-bad-reply-')) }),
      logger: silentLogger,
    });
    const result = await engine.syncNow();
    expect(result.error?.code).toBe('invalid_response');
    const status = engine.status();
    expect(status.phase).toBe('pending');
    expect(status.headline).toMatch(/^Server unavailable/);
    expect(status.variables).toEqual([{ name: 'site', value: 'lab', pending: true }]);
    await engine.stop();
  });
});
