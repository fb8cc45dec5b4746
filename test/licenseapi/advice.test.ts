// Errors whose advice used to be wrong for their cause, against real local
// servers: https:// to a plain-HTTP port, a reply with too many headers, every
// way the OAuth token endpoint can fail (named as the token endpoint, never as
// "the License API … check the API URL"), an unsigned redirect (names its target,
// does not park), and Retry-After bounds for unsigned and signed replies.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLicenseApiClient } from '../../app/licenseapi/client.ts';
import type { LicenseApiClientOptions } from '../../app/licenseapi/client.ts';
import { nextAfter, DEFAULT_SCHEDULE } from '../../app/sync/schedule.ts';
import { startSandbox } from '../../sandbox/server.ts';
import type { Sandbox } from '../../sandbox/server.ts';
import { freshHardwareId, hmacClient, rejectionOf } from './helpers.ts';

const HOUR = 3_600_000;
/** A remedy that promises the agent will get there by itself. */
const PROMISES_RETRY = /nothing to do|retries (later )?by itself|retries later/i;

let sandbox: Sandbox;
let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
let server: Server;
let origin = '';

beforeAll(async () => {
  sandbox = await startSandbox({ rsaBits: 1024 });
  server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => sandbox.faults.clear());
afterAll(async () => {
  await sandbox.close();
  await new Promise((resolve) => server.close(resolve));
});

const identity = () => ({ product: sandbox.demo.product, hardwareId: freshHardwareId('advice'), licenseKey: sandbox.demo.licenseKey });

describe('https:// to a port that speaks plain HTTP', () => {
  for (const adapter of ['http', 'fetch'] as const) {
    it(`says the server speaks plain HTTP and to check the API URL, without promising a retry (${adapter} adapter)`, async () => {
      const client = hmacClient(sandbox, { apiUrl: sandbox.url.replace('http://', 'https://'), adapter });
      const error = await rejectionOf(client.checkLicense(identity()));
      expect(error).toMatchObject({ code: 'tls_plain_http', errorClass: 'needs-configuration' });
      expect(error.summary).toMatch(/plain HTTP/);
      expect(error.remedy).toMatch(/API URL/);
      expect(error.remedy).not.toMatch(PROMISES_RETRY);
    });
  }
});

describe('a reply with more headers than Node accepts', () => {
  it('is its own error, not "could not be reached", and is retried at most hourly instead of parking', async () => {
    handler = (_req, res) => {
      const headers: Record<string, string> = {};
      for (let i = 0; i < 1500; i++) headers[`x-proxy-${i}`] = 'y'.repeat(20);
      res.writeHead(200, headers);
      res.end('[]');
    };
    const client = createLicenseApiClient({ apiUrl: `${origin}/api/v4/`, auth: { kind: 'hmac', apiKey: 'k', sharedKey: 's' }, timeoutMs: 3000 });
    const error = await rejectionOf(client.getDeviceVariables(identity()));
    expect(error).toMatchObject({ code: 'reply_headers_too_large', parkable: false });
    expect(error.summary).not.toMatch(/could not be reached/);
    const next = nextAfter({ ok: false, errorClass: error.errorClass, parkable: error.parkable }, { attempt: 0 }, DEFAULT_SCHEDULE, false, () => 0.5);
    expect(next.kind).toBe('retry');
    expect(next.delayMs).toBeLessThanOrEqual(HOUR);
  });
});

describe('the OAuth token endpoint', () => {
  const oauthClient = (tokenUrl: string, extra: Partial<LicenseApiClientOptions> = {}) => createLicenseApiClient({
    apiUrl: sandbox.url, auth: { kind: 'oauth', clientId: sandbox.demo.oauth.clientId, clientSecret: sandbox.demo.oauth.clientSecret, tokenUrl }, timeoutMs: 3000, ...extra,
  });
  const cases: Array<[string, () => string, () => void, string, RegExp, boolean]> = [
    ['unreachable (nothing listens)', () => 'http://127.0.0.1:9/token', () => {}, 'oauth_token_unreachable', /token endpoint/, true],
    ['https:// to a plain-HTTP port', () => sandbox.demo.oauth.tokenUrl.replace('http://', 'https://'), () => {}, 'oauth_token_tls_error', /token URL .*plain HTTP/, false],
    ['404: a wrong token URL', () => `${origin}/no/such/token`, () => { handler = (_req, res) => res.writeHead(404).end('not here'); }, 'oauth_token_endpoint_error', /HTTP 404/, false],
    ['503: the token service is down', () => `${origin}/token`, () => { handler = (_req, res) => res.writeHead(503).end(); }, 'oauth_token_endpoint_error', /HTTP 503/, true],
    ['200 with a login page instead of a token', () => `${origin}/token`, () => { handler = (_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>sign in</html>'); }, 'oauth_token_invalid_reply', /not an access token/, false],
    ['302 to a login page', () => `${origin}/token`, () => { handler = (_req, res) => res.writeHead(302, { Location: 'https://login.example/sso?next=secret' }).end(); }, 'oauth_token_endpoint_error', /redirect .*https:\/\/login\.example\/sso/, false],
  ];
  it.each(cases)('%s: names the token endpoint, never "the License API"', async (_label, url, arrange, code, summary, retryable) => {
    arrange();
    const error = await rejectionOf(oauthClient(url()).checkLicense(identity()));
    expect(error.code).toBe(code);
    expect(error.summary).toMatch(summary);
    expect(`${error.summary} ${error.remedy}`).not.toMatch(/License API|API URL/);
    expect(`${error.summary} ${error.remedy} ${error.detail ?? ''}`).not.toContain(sandbox.demo.oauth.clientSecret);
    expect(error.summary).not.toMatch(/next=/);
    expect(error.errorClass === 'retryable').toBe(retryable);
    if (!retryable) expect(error.remedy).not.toMatch(PROMISES_RETRY);
  });
});

describe('an unsigned redirect from the API address', () => {
  it('names the target (no query, no credentials), is a configuration problem, and does not park the agent for hours', async () => {
    handler = (_req, res) => res.writeHead(301, { Location: 'https://user:pw@api.example.com/api/v5/?token=abc' }).end();
    const client = createLicenseApiClient({ apiUrl: `${origin}/api/v4/`, auth: { kind: 'hmac', apiKey: 'k', sharedKey: 's' }, timeoutMs: 3000 });
    const error = await rejectionOf(client.checkLicense(identity()));
    expect(error).toMatchObject({ code: 'http_301', errorClass: 'needs-configuration', parkable: false, signed: false });
    expect(error.summary).toContain('to https://api.example.com/api/v5/');
    expect(error.summary).not.toMatch(/token=|pw@/);
    const next = nextAfter({ ok: false, errorClass: error.errorClass, parkable: error.parkable }, { attempt: 3 }, DEFAULT_SCHEDULE, false, () => 0.99);
    expect(next.kind).toBe('retry');
    expect(next.delayMs).toBeLessThanOrEqual(HOUR);
  });
});

describe('Retry-After', () => {
  it('from an unsigned reply is honoured up to the backoff cap (1 h)', async () => {
    sandbox.faults.inject({ kind: 'status', status: 429, retryAfter: '7200', times: 1 });
    const error = await rejectionOf(hmacClient(sandbox, { publicKeyPem: sandbox.demo.publicKeyPem }).checkLicense(identity()));
    expect(error).toMatchObject({ code: 'http_429', retryAfterMs: HOUR, signed: false });
  });

  it('from a reply whose signature verifies is honoured up to a day', async () => {
    const signing = await startSandbox({ signErrors: true, rsaBits: 1024 });
    try {
      signing.faults.inject({ kind: 'status', status: 503, retryAfter: '7200', times: 1 });
      signing.faults.inject({ kind: 'status', status: 503, retryAfter: '200000', times: 1 });
      const client = hmacClient(signing, { publicKeyPem: signing.demo.publicKeyPem });
      const id = { product: signing.demo.product, hardwareId: freshHardwareId(), licenseKey: signing.demo.licenseKey };
      expect(await rejectionOf(client.checkLicense(id))).toMatchObject({ code: 'http_503', retryAfterMs: 2 * HOUR, signed: true });
      expect(await rejectionOf(client.checkLicense(id))).toMatchObject({ retryAfterMs: 24 * HOUR });
      // Without the public key nothing can be verified: the unsigned bound applies.
      signing.faults.inject({ kind: 'status', status: 503, retryAfter: '7200', times: 1 });
      expect(await rejectionOf(hmacClient(signing).checkLicense(id))).toMatchObject({ retryAfterMs: HOUR, signed: false });
    } finally {
      await signing.close();
    }
  });
});
