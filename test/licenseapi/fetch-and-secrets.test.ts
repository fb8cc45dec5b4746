// Two promises of the client that cut across calls: it works through a plain
// fetch implementation (as the Electron shell passes net.fetch), and no secret
// ever reaches its log hook or its errors, on success and on every failure path.
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLicenseApiClient } from '../../app/licenseapi/client.ts';
import type { LicenseApiLog } from '../../app/licenseapi/client.ts';
import { startSandbox } from '../../sandbox/server.ts';
import type { Sandbox } from '../../sandbox/server.ts';
import { freshHardwareId, hmacClient } from './helpers.ts';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox?.close();
});

describe('through a fetch implementation (net.fetch stand-in)', () => {
  it('runs every endpoint with signatures verified', async () => {
    const calls: string[] = [];
    const recordingFetch: typeof fetch = (input, init) => {
      calls.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
      return fetch(input, init);
    };
    const client = hmacClient(sandbox, { fetch: recordingFetch, publicKeyPem: sandbox.demo.publicKeyPem, now: () => Date.now() + 3_600_000 });
    const identity = { product: sandbox.demo.product, hardwareId: freshHardwareId('fetch'), licenseKey: sandbox.demo.licenseKey };
    await client.activateLicense(identity);
    await expect(client.trackDeviceVariables({ ...identity, variables: { via: 'fetch' } })).resolves.toHaveLength(1);
    expect(sandbox.admin.deviceVariables(identity.product, identity.hardwareId)).toEqual({ via: 'fetch' });
    await client.getDeviceVariables(identity);
    await client.checkLicense(identity);
    await client.deactivateLicense(identity);
    // The Date header reached the server (the clock-skew retry only works if it did).
    expect(calls[0]).toBe('/api/v4/activate_license');
    expect(calls.filter((c) => c === '/api/v4/activate_license')).toHaveLength(2);
    sandbox.faults.inject({ kind: 'latency', ms: 1000, times: 1 });
    const slow = hmacClient(sandbox, { fetch: recordingFetch, timeoutMs: 200 });
    await expect(slow.checkLicense(identity)).rejects.toMatchObject({ code: 'timeout' });
    sandbox.faults.clear();
  });
});

describe('secrets', () => {
  it('never reach the log hook, error messages, JSON or inspection', async () => {
    const secrets = sandbox.admin.addApiKey({ sharedKey: 'SHARED-KEY-s3cr3t-0123456789' });
    const lines: string[] = [];
    const log: LicenseApiLog = (level, message, fields) => lines.push(`${level} ${message} ${JSON.stringify(fields)}`);
    const errors: unknown[] = [];
    const capture = async (promise: Promise<unknown>) => {
      try {
        await promise;
      } catch (error) {
        errors.push(error);
      }
    };
    const identity = { product: sandbox.demo.product, hardwareId: freshHardwareId('secret'), licenseKey: sandbox.demo.licenseKey };
    const hmac = hmacClient(sandbox, { auth: { kind: 'hmac', ...secrets }, log, publicKeyPem: sandbox.demo.publicKeyPem, timeoutMs: 300 });
    await capture(hmac.trackDeviceVariables({ ...identity, variables: { a: 1 } })); // device_not_found
    await hmac.activateLicense(identity);
    await hmac.trackDeviceVariables({ ...identity, variables: { a: 2 } });
    for (const rule of [
      { kind: 'status', status: 503, retryAfter: '5', times: 1 }, { kind: 'malformed', times: 1 }, { kind: 'bad-signature', times: 1 },
      { kind: 'reset-mid-reply', times: 1 }, { kind: 'latency', ms: 800, times: 1 }, { kind: 'date-skew', ms: 7_200_000, times: 1 },
    ] as const) {
      sandbox.faults.inject(rule);
      await capture(hmac.checkLicense(identity));
      sandbox.faults.clear();
    }
    await capture(hmac.checkLicense(identity)); // date_header_diff, corrected and retried
    await capture(hmacClient(sandbox, { auth: { kind: 'hmac', apiKey: secrets.apiKey, sharedKey: 'WRONG-shared-key-987' }, log }).checkLicense(identity));

    const oauthLog: LicenseApiLog = (level, message, fields) => lines.push(`${level} ${message} ${JSON.stringify(fields)}`);
    const oauth = createLicenseApiClient({ apiUrl: sandbox.demo.apiUrl, auth: { kind: 'oauth', ...sandbox.demo.oauth }, log: oauthLog });
    await oauth.checkLicense(identity);
    await capture(createLicenseApiClient({ apiUrl: sandbox.demo.apiUrl, auth: { kind: 'oauth', ...sandbox.demo.oauth, clientSecret: 'WRONG-client-secret-555' }, log: oauthLog }).checkLicense(identity));

    expect(errors.length).toBeGreaterThanOrEqual(8);
    expect(lines.length).toBeGreaterThan(10);
    const everything = [
      ...lines,
      ...errors.flatMap((e) => [String(e), JSON.stringify(e), inspect(e, { depth: 10 }), (e as Error).stack ?? '']),
    ].join('\n');
    for (const secret of [secrets.sharedKey, 'WRONG-shared-key-987', sandbox.demo.oauth.clientSecret, 'WRONG-client-secret-555', sandbox.demo.sharedKey]) {
      expect(everything).not.toContain(secret);
    }
    expect(everything).not.toMatch(/Bearer|signature="|authorization/i);
    expect(everything).not.toContain(sandbox.demo.licenseKey); // URLs with query strings are never logged either
  });
});
