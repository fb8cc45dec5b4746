import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../app/licenseapi/error-codes.ts';
import type { ServerErrorCode } from '../app/licenseapi/error-codes.ts';
import { VARIABLE_LIMITS } from '../app/licenseapi/limits.ts';
import { errorBody } from './api-error.ts';
import type { ProductKind } from './api-error.ts';
import { DETAIL_HEADER, startSandbox } from './server.ts';
import type { Sandbox } from './server.ts';
import { licenseSignatureInput, rsaVerify } from './signing.ts';
import { activateDemo, callApi, isErrorBody, isTrackResponse, signatureValid } from '../test/support/sandbox-calls.ts';
import type { CallResult } from '../test/support/sandbox-calls.ts';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());

function expectError(result: CallResult, code: ServerErrorCode, detail?: RegExp, kind: ProductKind = 'license-key'): void {
  expect(result.json).toEqual(errorBody(code, kind));
  expect(result.status).toBe(ERROR_CODES[code].status);
  expect(isErrorBody(result.json)).toBe(true);
  // The vendor signs no error reply; neither does the sandbox by default.
  expect(result.headers.get('licensesignature')).toBeNull();
  if (detail) expect(result.headers.get(DETAIL_HEADER)).toMatch(detail);
}

const keyIdentity = (hardwareId: string) => ({ product: sandbox.demo.product, license_key: sandbox.demo.licenseKey, hardware_id: hardwareId });
const track = (hardwareId: string, variables: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  callApi(sandbox, 'track_device_variables', { params: { ...keyIdentity(hardwareId), variables, ...extra } });
const getVariables = (hardwareId: string) => callApi(sandbox, 'get_device_variables', { params: keyIdentity(hardwareId) });

describe('activate_license / check_license / deactivate_license', () => {
  it('activates a device and replies with the license object and a verifiable v1 license_signature', async () => {
    const result = await activateDemo(sandbox, 'Dev-ACT-1');
    const body = result.json as Record<string, unknown>;
    expect(body).toMatchObject({ license_key: sandbox.demo.licenseKey, hardware_id: 'Dev-ACT-1', active: true, request: 'activation', is_expired: false, validity_period: null, times_activated: 1, license_type: 'perpetual' });
    expect(body).not.toHaveProperty('user');
    expect(typeof body.device_id).toBe('number');
    const input = licenseSignatureInput('Dev-ACT-1', sandbox.demo.licenseKey, null);
    expect(input).toBe(`dev-act-1#${sandbox.demo.licenseKey.toLowerCase()}#`);
    expect(rsaVerify(sandbox.demo.publicKeyPem, input, String(body.license_signature))).toBe(true);
    expect(signatureValid(sandbox, result)).toBe(true);
  });

  it('check_license answers for an active device and device_not_found otherwise', async () => {
    await activateDemo(sandbox, 'dev-check');
    const ok = await callApi(sandbox, 'check_license', { params: keyIdentity('dev-check') });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ license_active: true, license_enabled: true, is_expired: false, is_borrowed: false, borrowed_until: null });
    expectError(await callApi(sandbox, 'check_license', { params: keyIdentity('never-activated') }), 'device_not_found');
  });

  it('check_license answers 200 for a disabled or inactive license (the client judges the flags), the other endpoints refuse', async () => {
    const { licenseKey } = sandbox.admin.addLicense({ product: 'demo' });
    const identity = { product: 'demo', license_key: licenseKey!, hardware_id: 'dev-check-state' };
    expect((await callApi(sandbox, 'activate_license', { params: identity })).status).toBe(200);
    sandbox.admin.setLicenseState(licenseKey!, { enabled: false });
    const disabled = await callApi(sandbox, 'check_license', { params: identity });
    expect(disabled.status).toBe(200);
    expect(disabled.json).toMatchObject({ license_enabled: false, license_active: true });
    expectError(await callApi(sandbox, 'get_device_variables', { params: identity }), 'license_not_enabled');
    sandbox.admin.setLicenseState(licenseKey!, { enabled: true, active: false });
    expect((await callApi(sandbox, 'check_license', { params: identity })).json).toMatchObject({ license_enabled: true, license_active: false });
  });

  it('deactivate replies 200 "license_deactivated"; the device is then not found, and can be re-activated', async () => {
    await activateDemo(sandbox, 'dev-deact');
    const result = await callApi(sandbox, 'deactivate_license', { params: keyIdentity('dev-deact') });
    expect(result.status).toBe(200);
    expect(result.json).toBe('license_deactivated');
    expect(signatureValid(sandbox, result)).toBe(true);
    expectError(await callApi(sandbox, 'deactivate_license', { params: keyIdentity('dev-deact') }), 'device_not_found');
    expectError(await track('dev-deact', { a: 1 }), 'device_not_found');
    await activateDemo(sandbox, 'dev-deact');
    expect((await track('dev-deact', { a: 1 })).status).toBe(200);
  });

  it('enforces max activations; re-activating a device is free; deactivation frees a seat', async () => {
    sandbox.admin.addLicense({ product: 'demo', licenseKey: 'MAX2-0000-0000-0000', maxActivations: 2 });
    const activate = (hw: string) => callApi(sandbox, 'activate_license', { params: { product: 'demo', license_key: 'MAX2-0000-0000-0000', hardware_id: hw } });
    expect((await activate('m1')).status).toBe(200);
    expect((await activate('m2')).status).toBe(200);
    expect((await activate('m1')).status).toBe(200);
    expectError(await activate('m3'), 'license_activated_max_times');
    expect((await callApi(sandbox, 'deactivate_license', { params: { product: 'demo', license_key: 'MAX2-0000-0000-0000', hardware_id: 'm1' } })).status).toBe(200);
    const moved = await activate('m3');
    expect(moved.status).toBe(200);
    expect(moved.json).toMatchObject({ times_activated: 2, transfer_count: 1 });
  });

  it('counts a transfer when a freed seat goes to another device, and enforces max_transfers (-1 prevents transfers)', async () => {
    const deactivate = (key: string, hw: string) => callApi(sandbox, 'deactivate_license', { params: { product: 'demo', license_key: key, hardware_id: hw } });
    const activate = (key: string, hw: string) => callApi(sandbox, 'activate_license', { params: { product: 'demo', license_key: key, hardware_id: hw } });
    const one = sandbox.admin.addLicense({ product: 'demo', maxActivations: 1, maxTransfers: 1 }).licenseKey!;
    expect((await activate(one, 't1')).json).toMatchObject({ transfer_count: 0, max_transfers: 1 });
    await deactivate(one, 't1');
    expect((await activate(one, 't1')).json).toMatchObject({ transfer_count: 0 }); // the same device again: no transfer
    await deactivate(one, 't1');
    expect((await activate(one, 't2')).json).toMatchObject({ transfer_count: 1 });
    await deactivate(one, 't2');
    expectError(await activate(one, 't3'), 'license_transferred_max_times', /1 of 1/);
    const none = sandbox.admin.addLicense({ product: 'demo', maxActivations: 1, maxTransfers: -1 }).licenseKey!;
    await activate(none, 'n1');
    await deactivate(none, 'n1');
    expectError(await activate(none, 'n2'), 'license_transferred_max_times', /prevented/);
  });

  it('user-based licenses have their own limit code when the user has used every activation', async () => {
    sandbox.admin.addLicense({ product: sandbox.demo.userProduct, username: 'full@example.com', password: 'pw', maxActivations: 1 });
    const activate = (hw: string) => callApi(sandbox, 'activate_license', { params: { product: sandbox.demo.userProduct, username: 'full@example.com', password: 'pw', hardware_id: hw } });
    expect((await activate('u1')).status).toBe(200);
    expectError(await activate('u2'), 'licenseUserActivatedMaxTimes', undefined, 'user');
  });

  it('deactivation stores the variables it carries (the vendor accepts them there)', async () => {
    await activateDemo(sandbox, 'dev-deact-vars');
    expect((await callApi(sandbox, 'deactivate_license', { params: { ...keyIdentity('dev-deact-vars'), variables: { last_seen: 'today', n: 3 } } })).status).toBe(200);
    expect(sandbox.admin.deviceVariables('demo', 'dev-deact-vars')).toEqual({ last_seen: 'today', n: '3' });
  });

  it('remembers what an activation says about the device (what the vendor\'s Devices page shows)', async () => {
    await activateDemo(sandbox, 'dev-details', { os_ver: '6.1', app_ver: '1.2', sdk_ver: 'device-agent 0.1.0', hostname: 'ws-1', is_vm: true, vm_info: 'kvm', mac_address: 'aa:bb:cc:dd:ee:ff', ip: '10.0.0.2' });
    expect(sandbox.admin.deviceDetails('demo', 'dev-details')).toEqual({ os_ver: '6.1', app_ver: '1.2', sdk_ver: 'device-agent 0.1.0', hostname: 'ws-1', ip: '10.0.0.2', mac_address: 'aa:bb:cc:dd:ee:ff', is_vm: true, vm_info: 'kvm' });
  });

  it('stores variables sent with the activation', async () => {
    await activateDemo(sandbox, 'dev-act-vars', { variables: { os: 'linux', cores: 8, on_battery: false } });
    expect(sandbox.admin.deviceVariables('demo', 'dev-act-vars')).toEqual({ os: 'linux', cores: '8', on_battery: 'false' });
  });

  it('refuses bad variables in an activation with validation_error and activates nothing', async () => {
    const result = await callApi(sandbox, 'activate_license', { params: { ...keyIdentity('dev-act-bad'), variables: { 'bad name': 1 } } });
    expectError(result, 'validation_error', /bad name/);
    expectError(await callApi(sandbox, 'check_license', { params: keyIdentity('dev-act-bad') }), 'device_not_found');
  });

  it('user-based products: username + password to activate, username afterwards', async () => {
    const { userProduct, username, password } = sandbox.demo;
    const identity = { product: userProduct, username, hardware_id: 'dev-user' };
    expectError(await callApi(sandbox, 'activate_license', { params: identity }), 'missing_parameters', /password/);
    expectError(await callApi(sandbox, 'activate_license', { params: { ...identity, password: 'wrong' } }), 'license_not_found', undefined, 'user');
    const ok = await callApi(sandbox, 'activate_license', { params: { ...identity, password } });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ username, user: { email: username, first_name: 'Demo', last_name: 'User', is_initial_password: false, phone_number: '' } });
    expect(ok.json).not.toHaveProperty('license_key');
    expect((await callApi(sandbox, 'track_device_variables', { params: { ...identity, variables: { x: 'y' } } })).status).toBe(200);
    expectError(await callApi(sandbox, 'check_license', { params: { product: userProduct, license_key: 'X', hardware_id: 'dev-user' } }), 'missing_parameters', /username/);
    expectError(await callApi(sandbox, 'check_license', { params: { product: userProduct, username: 'nobody@example.com', hardware_id: 'dev-user' } }), 'license_not_found', undefined, 'user');
    expect((await callApi(sandbox, 'check_license', { params: { product: userProduct, username: 'nobody@example.com', hardware_id: 'dev-user' } })).json)
      .toMatchObject({ message: 'License with the provided license user not found' });
  });
});

