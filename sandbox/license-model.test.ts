// The license and product model: license types with their validity, trials,
// product states, HMAC-only products, per-key product restrictions, and whether
// error replies are signed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../app/licenseapi/error-codes.ts';
import type { ServerErrorCode } from '../app/licenseapi/error-codes.ts';
import { startSandbox } from './server.ts';
import type { Sandbox } from './server.ts';
import { callApi, fetchToken, signatureValid } from '../test/support/sandbox-calls.ts';
import type { CallResult } from '../test/support/sandbox-calls.ts';

const DAY = 24 * 3_600_000;
const NOW = Date.UTC(2031, 5, 1, 12, 0, 0);
let clock = NOW;
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ now: () => clock });
});
afterAll(() => sandbox.close());

function expectCode(result: CallResult, code: ServerErrorCode): void {
  expect(result.status).toBe(ERROR_CODES[code].status);
  expect(result.json).toMatchObject({ status: ERROR_CODES[code].status, code });
}

const call = (endpoint: string, params: Record<string, unknown>, extra: Parameters<typeof callApi>[2] = {}) => callApi(sandbox, endpoint, { signAt: clock, params, ...extra });

describe('license types', () => {
  it('a time-limited license carries its validity; check says is_expired once it has passed, and tracking goes on', async () => {
    const end = new Date(NOW + 10 * DAY).toISOString();
    const { licenseKey } = sandbox.admin.addLicense({ product: 'demo', licenseType: 'time-limited', validityPeriod: end, startDate: new Date(NOW - DAY) });
    const identity = { product: 'demo', license_key: licenseKey!, hardware_id: 'tl-1' };
    const activated = await call('activate_license', identity);
    expect(activated.json).toMatchObject({ license_type: 'time-limited', validity_period: end, is_expired: false, is_trial: false, start_date: new Date(NOW - DAY).toISOString() });
    clock = NOW + 11 * DAY;
    try {
      expect((await call('check_license', identity)).json).toMatchObject({ is_expired: true, license_enabled: true, license_active: true });
      expect((await call('track_device_variables', { ...identity, variables: { a: 1 } })).status).toBe(200);
    } finally {
      clock = NOW;
    }
  });

  it('a subscription has an end date like a time-limited license', async () => {
    const end = new Date(NOW + 30 * DAY).toISOString();
    const { licenseKey } = sandbox.admin.addLicense({ product: 'demo', licenseType: 'subscription', validityPeriod: end });
    expect((await call('activate_license', { product: 'demo', license_key: licenseKey!, hardware_id: 'sub-1' })).json)
      .toMatchObject({ license_type: 'subscription', validity_period: end, is_expired: false });
  });

  it('an expired trial refuses activation with trial_expired; a running one activates', async () => {
    const running = sandbox.admin.addLicense({ product: 'demo', licenseType: 'time-limited', isTrial: true, validityPeriod: new Date(NOW + DAY) }).licenseKey!;
    expect((await call('activate_license', { product: 'demo', license_key: running, hardware_id: 'trial-1' })).json).toMatchObject({ is_trial: true, is_expired: false });
    const ended = sandbox.admin.addLicense({ product: 'demo', licenseType: 'time-limited', isTrial: true, validityPeriod: new Date(NOW - DAY) }).licenseKey!;
    expectCode(await call('activate_license', { product: 'demo', license_key: ended, hardware_id: 'trial-2' }), 'trial_expired');
  });

  it('the admin refuses combinations the vendor has no such license for', () => {
    expect(() => sandbox.admin.addLicense({ product: 'demo', licenseType: 'time-limited' })).toThrow(/validityPeriod/);
    expect(() => sandbox.admin.addLicense({ product: 'demo', licenseType: 'perpetual', validityPeriod: new Date(NOW) })).toThrow(/perpetual/);
    expect(() => sandbox.admin.addLicense({ product: 'demo', maxTransfers: -2 })).toThrow(/maxTransfers/);
  });
});

describe('products', () => {
  it('a disabled product refuses every endpoint; an archived one refuses new activations only', async () => {
    sandbox.admin.addProduct({ code: 'prod-state', authorizationMethod: 'license-key' });
    const { licenseKey } = sandbox.admin.addLicense({ product: 'prod-state' });
    const identity = { product: 'prod-state', license_key: licenseKey!, hardware_id: 'ps-1' };
    expect((await call('activate_license', identity)).status).toBe(200);
    sandbox.admin.setProductState('prod-state', { status: 'archived' });
    expectCode(await call('activate_license', { ...identity, hardware_id: 'ps-2' }), 'archived_product');
    expect((await call('track_device_variables', { ...identity, variables: { a: 1 } })).status).toBe(200);
    sandbox.admin.setProductState('prod-state', { status: 'disabled' });
    expectCode(await call('track_device_variables', { ...identity, variables: { a: 1 } }), 'disabled_product');
    expectCode(await call('check_license', identity), 'disabled_product');
  });

  it('an HMAC-only product refuses OAuth tokens with hmac_required', async () => {
    sandbox.admin.addProduct({ code: 'hmac-only', authorizationMethod: 'license-key', hmacRequired: true });
    const { licenseKey } = sandbox.admin.addLicense({ product: 'hmac-only' });
    const identity = { product: 'hmac-only', license_key: licenseKey!, hardware_id: 'hm-1' };
    expect((await call('activate_license', identity)).status).toBe(200);
    const token = (await (await fetchToken(sandbox)).json() as { access_token: string }).access_token;
    expectCode(await call('check_license', identity, { bearer: token }), 'hmac_required');
    expect((await call('check_license', { ...identity, product: 'demo', license_key: sandbox.demo.licenseKey, hardware_id: 'hm-2' }, { bearer: token })).json).toMatchObject({ code: 'device_not_found' });
  });

  it('an API key limited to some products refuses the others with api_key_product_not_allowed', async () => {
    const limited = sandbox.admin.addApiKey({ products: ['demo'] });
    expectCode(await call('activate_license', { product: 'demo-user', username: sandbox.demo.username, password: sandbox.demo.password, hardware_id: 'k-1' }, limited), 'api_key_product_not_allowed');
    expect((await call('activate_license', { product: 'demo', license_key: sandbox.demo.licenseKey, hardware_id: 'k-1' }, limited)).status).toBe(200);
  });
});

describe('signatures of error replies', () => {
  it("are absent by default (like the vendor's) and present with signErrors; success replies are always signed", async () => {
    const unsigned = await call('check_license', { product: 'nope', license_key: 'x', hardware_id: 'x' });
    expect(unsigned.headers.get('licensesignature')).toBeNull();
    const signing = await startSandbox({ signErrors: true });
    try {
      const signed = await callApi(signing, 'check_license', { params: { product: 'nope', license_key: 'x', hardware_id: 'x' } });
      expect(signed.status).toBe(400);
      expect(signatureValid(signing, signed)).toBe(true);
    } finally {
      await signing.close();
    }
    const ok = await call('activate_license', { product: 'demo', license_key: sandbox.demo.licenseKey, hardware_id: 'sig-1' });
    expect(signatureValid(sandbox, ok)).toBe(true);
  });
});
