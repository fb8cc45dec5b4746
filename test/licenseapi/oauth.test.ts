// OAuth client credentials against the sandbox's token endpoint: one token for
// many calls, renewal before expiry, exactly one re-authentication when the API
// says the token is expired or malformed, and a clear error for a bad client.
import type { AxiosAdapter } from 'axios';
import axios from 'axios';
import { afterEach, describe, expect, it } from 'vitest';
import { createLicenseApiClient } from '../../app/licenseapi/client.ts';
import type { LicenseApiClientOptions } from '../../app/licenseapi/client.ts';
import { startSandbox } from '../../sandbox/server.ts';
import type { Sandbox, SandboxOptions } from '../../sandbox/server.ts';
import { freshHardwareId, recordingAdapter, rejectionOf } from './helpers.ts';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function setup(options: SandboxOptions = {}, client: Partial<LicenseApiClientOptions> = {}) {
  const sb = await startSandbox(options);
  sandbox = sb;
  const api = createLicenseApiClient({ apiUrl: sb.demo.apiUrl, auth: { kind: 'oauth', ...sb.demo.oauth }, timeoutMs: 5000, ...client });
  const identity = { product: sb.demo.product, hardwareId: freshHardwareId('oauth'), licenseKey: sb.demo.licenseKey };
  const tokenRequests = () => sb.admin.requests().filter((r) => r.endpoint.includes('auth/token')).length;
  return { sb, api, identity, tokenRequests };
}

describe('OAuth client credentials', () => {
  it('fetches one token, reuses it, and sends Bearer plus a Date header', async () => {
    const { adapter, seen } = recordingAdapter();
    const { api, identity, tokenRequests } = await setup({}, { adapter });
    await api.activateLicense(identity);
    await api.trackDeviceVariables({ ...identity, variables: { a: 1 } });
    await api.getDeviceVariables(identity);
    expect(tokenRequests()).toBe(1);
    const apiCalls = seen.filter((s) => s.endpoint !== 'auth/token' && !s.endpoint.endsWith('/auth/token'));
    expect(apiCalls).toHaveLength(3);
    for (const call of apiCalls) {
      expect(call.requestHeaders.authorization).toMatch(/^Bearer \S+$/);
      expect(call.requestHeaders.date).toMatch(/GMT$/);
    }
    expect(seen.flatMap((s) => s.violations)).toEqual([]);
  });

  it('renews the token a few seconds before expires_in', async () => {
    let shift = 0;
    const { api, identity, tokenRequests } = await setup({ oauthTokenTtlSeconds: 60 }, { now: () => Date.now() + shift });
    await api.activateLicense(identity);
    shift = 45_000; // still valid: no new token
    await api.checkLicense(identity);
    expect(tokenRequests()).toBe(1);
    shift = 52_000; // within the renewal margin (10 s before expiry)
    await api.checkLicense(identity);
    expect(tokenRequests()).toBe(2);
  });

  it('re-authenticates once when the server says the token expired', async () => {
    let serverShift = 0;
    const { sb, api, identity, tokenRequests } = await setup({ oauthTokenTtlSeconds: 60, now: () => Date.now() + serverShift });
    await api.activateLicense(identity);
    serverShift = 120_000; // the server's clock moved past the token's life; ours did not
    sb.admin.resetRequestLog();
    await expect(api.checkLicense(identity)).resolves.toMatchObject({ licenseActive: true });
    expect(sb.admin.requests().map((r) => `${r.endpoint} ${r.status}`)).toEqual(['check_license 401', 'auth/token 200', 'check_license 200']);
    expect(tokenRequests()).toBe(1);
  });

  it('re-authenticates only once when the token keeps being refused (malformed)', async () => {
    // A proxy that corrupts the bearer token on every API call.
    const http = axios.getAdapter('http');
    const corrupting: AxiosAdapter = (config) => {
      const auth = config.headers.get('Authorization');
      if (typeof auth === 'string' && auth.startsWith('Bearer ')) config.headers.set('Authorization', `${auth}x`);
      return http(config);
    };
    const { api, identity, tokenRequests } = await setup({}, { adapter: corrupting });
    const error = await rejectionOf(api.checkLicense(identity));
    expect(error).toMatchObject({ code: 'oauth_token_malformed', errorClass: 'needs-configuration' });
    expect(tokenRequests()).toBe(2);
  });

  it('reports a bad client secret as oauth_invalid_client and calls no API', async () => {
    const sb = await startSandbox();
    sandbox = sb;
    const api = createLicenseApiClient({ apiUrl: sb.demo.apiUrl, auth: { kind: 'oauth', ...sb.demo.oauth, clientSecret: 'wrong-secret' } });
    const error = await rejectionOf(api.checkLicense({ product: sb.demo.product, hardwareId: 'h', licenseKey: sb.demo.licenseKey }));
    expect(error).toMatchObject({ code: 'oauth_invalid_client', errorClass: 'needs-configuration', status: 401 });
    expect(sb.admin.requests().map((r) => r.endpoint)).toEqual(['auth/token']);
  });

  it('shares one token request between concurrent calls', async () => {
    const { api, identity, tokenRequests } = await setup();
    await api.activateLicense(identity);
    await Promise.all([api.checkLicense(identity), api.getDeviceVariables(identity), api.checkLicense(identity)]);
    expect(tokenRequests()).toBe(1);
  });
});
