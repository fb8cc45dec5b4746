// Every reply shape, for every license kind and type the sandbox models, checked
// against response schemas written from the vendor's documentation and its SDK's
// published response types (test/vendor-schemas/), not from this project's client;
// and every reply is compact JSON in a stable order, so a client that verifies the
// LicenseSignature over JSON.stringify of the parsed body (as the vendor's SDK does) can.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import activateSchema from '../test/vendor-schemas/activate-license.response.schema.json' with { type: 'json' };
import checkSchema from '../test/vendor-schemas/check-license.response.schema.json' with { type: 'json' };
import deactivateSchema from '../test/vendor-schemas/deactivate-license.response.schema.json' with { type: 'json' };
import errorSchema from '../test/vendor-schemas/error.response.schema.json' with { type: 'json' };
import getSchema from '../test/vendor-schemas/get-device-variables.response.schema.json' with { type: 'json' };
import trackSchema from '../test/vendor-schemas/track-device-variables.response.schema.json' with { type: 'json' };
import { startSandbox } from './server.ts';
import type { Sandbox } from './server.ts';
import { rsaVerify } from './signing.ts';
import { callApi } from '../test/support/sandbox-calls.ts';
import type { CallResult } from '../test/support/sandbox-calls.ts';

const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true });
const schemas = {
  activate_license: ajv.compile(activateSchema),
  check_license: ajv.compile(checkSchema),
  track_device_variables: ajv.compile(trackSchema),
  get_device_variables: ajv.compile(getSchema),
  deactivate_license: ajv.compile(deactivateSchema),
  error: ajv.compile(errorSchema),
};

const DAY = 24 * 3_600_000;
let sandbox: Sandbox;
const seen: Array<{ endpoint: string; result: CallResult }> = [];

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());

async function call(endpoint: keyof typeof schemas, params: Record<string, unknown>): Promise<CallResult> {
  const result = await callApi(sandbox, endpoint, { params });
  seen.push({ endpoint, result });
  const validate = result.status >= 400 ? schemas.error : schemas[endpoint];
  const valid = validate(result.json);
  expect(valid ? [] : validate.errors?.map((e) => `${endpoint} ${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`)).toEqual([]);
  return result;
}

interface Kind { name: string; identity: Record<string, unknown>; activation: Record<string, unknown> }

function kinds(): Kind[] {
  const now = Date.now();
  const key = (name: string, license: Parameters<Sandbox['admin']['addLicense']>[0]): Kind => {
    const { licenseKey } = sandbox.admin.addLicense(license);
    const identity = { product: 'demo', license_key: licenseKey, hardware_id: `vr-${name}` };
    return { name, identity, activation: identity };
  };
  return [
    key('perpetual', { product: 'demo' }),
    key('time-limited', { product: 'demo', licenseType: 'time-limited', validityPeriod: new Date(now + 30 * DAY), startDate: new Date(now - DAY) }),
    key('subscription', { product: 'demo', licenseType: 'subscription', validityPeriod: new Date(now + 365 * DAY) }),
    key('trial', { product: 'demo', licenseType: 'time-limited', isTrial: true, validityPeriod: new Date(now + 7 * DAY) }),
    key('expired', { product: 'demo', licenseType: 'time-limited', validityPeriod: new Date(now + 500) }),
    key('transfer-limited', { product: 'demo', maxActivations: 2, maxTransfers: 3 }),
    {
      name: 'user-based',
      identity: { product: sandbox.demo.userProduct, username: sandbox.demo.username, hardware_id: 'vr-user' },
      activation: { product: sandbox.demo.userProduct, username: sandbox.demo.username, password: sandbox.demo.password, hardware_id: 'vr-user' },
    },
  ];
}

describe('replies match the vendor\'s documented shapes', () => {
  it('activate, check, track, get, deactivate for every license kind and type', async () => {
    for (const kind of kinds()) {
      const activated = await call('activate_license', { ...kind.activation, variables: { os: 'linux', cores: 8 }, os_ver: '6.1', sdk_ver: 'test' });
      expect(activated.status, kind.name).toBe(200);
      if (kind.name === 'expired') await new Promise((resolve) => setTimeout(resolve, 600));
      const checked = await call('check_license', kind.identity);
      expect(checked.status, kind.name).toBe(200);
      if (kind.name === 'expired') expect(checked.json).toMatchObject({ is_expired: true });
      expect((await call('track_device_variables', { ...kind.identity, variables: { load: 12.5, on_battery: false, site: 'x' } })).status).toBe(200);
      expect((await call('get_device_variables', kind.identity)).status).toBe(200);
      expect((await call('deactivate_license', kind.identity)).status).toBe(200);
    }
  });

  it('error replies, whatever the endpoint', async () => {
    await call('check_license', { product: 'nope', license_key: 'x', hardware_id: 'x' });
    await call('track_device_variables', { product: 'demo', license_key: sandbox.demo.licenseKey, hardware_id: 'never' });
    await call('activate_license', { product: 'demo', hardware_id: 'x' });
    await call('get_device_variables', { product: 'demo', license_key: 'NOPE', hardware_id: 'x' });
    await call('deactivate_license', { product: 'demo', license_key: sandbox.demo.licenseKey, hardware_id: 'never' });
  });

  it('every reply is compact JSON in a stable order, and its LicenseSignature verifies over JSON.stringify of the parsed body', async () => {
    expect(seen.length).toBeGreaterThan(30);
    for (const { endpoint, result } of seen) {
      expect(result.text, endpoint).toBe(JSON.stringify(result.json));
      const signature = result.headers.get('licensesignature');
      if (result.status < 300) expect(rsaVerify(sandbox.demo.publicKeyPem, JSON.stringify(result.json), signature ?? ''), endpoint).toBe(true);
    }
    const identity = { product: 'demo', license_key: sandbox.demo.licenseKey, hardware_id: 'vr-order' };
    await call('activate_license', identity);
    const first = await call('check_license', identity);
    const second = await call('check_license', identity);
    expect(Object.keys(first.json as object)).toEqual(Object.keys(second.json as object));
    // Pinned: the order clients see (a change here changes every signature a client verifies).
    expect(Object.keys(first.json as object).slice(0, 6)).toEqual(['id', 'allow_grace_period', 'allow_overages', 'allow_unlimited_activations', 'allow_offline_activation', 'can_borrow']);
    expect(Object.keys(first.json as object).slice(-5)).toEqual(['borrowed_until', 'is_borrowed', 'license_active', 'license_enabled', 'license_signature']);
  });
});
