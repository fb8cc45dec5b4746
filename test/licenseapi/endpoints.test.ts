// Every endpoint of the client against the real sandbox over loopback, with
// every request and reply checked against the seed's schemas.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../sandbox/server.ts';
import type { Sandbox } from '../../sandbox/server.ts';
import { latestValues } from '../../app/licenseapi/schemas.ts';
import { parseAuthorization, sign } from '../../app/licenseapi/signing.ts';
import { freshHardwareId, hmacClient, recordingAdapter, rejectionOf } from './helpers.ts';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox?.close();
});

describe('License API client against the sandbox (HMAC)', () => {
  it('activates, tracks, reads back, checks and deactivates a key-based license', async () => {
    const { adapter, seen } = recordingAdapter();
    const client = hmacClient(sandbox, { adapter, publicKeyPem: sandbox.demo.publicKeyPem });
    const identity = { product: sandbox.demo.product, hardwareId: freshHardwareId(), licenseKey: sandbox.demo.licenseKey };

    const license = await client.activateLicense({ ...identity, variables: { first_seen: 'activation' }, appName: 'device-agent', appVersion: '0.1.0', osVersion: 'linux 6', hostname: 'box', isVm: false });
    expect(license).toMatchObject({ licenseKey: sandbox.demo.licenseKey, licenseType: 'perpetual', maxActivations: 100, timesActivated: expect.any(Number) });
    expect(license.deviceId).toBeTypeOf('number');
    expect(license.licenseSignature).toBeTypeOf('string');

    const before = Date.now();
    const tracked = await client.trackDeviceVariables({ ...identity, variables: { cores: 8, vm: false, os: 'linux', load: 0.25 } });
    expect(tracked.map((r) => [r.variable, r.value]).sort()).toEqual([['cores', '8'], ['load', '0.25'], ['os', 'linux'], ['vm', 'false']]);
    for (const row of tracked) {
      expect(row.deviceId).toBe(license.deviceId);
      expect(row.createdAt).toBeGreaterThanOrEqual(before - 2000);
    }
    expect(sandbox.admin.deviceVariables(identity.product, identity.hardwareId)).toMatchObject({ cores: '8', vm: 'false', os: 'linux', load: '0.25', first_seen: 'activation' });

    // Upsert by name: only the changed value is sent and replaces the old one.
    await client.trackDeviceVariables({ ...identity, variables: { cores: 16 } });
    const rows = await client.getDeviceVariables(identity);
    expect(latestValues(rows)).toMatchObject({ cores: '16', vm: 'false', os: 'linux', load: '0.25', first_seen: 'activation' });
    for (const row of rows) expect(Number.isFinite(row.createdAt)).toBe(true);

    const checked = await client.checkLicense(identity);
    expect(checked).toMatchObject({ licenseActive: true, licenseEnabled: true, isExpired: false });

    await client.deactivateLicense(identity);
    const after = await rejectionOf(client.trackDeviceVariables({ ...identity, variables: { cores: 1 } }));
    expect(after.code).toBe('device_not_found');
    expect(after.errorClass).toBe('needs-activation');

    expect(seen.map((s) => `${s.method} ${s.endpoint} ${s.status}`)).toEqual([
      'POST activate_license 200', 'POST track_device_variables 200', 'POST track_device_variables 200',
      'GET get_device_variables 200', 'GET check_license 200', 'POST deactivate_license 200', 'POST track_device_variables 400',
    ]);
    expect(seen.flatMap((s) => s.violations)).toEqual([]);
  });

  it('signs each request with the Date header it sends, and sends only documented fields', async () => {
    const { adapter, seen } = recordingAdapter();
    const client = hmacClient(sandbox, { adapter });
    const identity = { product: sandbox.demo.product, hardwareId: freshHardwareId(), licenseKey: sandbox.demo.licenseKey };
    await client.activateLicense(identity);
    await client.trackDeviceVariables({ ...identity, variables: { a: 'b' } });
    await client.getDeviceVariables(identity);
    for (const s of seen) {
      const auth = parseAuthorization(s.requestHeaders.authorization ?? '');
      expect(auth?.apiKey).toBe(sandbox.demo.apiKey);
      expect(auth?.signature).toBe(sign(sandbox.demo.sharedKey, s.requestHeaders.date ?? ''));
      expect(s.requestHeaders.date).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    }
    const track = seen.find((s) => s.endpoint === 'track_device_variables');
    expect(Object.keys(track?.requestBody as object).sort()).toEqual(['hardware_id', 'license_key', 'product', 'variables']);
    const get = seen.find((s) => s.endpoint === 'get_device_variables');
    expect(get?.requestBody).toBeUndefined();
    expect(get?.requestHeaders['content-type']).toBeUndefined();
  });

  it('works with a user-based license (username + password on activation)', async () => {
    const { adapter, seen } = recordingAdapter();
    const client = hmacClient(sandbox, { adapter });
    const identity = { product: sandbox.demo.userProduct, hardwareId: freshHardwareId('user'), username: sandbox.demo.username };
    const license = await client.activateLicense({ ...identity, password: sandbox.demo.password });
    expect(license.username).toBe(sandbox.demo.username);
    const tracked = await client.trackDeviceVariables({ ...identity, variables: { ram_total_gb: 15.6 } });
    expect(tracked).toEqual([expect.objectContaining({ variable: 'ram_total_gb', value: '15.6' })]);
    expect(latestValues(await client.getDeviceVariables(identity))).toEqual({ ram_total_gb: '15.6' });
    await client.deactivateLicense(identity);
    expect(seen.flatMap((s) => s.violations)).toEqual([]);
  });

  it('pins a license with license_id', async () => {
    const client = hmacClient(sandbox);
    const added = sandbox.admin.addLicense({ product: sandbox.demo.product, maxActivations: 2 });
    const identity = { product: sandbox.demo.product, hardwareId: freshHardwareId(), licenseKey: added.licenseKey!, licenseId: added.id };
    await client.activateLicense(identity);
    await client.trackDeviceVariables({ ...identity, variables: { pinned: true } });
    const wrong = await rejectionOf(client.trackDeviceVariables({ ...identity, licenseId: added.id + 1000, variables: { pinned: true } }));
    expect(wrong.code).toBe('license_not_found');
  });

  it('refuses invalid input before sending anything, naming the field', async () => {
    const { adapter, seen } = recordingAdapter();
    const client = hmacClient(sandbox, { adapter });
    const base = { product: sandbox.demo.product, hardwareId: 'h', licenseKey: 'k' };
    const cases: Array<[() => Promise<unknown>, RegExp]> = [
      [() => client.trackDeviceVariables({ ...base, hardwareId: '', variables: {} }), /hardwareId/],
      [() => client.trackDeviceVariables({ product: 'p', hardwareId: 'h', variables: {} }), /licenseKey or username/],
      [() => client.trackDeviceVariables({ ...base, variables: { 'no spaces': 1 } }), /variables\."no spaces"/],
      [() => client.trackDeviceVariables({ ...base, variables: { nan: Number.NaN } }), /variables\."nan": numbers must be finite/],
      [() => client.trackDeviceVariables({ ...base, variables: { o: {} as unknown as string } }), /variables\.o: must be a string, a finite number or a boolean/],
      [() => client.checkLicense({ ...base, licenseId: 1.5 }), /licenseId must be an integer/],
      [() => client.activateLicense({ ...base, isVm: 'yes' as unknown as boolean }), /isVm/],
    ];
    for (const [call, pattern] of cases) {
      const error = await rejectionOf(call());
      expect(error.code).toBe('invalid_request');
      expect(error.summary).toMatch(pattern);
    }
    expect(seen).toEqual([]);
  });
});