describe('track_device_variables / get_device_variables', () => {
  it('needs an active device: device_not_found before activation', async () => {
    expectError(await track('dev-not-active', { a: 1 }), 'device_not_found');
    expectError(await getVariables('dev-not-active'), 'device_not_found');
  });

  it('echoes the variables typed as the vendor types them (strings, like get), valid against the seed response schema', async () => {
    await activateDemo(sandbox, 'dev-track');
    const before = Date.now();
    const result = await track('dev-track', { cpu_load: 12, os_name: 'Debian', on_battery: true });
    expect(result.status).toBe(200);
    expect(isTrackResponse(result.json)).toBe(true);
    const rows = result.json as Array<{ variable: string; value: unknown; device_id: number; created_at: number }>;
    expect(rows.map((r) => [r.variable, r.value])).toEqual([['cpu_load', '12'], ['os_name', 'Debian'], ['on_battery', 'true']]);
    expect(new Set(rows.map((r) => r.device_id)).size).toBe(1);
    for (const row of rows) expect(row.created_at).toBeGreaterThanOrEqual(before - 1000);
    expect(signatureValid(sandbox, result)).toBe(true);
  });

  it('upserts by name per device; get returns values as strings and created_at as ISO', async () => {
    await activateDemo(sandbox, 'dev-upsert');
    await activateDemo(sandbox, 'dev-other');
    await track('dev-upsert', { a: 1, b: 'x' });
    await track('dev-upsert', { a: 2, c: true });
    await track('dev-other', { a: 99 });
    const result = await getVariables('dev-upsert');
    expect(result.status).toBe(200);
    const rows = result.json as Array<{ id: number; variable: string; value: string; device_id: number; created_at: string }>;
    expect(rows.map((r) => [r.variable, r.value])).toEqual([['a', '2'], ['b', 'x'], ['c', 'true']]);
    for (const row of rows) {
      expect(typeof row.id).toBe('number');
      expect(new Date(row.created_at).toISOString()).toBe(row.created_at);
    }
    expect(sandbox.admin.deviceVariables('demo', 'dev-upsert')).toEqual({ a: '2', b: 'x', c: 'true' });
    expect(sandbox.admin.deviceVariables('demo', 'dev-other')).toEqual({ a: '99' });
    expect(signatureValid(sandbox, result)).toBe(true);
  });

  it('refuses blacklisted devices', async () => {
    await activateDemo(sandbox, 'dev-black');
    sandbox.admin.blacklist('demo', 'dev-black');
    expectError(await track('dev-black', { a: 1 }), 'blacklisted');
    expectError(await callApi(sandbox, 'activate_license', { params: keyIdentity('dev-black') }), 'blacklisted');
  });

  it('follows the license state: not enabled, not active, then back', async () => {
    const { licenseKey } = sandbox.admin.addLicense({ product: 'demo' });
    const identity = { product: 'demo', license_key: licenseKey!, hardware_id: 'dev-state' };
    expect((await callApi(sandbox, 'activate_license', { params: identity })).status).toBe(200);
    sandbox.admin.setLicenseState(licenseKey!, { enabled: false });
    expectError(await callApi(sandbox, 'track_device_variables', { params: { ...identity, variables: { a: 1 } } }), 'license_not_enabled');
    sandbox.admin.setLicenseState(licenseKey!, { enabled: true, active: false });
    expectError(await callApi(sandbox, 'track_device_variables', { params: { ...identity, variables: { a: 1 } } }), 'license_not_active');
    sandbox.admin.setLicenseState(licenseKey!, { active: true });
    expect((await callApi(sandbox, 'track_device_variables', { params: { ...identity, variables: { a: 1 } } })).status).toBe(200);
  });

  it('resolves product and license: unknown_product, license_not_found, license_id, missing_parameters', async () => {
    await activateDemo(sandbox, 'dev-ident');
    expectError(await callApi(sandbox, 'track_device_variables', { params: { ...keyIdentity('dev-ident'), product: 'nope', variables: {} } }), 'unknown_product');
    const notFound = await callApi(sandbox, 'track_device_variables', { params: { ...keyIdentity('dev-ident'), license_key: 'AAAA-BBBB', variables: {} } });
    expectError(notFound, 'license_not_found');
    expect(notFound.json).toMatchObject({ message: 'License with the provided license key not found' });
    expectError(await track('dev-ident', {}, { license_id: 987654 }), 'license_not_found', /license_id/);
    const { product, hardware_id } = keyIdentity('dev-ident');
    expectError(await callApi(sandbox, 'track_device_variables', { params: { product, hardware_id, variables: {} } }), 'license_key_required', /key-based/);
    expectError(await callApi(sandbox, 'check_license', { params: { product, license_key: sandbox.demo.licenseKey } }), 'missing_hardware_id', /hardware_id/);
    expectError(await callApi(sandbox, 'check_license', { params: { hardware_id, license_key: sandbox.demo.licenseKey } }), 'missing_parameters', /product/);
    expectError(await callApi(sandbox, 'check_license', { params: { ...keyIdentity('dev-ident'), license_id: 'abc' } }), 'validation_error', /license_id/);
  });
});

