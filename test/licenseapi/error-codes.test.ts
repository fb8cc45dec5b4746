// Every error code the sandbox can produce, as the client reports it: the
// documented code, its class, plain words and remedy, and an error body that
// matches the seed's error schema.
import type { AxiosAdapter } from 'axios';
import axios from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../sandbox/server.ts';
import type { Sandbox } from '../../sandbox/server.ts';
import { errorView } from '../../app/errors/error-view.ts';
import { ERROR_CODES } from '../../app/licenseapi/error-codes.ts';
import type { LicenseApiError } from '../../app/licenseapi/errors.ts';
import { freshHardwareId, hmacClient, recordingAdapter, rejectionOf } from './helpers.ts';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox?.close();
});

/** An adapter standing for a proxy that rewrites headers on the way out. */
function rewritingAdapter(rewrite: (headers: Record<string, unknown>) => void): AxiosAdapter {
  const http = axios.getAdapter('http');
  return (config) => {
    const headers = config.headers.toJSON() as Record<string, unknown>;
    rewrite(headers);
    config.headers.clear();
    for (const [name, value] of Object.entries(headers)) if (typeof value === 'string') config.headers.set(name, value);
    return http(config);
  };
}

function expectDocumented(error: LicenseApiError, code: keyof typeof ERROR_CODES): void {
  expect(error.code).toBe(code);
  expect(error.errorClass).toBe(ERROR_CODES[code].errorClass);
  expect(error.summary).toBe(ERROR_CODES[code].summary);
  expect(error.remedy).toBe(ERROR_CODES[code].remedy);
  expect(error.status).toBe(ERROR_CODES[code].status);
}

