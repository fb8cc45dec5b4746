import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { ERROR_CODES } from '../app/licenseapi/error-codes.ts';
import type { ServerErrorCode } from '../app/licenseapi/error-codes.ts';
import { httpDate, sign } from '../app/licenseapi/signing.ts';
import { startSandbox } from './server.ts';
import type { Sandbox } from './server.ts';
import { activateDemo, callApi, fetchToken, isErrorBody, signatureValid } from '../test/support/sandbox-calls.ts';
import type { CallResult } from '../test/support/sandbox-calls.ts';

const START = Date.UTC(2030, 0, 15, 12, 0, 0);
let clock = START;
let sandbox: Sandbox;
const HW = 'auth-test-device';
const MIN = 60_000;

function expectError(result: CallResult, code: ServerErrorCode): void {
  expect(result.json).toEqual({ status: ERROR_CODES[code].status, code, message: ERROR_CODES[code].serverMessage });
  expect(result.status).toBe(ERROR_CODES[code].status);
  expect(isErrorBody(result.json)).toBe(true);
  expect(result.headers.get('date')).toBe(httpDate(clock));
  // The vendor signs no error reply; neither does the sandbox by default.
  expect(result.headers.get('licensesignature')).toBeNull();
}

const check = (options: Parameters<typeof callApi>[2] = {}) => callApi(sandbox, 'check_license', {
  signAt: clock,
  params: { product: sandbox.demo.product, license_key: sandbox.demo.licenseKey, hardware_id: HW },
  ...options,
});

beforeAll(async () => {
  sandbox = await startSandbox({ now: () => clock });
  await activateDemo(sandbox, HW, {}, clock);
});
afterAll(() => sandbox.close());

describe('HMAC authorization', () => {
  it('accepts the compact header the SDKs send', async () => {
    const result = await check();
    expect(result.status).toBe(200);
    expect(signatureValid(sandbox, result)).toBe(true);
  });

  it('accepts the documented form with spaces after the commas, and the apiKey spelling', async () => {
    const date = httpDate(clock);
    const signature = sign(sandbox.demo.sharedKey, date);
    for (const authorization of [
      `algorithm="hmac-sha256", headers="date", signature="${signature}", apikey="${sandbox.demo.apiKey}"`,
      `algorithm="hmac-sha256",headers="date",signature="${signature}",apiKey="${sandbox.demo.apiKey}"`,
    ]) {
      expect((await check({ headers: { Date: date, Authorization: authorization } })).status).toBe(200);
    }
  });

  it('refuses a request without Date or without Authorization: missing_headers', async () => {
    expectError(await check({ headers: { Date: undefined } }), 'missing_headers');
    expectError(await check({ headers: { Authorization: undefined } }), 'missing_headers');
  });

  it('refuses a malformed Authorization or a Date that is not IMF-fixdate: authorization_invalid_headers', async () => {
    expectError(await check({ headers: { Authorization: 'hmac garbage' } }), 'authorization_invalid_headers');
    expectError(await check({ headers: { Date: new Date(clock).toISOString() } }), 'authorization_invalid_headers');
    const date = httpDate(clock);
    const md5 = `algorithm="hmac-md5",headers="date",signature="${sign(sandbox.demo.sharedKey, date)}",apikey="${sandbox.demo.apiKey}"`;
    expectError(await check({ headers: { Date: date, Authorization: md5 } }), 'authorization_invalid_headers');
  });

  it('tells a well-formed header lacking a part: authorization_missing_params', async () => {
    expectError(await check({ headers: { Authorization: `algorithm="hmac-sha256",headers="date",apikey="${sandbox.demo.apiKey}"` } }), 'authorization_missing_params');
  });

  it('refuses an unknown API key: invalid_api_key', async () => {
    expectError(await check({ apiKey: 'no-such-key' }), 'invalid_api_key');
  });

  it('refuses a wrong shared key, and the published negative case (no "date: " prefix): signature_mismatch', async () => {
    expectError(await check({ sharedKey: 'wrong-shared-key' }), 'signature_mismatch');
    const date = httpDate(clock);
    const withoutPrefix = createHmac('sha256', sandbox.demo.sharedKey).update(`licenseSpring\n${date}`).digest('base64');
    expectError(await check({ headers: { Date: date, Authorization: `algorithm="hmac-sha256",headers="date",signature="${withoutPrefix}",apikey="${sandbox.demo.apiKey}"` } }), 'signature_mismatch');
  });

  it('refuses a Date more than 15 minutes old or ahead: date_header_diff; accepts 15 minutes exactly', async () => {
    expectError(await check({ signAt: clock - 16 * MIN }), 'date_header_diff');
    expectError(await check({ signAt: clock + 16 * MIN }), 'date_header_diff');
    expect((await check({ signAt: clock - 15 * MIN })).status).toBe(200);
    expect((await check({ signAt: clock + 15 * MIN })).status).toBe(200);
  });

  it('refuses revoked keys, and read-only keys for writes only', async () => {
    const revoked = sandbox.admin.addApiKey({ revoked: true });
    expectError(await check(revoked), 'revoked_api_key');
    const readOnly = sandbox.admin.addApiKey({ readOnly: true });
    expect((await check(readOnly)).status).toBe(200);
    const track = await callApi(sandbox, 'track_device_variables', {
      ...readOnly, signAt: clock,
      params: { product: sandbox.demo.product, license_key: sandbox.demo.licenseKey, hardware_id: HW, variables: { a: 1 } },
    });
    expectError(track, 'read_only_api_key');
  });
});

describe('OAuth client credentials', () => {
  it('issues a Bearer token that authorizes API calls (with a Date header)', async () => {
    const response = await fetchToken(sandbox);
    expect(response.status).toBe(200);
    const token = await response.json() as { access_token: string; expires_in: number; token_type: string; scope: string };
    expect(token).toMatchObject({ expires_in: 480, token_type: 'Bearer', scope: 'profile email' });
    expect(token.access_token.length).toBeGreaterThan(20);
    expect((await check({ bearer: token.access_token })).status).toBe(200);
    expectError(await check({ bearer: token.access_token, headers: { Date: undefined } }), 'missing_headers');
  });

  it('accepts HTTP Basic client authentication', async () => {
    const { clientId, clientSecret } = sandbox.demo.oauth;
    const response = await fetch(sandbox.demo.oauth.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    expect(response.status).toBe(200);
  });

  it('refuses bad client credentials with 401 invalid_client, and other grant types', async () => {
    const bad = await fetchToken(sandbox, sandbox.demo.oauth.clientId, 'wrong');
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ error: 'invalid_client' });
    expect((await fetchToken(sandbox, 'unknown-client', 'x')).status).toBe(401);
    const grant = await fetch(sandbox.demo.oauth.tokenUrl, { method: 'POST', body: 'grant_type=password&username=a&password=b', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(grant.status).toBe(400);
  });

  it('refuses an unknown token (oauth_token_malformed) and an expired one (oauth_token_expired)', async () => {
    expectError(await check({ bearer: 'not-a-token' }), 'oauth_token_malformed');
    const token = (await (await fetchToken(sandbox)).json() as { access_token: string }).access_token;
    clock += 481_000;
    try {
      expectError(await check({ bearer: token }), 'oauth_token_expired');
    } finally {
      clock = START;
    }
  });
});
