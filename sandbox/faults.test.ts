import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../app/licenseapi/signing.ts';
import { isLoopbackAddress } from './admin-route.ts';
import { FaultSet, parseFaultRule } from './faults.ts';
import { startSandbox } from './server.ts';
import type { Sandbox } from './server.ts';
import { activateDemo, callApi, isErrorBody, signatureValid } from '../test/support/sandbox-calls.ts';

describe('FaultSet (rule bookkeeping)', () => {
  it('applies a rule to the next `times` matching requests only, and only on its paths', () => {
    const set = new FaultSet();
    set.inject({ kind: 'drop', times: 2, paths: ['track_device_variables'] });
    expect(set.plan('get_device_variables').terminal).toBeUndefined();
    expect(set.plan('track_device_variables').terminal?.kind).toBe('drop');
    expect(set.plan('track_device_variables').terminal?.kind).toBe('drop');
    expect(set.plan('track_device_variables').terminal).toBeUndefined();
    expect(set.size).toBe(0);
  });

  it('rolls `probability` per request with the given random source', () => {
    const rolls = [0.1, 0.9, 0.49, 0.5];
    const set = new FaultSet(() => rolls.shift()!);
    set.inject({ kind: 'status', status: 503, probability: 0.5 });
    expect([1, 2, 3, 4].map(() => set.plan('x').terminal?.status)).toEqual([503, undefined, 503, undefined]);
  });

  it('combines latency and header faults; only the first terminal rule acts (and only it is consumed)', () => {
    const set = new FaultSet();
    set.inject({ kind: 'latency', ms: 10 });
    set.inject({ kind: 'latency', ms: 5 });
    set.inject({ kind: 'date-skew', ms: -60_000 });
    set.inject({ kind: 'no-signature' });
    set.inject({ kind: 'malformed', times: 1 });
    set.inject({ kind: 'drop', times: 1 });
    expect(set.plan('x')).toMatchObject({ latencyMs: 15, dateSkewMs: -60_000, signature: 'none', terminal: { kind: 'malformed' } });
    expect(set.plan('x').terminal?.kind).toBe('drop');
    expect(set.plan('x').terminal).toBeUndefined();
  });

  it('refuses invalid rules naming the field', () => {
    expect(() => parseFaultRule({ kind: 'explode' })).toThrow(/kind/);
    expect(() => parseFaultRule({ kind: 'status' })).toThrow(/status/);
    expect(() => parseFaultRule({ kind: 'latency' })).toThrow(/ms/);
    expect(() => parseFaultRule({ kind: 'drop', probability: 2 })).toThrow(/probability/);
    expect(() => parseFaultRule({ kind: 'drop', surprise: 1 })).toThrow(/surprise/);
    expect(() => new FaultSet().inject({ kind: 'status', status: 99 })).toThrow(/status/);
  });
});