describe('request validation', () => {
  const long = (n: number) => 'x'.repeat(n);

  it('accepts what the vendor accepts: sdk_ver and bundle_code on track, variables optional, unknown fields ignored', async () => {
    await activateDemo(sandbox, 'dev-valid');
    const ok = await track('dev-valid', { a: 1 }, { sdk_ver: 'LicenseSpring Node SDK 1.4.17', bundle_code: 'suite', extra_field: 1 });
    expect(ok.status).toBe(200);
    const none = await callApi(sandbox, 'track_device_variables', { params: { ...keyIdentity('dev-valid') } });
    expect(none.status).toBe(200);
    expect(none.json).toEqual([]);
    const got = await callApi(sandbox, 'get_device_variables', { params: { ...keyIdentity('dev-valid'), sdk_ver: '1.4.17', bundle_code: 'suite' } });
    expect(got.status).toBe(200);
    const checked = await callApi(sandbox, 'check_license', { params: { ...keyIdentity('dev-valid'), sdk_ver: '1.4.17', include_expired_features: 'false', env: 'x' } });
    expect(checked.status).toBe(200);
  });

  it('refuses a known field of the wrong type, naming it', async () => {
    await activateDemo(sandbox, 'dev-types');
    expectError(await track('dev-types', { a: { nested: 1 } }), 'validation_error', /variables\.a/);
    expectError(await track('dev-types', { a: null }), 'validation_error', /variables\.a/);
    expectError(await track('dev-types', { a: 1 }, { sdk_ver: 5 }), 'validation_error', /sdk_ver: must be a string/);
    expectError(await callApi(sandbox, 'track_device_variables', { params: { ...keyIdentity('dev-types'), variables: [1] } }), 'validation_error', /variables: must be an object/);
    expectError(await callApi(sandbox, 'activate_license', { params: { ...keyIdentity('dev-types'), is_vm: 'yes' } }), 'validation_error', /is_vm/);
    expectError(await callApi(sandbox, 'track_device_variables', { rawBody: '[1,2]' }), 'validation_error');
  });

  it('enforces the variable limits (name, value length, count per request and per device, body size)', async () => {
    await activateDemo(sandbox, 'dev-limits');
    expectError(await track('dev-limits', { 'héllo': 1 }), 'validation_error', /name/);
    expectError(await track('dev-limits', { [long(VARIABLE_LIMITS.nameMaxLength + 1)]: 1 }), 'validation_error');
    expect((await track('dev-limits', { [long(VARIABLE_LIMITS.nameMaxLength)]: long(VARIABLE_LIMITS.valueMaxLength) })).status).toBe(200);
    expectError(await track('dev-limits', { v: long(VARIABLE_LIMITS.valueMaxLength + 1) }), 'validation_error', /variables\.v/);
    const many = (n: number, prefix: string) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, i]));
    expectError(await track('dev-limits', many(VARIABLE_LIMITS.maxVariables + 1, 'r')), 'validation_error', /at most 100/);
    expect((await track('dev-limits', many(VARIABLE_LIMITS.maxVariables - 1, 'p'))).status).toBe(200);
    expectError(await track('dev-limits', { one_more: 1 }), 'validation_error', /device would hold 101/);
    expect((await track('dev-limits', { p0: 'overwrite is fine' })).status).toBe(200);
    const huge = JSON.stringify({ ...keyIdentity('dev-limits'), variables: { a: long(VARIABLE_LIMITS.maxBodyBytes) } });
    expectError(await callApi(sandbox, 'track_device_variables', { rawBody: huge }), 'validation_error', /bytes/);
  });

  it('a JSON endpoint refuses another content type (415, the sandbox\'s own code: the vendor documents none)', async () => {
    const result = await callApi(sandbox, 'track_device_variables', { params: { ...keyIdentity('x'), variables: {} }, headers: { 'Content-Type': 'text/plain' } });
    expect(result.status).toBe(415);
    expect(result.json).toEqual({ status: 415, code: 'unsupported_media_type', message: 'Content-Type must be application/json' });
    expect(isErrorBody(result.json)).toBe(true);
    const missing = await callApi(sandbox, 'activate_license', { params: keyIdentity('x'), headers: { 'Content-Type': undefined } });
    expect(missing.status).toBe(415);
    const withCharset = await callApi(sandbox, 'activate_license', { params: keyIdentity('ct-charset'), headers: { 'Content-Type': 'application/json; charset=utf-8' } });
    expect(withCharset.status).toBe(200);
  });

  it('invalid JSON → invalid_json; unknown path or method → not_found', async () => {
    expectError(await callApi(sandbox, 'track_device_variables', { rawBody: '{"product": ' }), 'invalid_json');
    expectError(await callApi(sandbox, 'no_such_endpoint'), 'not_found');
    expectError(await callApi(sandbox, 'track_device_variables', { method: 'GET' }), 'not_found');
    const root = await fetch(sandbox.origin);
    expect(root.status).toBe(404);
    expect(root.headers.get('date')).toBeTruthy();
  });

  it('logs each request with its endpoint and status', async () => {
    sandbox.admin.resetRequestLog();
    await track('nobody', { a: 1 });
    await callApi(sandbox, 'no_such_endpoint');
    expect(sandbox.admin.requests().map((r) => [r.method, r.endpoint, r.status, r.code])).toEqual([
      ['POST', 'track_device_variables', 400, 'device_not_found'],
      ['POST', 'no_such_endpoint', 404, 'not_found'],
    ]);
  });
});