describe('authorization errors', () => {
  const identity = () => ({ product: sandbox.demo.product, hardwareId: freshHardwareId(), licenseKey: sandbox.demo.licenseKey, variables: { a: 1 } });

  it('signature_mismatch for a wrong shared key', async () => {
    const client = hmacClient(sandbox, { auth: { kind: 'hmac', apiKey: sandbox.demo.apiKey, sharedKey: 'not-the-shared-key' } });
    expectDocumented(await rejectionOf(client.trackDeviceVariables(identity())), 'signature_mismatch');
  });

  it('invalid_api_key, revoked_api_key, read_only_api_key', async () => {
    const unknown = hmacClient(sandbox, { auth: { kind: 'hmac', apiKey: 'no-such-key', sharedKey: 'x' } });
    expectDocumented(await rejectionOf(unknown.trackDeviceVariables(identity())), 'invalid_api_key');
    const revoked = sandbox.admin.addApiKey({ revoked: true });
    const revokedClient = hmacClient(sandbox, { auth: { kind: 'hmac', ...revoked } });
    expectDocumented(await rejectionOf(revokedClient.trackDeviceVariables(identity())), 'revoked_api_key');
    const readOnly = sandbox.admin.addApiKey({ readOnly: true });
    const readOnlyClient = hmacClient(sandbox, { auth: { kind: 'hmac', ...readOnly } });
    expectDocumented(await rejectionOf(readOnlyClient.trackDeviceVariables(identity())), 'read_only_api_key');
  });

  it('missing_headers when a proxy strips the Date header', async () => {
    const client = hmacClient(sandbox, { adapter: rewritingAdapter((h) => { delete h.Date; }) });
    expectDocumented(await rejectionOf(client.trackDeviceVariables(identity())), 'missing_headers');
  });

  it('authorization_invalid_headers / authorization_missing_params when a proxy mangles Authorization', async () => {
    const garbled = hmacClient(sandbox, { adapter: rewritingAdapter((h) => { h.Authorization = 'garbage'; }) });
    expectDocumented(await rejectionOf(garbled.trackDeviceVariables(identity())), 'authorization_invalid_headers');
    const partial = hmacClient(sandbox, { adapter: rewritingAdapter((h) => { h.Authorization = String(h.Authorization).replace(/,apikey="[^"]*"/, ''); }) });
    expectDocumented(await rejectionOf(partial.trackDeviceVariables(identity())), 'authorization_missing_params');
  });

  it('date_header_diff when the clock is off and the server\'s Date does not explain it', async () => {
    // The reply's Date is skewed the same way as our clock: nothing to learn, so no retry and the error surfaces.
    sandbox.faults.inject({ kind: 'date-skew', ms: -3_600_000 });
    try {
      const client = hmacClient(sandbox, { now: () => Date.now() - 3_600_000 });
      expectDocumented(await rejectionOf(client.trackDeviceVariables(identity())), 'date_header_diff');
    } finally {
      sandbox.faults.clear();
    }
  });

  it('not_found for an API URL with the wrong path', async () => {
    const client = hmacClient(sandbox, { apiUrl: `${sandbox.origin}/api/v3/` });
    const error = await rejectionOf(client.checkLicense(identity()));
    expect(error.code).toBe('not_found');
    expect(error.errorClass).toBe('needs-configuration');
  });
});

describe('domain errors', () => {
  it('unknown_product, license_not_found, license_key_required, missing_parameters', async () => {
    const client = hmacClient(sandbox);
    const hw = freshHardwareId();
    expectDocumented(await rejectionOf(client.trackDeviceVariables({ product: 'nope', hardwareId: hw, licenseKey: 'x', variables: {} })), 'unknown_product');
    expectDocumented(await rejectionOf(client.trackDeviceVariables({ product: sandbox.demo.product, hardwareId: hw, licenseKey: 'NOPE-NOPE', variables: {} })), 'license_not_found');
    expectDocumented(await rejectionOf(client.activateLicense({ product: sandbox.demo.product, hardwareId: hw, username: 'someone' })), 'license_key_required');
    expectDocumented(await rejectionOf(client.activateLicense({ product: sandbox.demo.userProduct, hardwareId: hw, username: sandbox.demo.username })), 'missing_parameters');
  });

  it('license_not_enabled and license_not_active (and recovery once re-enabled)', async () => {
    const client = hmacClient(sandbox);
    const disabled = sandbox.admin.addLicense({ product: sandbox.demo.product, enabled: false });
    const inactive = sandbox.admin.addLicense({ product: sandbox.demo.product, active: false });
    const hw = freshHardwareId();
    expectDocumented(await rejectionOf(client.activateLicense({ product: sandbox.demo.product, hardwareId: hw, licenseKey: disabled.licenseKey! })), 'license_not_enabled');
    expectDocumented(await rejectionOf(client.activateLicense({ product: sandbox.demo.product, hardwareId: hw, licenseKey: inactive.licenseKey! })), 'license_not_active');
    sandbox.admin.setLicenseState(disabled.licenseKey!, { enabled: true });
    await expect(client.activateLicense({ product: sandbox.demo.product, hardwareId: hw, licenseKey: disabled.licenseKey! })).resolves.toMatchObject({ licenseKey: disabled.licenseKey });
    await expect(client.checkLicense({ product: sandbox.demo.product, hardwareId: hw, licenseKey: disabled.licenseKey! })).resolves.toMatchObject({ licenseEnabled: true, licenseActive: true });
  });

  it('device_not_found before activation (needs-activation)', async () => {
    const client = hmacClient(sandbox);
    const error = await rejectionOf(client.trackDeviceVariables({ product: sandbox.demo.product, hardwareId: freshHardwareId(), licenseKey: sandbox.demo.licenseKey, variables: { a: 1 } }));
    expectDocumented(error, 'device_not_found');
    expect(errorView(error, 5)).toMatchObject({ code: 'device_not_found', errorClass: 'needs-activation', at: 5 });
  });

  it('blacklisted', async () => {
    const client = hmacClient(sandbox);
    const hw = freshHardwareId();
    sandbox.admin.blacklist(sandbox.demo.product, hw);
    expectDocumented(await rejectionOf(client.activateLicense({ product: sandbox.demo.product, hardwareId: hw, licenseKey: sandbox.demo.licenseKey })), 'blacklisted');
  });

  it('license_activated_max_times', async () => {
    const client = hmacClient(sandbox);
    const one = sandbox.admin.addLicense({ product: sandbox.demo.product, maxActivations: 1 });
    await client.activateLicense({ product: sandbox.demo.product, hardwareId: freshHardwareId(), licenseKey: one.licenseKey! });
    expectDocumented(await rejectionOf(client.activateLicense({ product: sandbox.demo.product, hardwareId: freshHardwareId(), licenseKey: one.licenseKey! })), 'license_activated_max_times');
  });

  it('validation_error when the device would exceed the variable limit (each request valid on its own)', async () => {
    const { adapter, seen } = recordingAdapter();
    const client = hmacClient(sandbox, { adapter });
    const identity = { product: sandbox.demo.product, hardwareId: freshHardwareId(), licenseKey: sandbox.demo.licenseKey };
    await client.activateLicense(identity);
    const batch = (prefix: string) => Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`${prefix}${i}`, i]));
    await client.trackDeviceVariables({ ...identity, variables: batch('a') });
    expectDocumented(await rejectionOf(client.trackDeviceVariables({ ...identity, variables: batch('b') })), 'validation_error');
    expect(seen.flatMap((s) => s.violations)).toEqual([]);
    expect(seen.at(-1)?.status).toBe(400);
  });
});
