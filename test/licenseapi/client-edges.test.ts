// The client's own decisions at their edges, against a tiny server on loopback that
// answers exactly what each case needs: its configuration checks, the request it builds,
// and how it reads replies that are not what they should be.
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLicenseApiClient, DEFAULT_USER_AGENT } from '../../app/licenseapi/client.ts';
import type { LicenseApiClientOptions } from '../../app/licenseapi/client.ts';
import { createTransport } from '../../app/licenseapi/transport.ts';
import { rejectionOf } from './helpers.ts';

interface Answer { status: number; body: string; headers?: Record<string, string> }
let answer: Answer = { status: 200, body: '[]' };
const requests: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];
let server: Server;
let origin = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => { body += chunk.toString(); });
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(answer.status, { 'Content-Type': 'application/json', Date: new Date().toUTCString(), ...answer.headers });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const identity = { product: 'p', hardwareId: 'hw-1', licenseKey: 'L-1' };
function client(extra: Partial<LicenseApiClientOptions> = {}) {
  return createLicenseApiClient({ apiUrl: `${origin}/api/v4/`, auth: { kind: 'hmac', apiKey: 'k', sharedKey: 's' }, timeoutMs: 3000, transport: createTransport({ proxyForUrl: () => '' }), ...extra });
}
async function reply<T>(next: Answer, call: (c: ReturnType<typeof client>) => Promise<T>, extra: Partial<LicenseApiClientOptions> = {}): Promise<T> {
  answer = next;
  requests.length = 0;
  return call(client(extra));
}

describe('the client\'s configuration', () => {
  const hmac = { kind: 'hmac' as const, apiKey: 'k', sharedKey: 's' };
  it.each([
    [{ apiUrl: 'https://api.example/api/v4/' }, undefined],
    [{ apiUrl: 'http://127.0.0.1:1/api/v4/' }, undefined],
    [{ apiUrl: 'ftp://api.example/' }, 'apiUrl must be an http(s) URL without credentials, query or fragment'],
    [{ apiUrl: 'not a url' }, 'apiUrl must be an http(s) URL without credentials, query or fragment'],
    [{ apiUrl: 'https://u@api.example/' }, 'apiUrl must be an http(s) URL without credentials, query or fragment'],
    [{ apiUrl: 'https://:p@api.example/' }, 'apiUrl must be an http(s) URL without credentials, query or fragment'],
    [{ apiUrl: 'https://api.example/?x=1' }, 'apiUrl must be an http(s) URL without credentials, query or fragment'],
    [{ apiUrl: 'https://api.example/#x' }, 'apiUrl must be an http(s) URL without credentials, query or fragment'],
    [{ auth: { kind: 'hmac', apiKey: '', sharedKey: 's' } }, 'auth.apiKey must not be empty'],
    [{ auth: { kind: 'hmac', apiKey: 'k', sharedKey: '' } }, 'auth.sharedKey must not be empty'],
    [{ auth: { kind: 'oauth', clientId: 'c', clientSecret: 'x', tokenUrl: 'https://auth.example/token' } }, undefined],
    [{ auth: { kind: 'oauth', clientId: 'c', clientSecret: 'x', tokenUrl: 'https://u:p@auth.example/token' } }, 'auth.tokenUrl must be an http(s) URL without credentials, query or fragment'],
    [{ auth: { kind: 'magic' } }, 'auth.kind must be "hmac" or "oauth"'],
    [{ timeoutMs: 1 }, undefined],
    [{ timeoutMs: 600_000 }, undefined],
    [{ timeoutMs: 600_001 }, 'timeoutMs must be at most 600000'],
    [{ timeoutMs: 0 }, 'timeoutMs'],
    [{ userAgent: '' }, 'userAgent'],
    [{ publicKeyPem: 'not a key' }, 'publicKeyPem: not a readable PEM public key'],
  ] as Array<[Record<string, unknown>, string | undefined]>)('%j: %s', (over, problem) => {
    const make = () => createLicenseApiClient({ apiUrl: 'https://api.example/api/v4/', auth: hmac, ...over } as LicenseApiClientOptions);
    if (problem === undefined) {
      expect(make).not.toThrow();
      return;
    }
    const error = (() => {
      try {
        make();
      } catch (caught) {
        return caught as { code: string; errorClass: string; summary: string; detail: string };
      }
      throw new Error('expected a configuration error');
    })();
    expect(error).toMatchObject({ code: 'invalid_request', errorClass: 'needs-configuration' });
    expect(error.detail).toContain(problem);
    expect(error.summary).toBe(`The License API client configuration is invalid: ${error.detail}.`);
  });
});

