import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from './server.ts';
import type { Sandbox } from './server.ts';
import { activateDemo, callApi, signatureValid } from '../test/support/sandbox-calls.ts';

const dirs: string[] = [];
const open: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function fileDb(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sandbox-db-'));
  dirs.push(dir);
  return join(dir, 'sandbox.sqlite');
}

describe('a file database', () => {
  it('keeps credentials, key pair, licenses, devices and variables across a restart', async () => {
    const dbPath = await fileDb();
    const first = await startSandbox({ dbPath });
    open.push(first);
    await activateDemo(first, 'persisted-device');
    const tracked = await callApi(first, 'track_device_variables', {
      params: { product: 'demo', license_key: first.demo.licenseKey, hardware_id: 'persisted-device', variables: { kept: 'yes', n: 3 } },
    });
    expect(tracked.status).toBe(200);
    const { demo: before } = first;
    await first.close();
    open.splice(0);

    const second = await startSandbox({ dbPath });
    open.push(second);
    expect(second.port).not.toBe(0);
    const { apiUrl: _a, oauth: _o, ...sameFields } = before;
    expect(second.demo).toMatchObject(sameFields);
    expect(second.demo.publicKeyPem).toBe(before.publicKeyPem);
    expect(second.admin.deviceVariables('demo', 'persisted-device')).toEqual({ kept: 'yes', n: '3' });
    // the device is still active: no re-activation needed, and replies verify with the old public key
    const got = await callApi(second, 'get_device_variables', { params: { product: 'demo', license_key: before.licenseKey, hardware_id: 'persisted-device' } });
    expect(got.status).toBe(200);
    expect(signatureValid(second, got)).toBe(true);
  });

  it('an in-memory sandbox starts empty each time, with a fresh key pair', async () => {
    const a = await startSandbox();
    const b = await startSandbox();
    open.push(a, b);
    expect(a.demo.publicKeyPem).not.toBe(b.demo.publicKeyPem);
    expect(a.demo.licenseKey).not.toBe(b.demo.licenseKey);
  });

  it('seedDemo: false creates API access but no demo licenses', async () => {
    const bare = await startSandbox({ seedDemo: false });
    open.push(bare);
    expect(bare.demo.product).toBe('');
    expect(bare.demo.apiKey).not.toBe('');
    bare.admin.addProduct({ code: 'p1', authorizationMethod: 'license-key' });
    const { licenseKey } = bare.admin.addLicense({ product: 'p1', licenseKey: 'K-1' });
    expect(licenseKey).toBe('K-1');
    const result = await callApi(bare, 'activate_license', { params: { product: 'p1', license_key: 'K-1', hardware_id: 'h' } });
    expect(result.status).toBe(200);
    expect((await callApi(bare, 'check_license', { params: { product: 'demo', license_key: 'K-1', hardware_id: 'h' } })).json).toMatchObject({ code: 'unknown_product' });
  });
});