describe('fault injection over HTTP', () => {
  let sandbox: Sandbox;
  const HW = 'fault-device';
  const identity = () => ({ product: sandbox.demo.product, license_key: sandbox.demo.licenseKey, hardware_id: HW });
  const track = (variables: Record<string, unknown>) => callApi(sandbox, 'track_device_variables', { params: { ...identity(), variables } });

  beforeAll(async () => {
    sandbox = await startSandbox();
    await activateDemo(sandbox, HW);
  });
  afterEach(() => sandbox.faults.clear());
  afterAll(() => sandbox.close());

  it('latency delays the reply by `ms`', async () => {
    sandbox.faults.inject({ kind: 'latency', ms: 300, times: 1 });
    const started = performance.now();
    expect((await track({ l: 1 })).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    const again = performance.now();
    await track({ l: 2 });
    expect(performance.now() - again).toBeLessThan(250);
  });

  it('status sends the status with Retry-After (both forms) and does not process the request', async () => {
    sandbox.faults.inject({ kind: 'status', status: 503, retryAfter: '7', times: 1 });
    const unavailable = await track({ s: 'first' });
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBe('7');
    expect(isErrorBody(unavailable.json)).toBe(true);
    expect(unavailable.json).toMatchObject({ status: 503, code: 'service_unavailable' });
    expect(sandbox.admin.deviceVariables('demo', HW).s).toBeUndefined();

    const when = new Date(Date.now() + 30_000).toUTCString();
    sandbox.faults.inject({ kind: 'status', status: 429, retryAfter: when, times: 1 });
    const limited = await track({ s: 'second' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe(when);

    sandbox.faults.inject({ kind: 'status', status: 500, times: 1 });
    const internal = await track({ s: 'third' });
    expect(internal.json).toEqual({ status: 500, code: 'internal_error', message: 'Server-side error: Internal error' });
    expect(internal.headers.get('licensesignature')).toBeNull();
    expect((await track({ s: 'fourth' })).status).toBe(200);
  });

  it('drop destroys the connection without a reply', async () => {
    sandbox.faults.inject({ kind: 'drop', times: 1, paths: ['track_device_variables'] });
    await expect(track({ d: 1 })).rejects.toThrow();
    expect(sandbox.admin.requests().at(-1)).toMatchObject({ endpoint: 'track_device_variables', status: 0, code: 'fault:drop' });
    expect((await track({ d: 2 })).status).toBe(200);
  });

  it('reset-mid-reply sends headers and part of the body, then resets (the request was processed)', async () => {
    sandbox.faults.inject({ kind: 'reset-mid-reply', times: 1 });
    const response = await fetch(new URL('track_device_variables', sandbox.url), {
      method: 'POST',
      headers: { ...signedHeaders(sandbox.demo.apiKey, sandbox.demo.sharedKey, Date.now()), 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...identity(), variables: { reset: 'yes' } }),
    });
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    expect(sandbox.admin.deviceVariables('demo', HW).reset).toBe('yes');
  });

  it('malformed replies 200 with a body that is not JSON', async () => {
    sandbox.faults.inject({ kind: 'malformed', times: 1 });
    const result = await track({ m: 1 });
    expect(result.status).toBe(200);
    expect(result.text.length).toBeGreaterThan(0);
    expect(() => JSON.parse(result.text)).toThrow();
  });

  it('date-skew shifts the reply Date header by `ms`', async () => {
    sandbox.faults.inject({ kind: 'date-skew', ms: 3_600_000, times: 1 });
    const skewed = await track({ k: 1 });
    expect(Math.abs(Date.parse(skewed.headers.get('date')!) - (Date.now() + 3_600_000))).toBeLessThan(5_000);
    const normal = await track({ k: 2 });
    expect(Math.abs(Date.parse(normal.headers.get('date')!) - Date.now())).toBeLessThan(5_000);
  });

  it('bad-signature and no-signature corrupt or omit LicenseSignature', async () => {
    sandbox.faults.inject({ kind: 'bad-signature', times: 1 });
    const bad = await track({ b: 1 });
    expect(bad.headers.get('licensesignature')).toBeTruthy();
    expect(signatureValid(sandbox, bad)).toBe(false);
    sandbox.faults.inject({ kind: 'no-signature', times: 1 });
    expect((await track({ b: 2 })).headers.get('licensesignature')).toBeNull();
    expect(signatureValid(sandbox, await track({ b: 3 }))).toBe(true);
  });
});

describe('admin route', () => {
  let sandbox: Sandbox;
  const admin = (method: string, path: string, token: string | undefined, body?: unknown) => fetch(new URL(path, sandbox.origin), {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });

  beforeAll(async () => {
    sandbox = await startSandbox({ adminToken: 'test-admin-token-123' });
  });
  afterAll(() => sandbox.close());

  it('refuses a missing or wrong token and changes nothing', async () => {
    expect((await admin('POST', '/__admin/faults', undefined, { rules: [{ kind: 'drop' }] })).status).toBe(401);
    const wrong = await admin('POST', '/__admin/faults', 'test-admin-token-124', { rules: [{ kind: 'drop' }] });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ code: 'admin_unauthorized' });
    expect((await callApi(sandbox, 'no_such_endpoint')).status).toBe(404);
  });

  it('injects and clears faults with the right token; refuses invalid rules naming the field', async () => {
    const bad = await admin('POST', '/__admin/faults', sandbox.adminToken, { rules: [{ kind: 'status' }] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/rules\[0\].*status/);
    const ok = await admin('POST', '/__admin/faults', sandbox.adminToken, { rules: [{ kind: 'status', status: 502 }] });
    expect(ok.status).toBe(200);
    expect((await callApi(sandbox, 'check_license')).status).toBe(502);
    expect((await callApi(sandbox, 'check_license')).status).toBe(502);
    expect((await admin('DELETE', '/__admin/faults', sandbox.adminToken)).status).toBe(200);
    expect((await callApi(sandbox, 'check_license')).status).toBe(400);
  });

  it('exposes license state, blacklist, device variables and the request log', async () => {
    const hw = 'admin-route-device';
    await activateDemo(sandbox, hw);
    await callApi(sandbox, 'track_device_variables', { params: { product: 'demo', license_key: sandbox.demo.licenseKey, hardware_id: hw, variables: { a: 1 } } });
    const vars = await admin('GET', `/__admin/device-variables?product=demo&hardware_id=${hw}`, sandbox.adminToken);
    expect(await vars.json()).toEqual({ a: '1' });
    expect((await admin('POST', '/__admin/license-state', sandbox.adminToken, { license: sandbox.demo.licenseKey, enabled: false })).status).toBe(200);
    expect((await callApi(sandbox, 'get_device_variables', { params: { product: 'demo', license_key: sandbox.demo.licenseKey, hardware_id: hw } })).json).toMatchObject({ code: 'license_not_enabled' });
    expect((await callApi(sandbox, 'check_license', { params: { product: 'demo', license_key: sandbox.demo.licenseKey, hardware_id: hw } })).json).toMatchObject({ license_enabled: false });
    expect((await admin('POST', '/__admin/license-state', sandbox.adminToken, { license: sandbox.demo.licenseKey, enabled: true })).status).toBe(200);
    expect((await admin('POST', '/__admin/blacklist', sandbox.adminToken, { product: 'demo', hardwareId: hw })).status).toBe(200);
    expect((await callApi(sandbox, 'check_license', { params: { product: 'demo', license_key: sandbox.demo.licenseKey, hardware_id: hw } })).json).toMatchObject({ code: 'blacklisted' });
    const log = await (await admin('GET', '/__admin/requests', sandbox.adminToken)).json() as Array<{ endpoint: string }>;
    expect(log.map((r) => r.endpoint)).toContain('track_device_variables');
    expect(log.some((r) => r.endpoint.startsWith('/__admin'))).toBe(false);
  });

  it('makes licenses and products of every kind over HTTP, refusing a bad body naming the field', async () => {
    const made = await admin('POST', '/__admin/licenses', sandbox.adminToken, { product: 'demo', licenseType: 'time-limited', isTrial: true, validityPeriod: '2031-06-01T00:00:00Z', maxActivations: 2, maxTransfers: 1 });
    expect(made.status).toBe(200);
    const { licenseKey } = await made.json() as { licenseKey: string };
    const activated = await callApi(sandbox, 'activate_license', { params: { product: 'demo', license_key: licenseKey, hardware_id: 'admin-http-1' } });
    expect(activated.json).toMatchObject({ license_type: 'time-limited', is_trial: true, validity_period: '2031-06-01T00:00:00.000Z', max_activations: 2, max_transfers: 1 });
    expect((await admin('POST', '/__admin/products', sandbox.adminToken, { code: 'http-made', authorizationMethod: 'license-key', hmacRequired: true })).status).toBe(200);
    expect((await admin('POST', '/__admin/product-state', sandbox.adminToken, { product: 'http-made', status: 'disabled' })).status).toBe(200);
    expect((await admin('POST', '/__admin/license-state', sandbox.adminToken, { license: licenseKey, validityPeriod: null })).status).toBe(400); // a trial needs an end date
    const bad = await admin('POST', '/__admin/licenses', sandbox.adminToken, { product: 'demo', licenseType: 'forever' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/licenseType/);
  });

  it('answers loopback peers only', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(address)).toBe(true);
    for (const address of ['10.0.0.5', '192.168.1.2', '::ffff:10.0.0.1', 'fe80::1', '', undefined]) expect(isLoopbackAddress(address)).toBe(false);
  });
});