describe('the request it builds', () => {
  it('joins the API URL with or without its final slash, sends the user agent, and a body type only with a body', async () => {
    for (const apiUrl of [`${origin}/api/v4`, `${origin}/api/v4/`]) {
      await reply({ status: 200, body: '[]' }, (c) => c.getDeviceVariables(identity), { apiUrl });
      expect(requests[0]).toMatchObject({ method: 'GET' });
      expect(requests[0]!.url).toBe('/api/v4/get_device_variables?product=p&hardware_id=hw-1&license_key=L-1');
      expect(requests[0]!.headers['user-agent']).toBe(DEFAULT_USER_AGENT);
      expect(requests[0]!.headers['content-type']).toBeUndefined();
      expect(requests[0]!.headers.accept).toBe('application/json');
    }
    await reply({ status: 200, body: '[]' }, (c) => c.trackDeviceVariables({ ...identity, variables: { a: 1 } }), { userAgent: 'fleet-agent/2' });
    expect(requests[0]!.headers).toMatchObject({ 'user-agent': 'fleet-agent/2', 'content-type': 'application/json' });
    expect(JSON.parse(requests[0]!.body)).toEqual({ product: 'p', hardware_id: 'hw-1', license_key: 'L-1', variables: { a: 1 } });
  });

  it('an activation names every device fact it is given by the vendor\'s wire names, and only those', async () => {
    const license = '{"license_key":"L-1","license_type":"perpetual","is_trial":false,"license_enabled":true,"license_active":true,"is_expired":false}';
    await reply({ status: 200, body: license }, (c) => c.activateLicense({
      ...identity, password: 'pw', variables: { a: true }, appName: 'App', appVersion: '1.2', osVersion: 'Linux 6', hostname: 'host-1',
      isVm: false, vmInfo: 'kvm', sdkVersion: 'agent-1', ip: '10.0.0.5', macAddress: '00:11:22:33:44:55',
    }));
    expect(JSON.parse(requests[0]!.body)).toEqual({
      product: 'p', hardware_id: 'hw-1', license_key: 'L-1', password: 'pw', variables: { a: true }, app_name: 'App', app_ver: '1.2', os_ver: 'Linux 6',
      hostname: 'host-1', is_vm: false, vm_info: 'kvm', sdk_ver: 'agent-1', ip: '10.0.0.5', mac_address: '00:11:22:33:44:55',
    });
    await reply({ status: 200, body: license }, (c) => c.activateLicense(identity));
    expect(JSON.parse(requests[0]!.body)).toEqual({ product: 'p', hardware_id: 'hw-1', license_key: 'L-1' });
  });

  it('refuses an invalid request before sending anything, naming the problem', async () => {
    const error = await reply({ status: 200, body: '[]' }, (c) => rejectionOf(c.getDeviceVariables({ product: '', hardwareId: 'h', licenseKey: 'L' })));
    expect(error).toMatchObject({ code: 'invalid_request', errorClass: 'needs-configuration' });
    expect(error.summary).toMatch(/^The agent refused to send an invalid request: /);
    expect(requests).toHaveLength(0);
  });
});

describe('replies that are not what they should be', () => {
  it.each([
    ['not JSON', 'hello', 'reply is not JSON'],
    ['empty', '', undefined],
    ['only whitespace', '  \n', undefined],
    ['JSON of the wrong shape', '{"a":1}', undefined],
  ])('a 200 that is %s is invalid_response (retryable), never a crash', async (_what, body, detail) => {
    const error = await reply({ status: 200, body }, (c) => rejectionOf(c.trackDeviceVariables({ ...identity, variables: { a: 1 } })));
    expect(error).toMatchObject({ code: 'invalid_response', errorClass: 'retryable' });
    if (detail) expect(error.detail).toBe(detail);
  });

  it.each([
    ['bare text', 'license_deactivated', true],
    ['bare text with spaces', ' license_deactivated\n', true],
    ['a JSON string', '"license_deactivated"', true],
    ['anything else', 'ok', false],
    ['empty', '', false],
  ])('deactivate_license answering %s: accepted %s', async (_what, body, accepted) => {
    const outcome = reply({ status: 200, body }, (c) => c.deactivateLicense(identity));
    if (accepted) await expect(outcome).resolves.toBeUndefined();
    else expect(await rejectionOf(outcome)).toMatchObject({ code: 'invalid_response', detail: 'reply: expected license_deactivated' });
  });

  it.each([
    [200, undefined], [299, undefined], [300, 'http_300'],
  ])('status %i: success only within 200-299', async (status, code) => {
    const outcome = reply({ status, body: '[]' }, (c) => c.getDeviceVariables(identity));
    if (code === undefined) await expect(outcome).resolves.toEqual([]);
    else expect((await rejectionOf(outcome)).code).toBe(code);
  });

  it('an error body that is not JSON, or not an error object, is classified by its status', async () => {
    expect(await reply({ status: 503, body: '<html>busy</html>' }, (c) => rejectionOf(c.checkLicense(identity)))).toMatchObject({ code: 'http_503', errorClass: 'retryable' });
    expect(await reply({ status: 400, body: '{"code": 5}' }, (c) => rejectionOf(c.checkLicense(identity)))).toMatchObject({ code: 'http_400', serverCode: undefined });
    expect(await reply({ status: 400, body: '{"code":"license_not_found","message":"x"}' }, (c) => rejectionOf(c.checkLicense(identity)))).toMatchObject({ code: 'license_not_found', status: 400 });
  });

  it('a Retry-After on an unsigned error is held to an hour; without one there is none', async () => {
    expect(await reply({ status: 503, body: '', headers: { 'Retry-After': '120' } }, (c) => rejectionOf(c.checkLicense(identity)))).toMatchObject({ retryAfterMs: 120_000 });
    expect(await reply({ status: 503, body: '', headers: { 'Retry-After': '86400' } }, (c) => rejectionOf(c.checkLicense(identity)))).toMatchObject({ retryAfterMs: 3_600_000 });
    expect(await reply({ status: 503, body: '' }, (c) => rejectionOf(c.checkLicense(identity)))).toMatchObject({ retryAfterMs: undefined });
  });

  it('a redirect names its target without credentials or query, and the request is not followed', async () => {
    const error = await reply({ status: 302, body: '', headers: { Location: 'https://user:pw@elsewhere.example/api/v4/?k=secret' } }, (c) => rejectionOf(c.checkLicense(identity)));
    expect(error).toMatchObject({ code: 'http_302', parkable: false });
    expect(error.summary).toContain('to https://elsewhere.example/api/v4/;');
    expect(error.summary).not.toMatch(/pw|secret/);
    expect(requests).toHaveLength(1);
  });
});
