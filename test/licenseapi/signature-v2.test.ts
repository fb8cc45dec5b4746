// Response signature v2 against the sandbox's key pair: verified replies are
// used; a missing or wrong LicenseSignature makes the reply untrusted
// (signature_v2_mismatch), on success replies and on API error replies alike.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../sandbox/server.ts';
import type { Sandbox } from '../../sandbox/server.ts';
import { freshHardwareId, hmacClient, rejectionOf } from './helpers.ts';

let sandbox: Sandbox;
let identity: { product: string; hardwareId: string; licenseKey: string };
beforeAll(async () => {
  sandbox = await startSandbox();
  identity = { product: sandbox.demo.product, hardwareId: freshHardwareId('sig'), licenseKey: sandbox.demo.licenseKey };
  await hmacClient(sandbox).activateLicense(identity);
});
afterEach(() => sandbox.faults.clear());
afterAll(async () => {
  await sandbox?.close();
});

const verifying = () => hmacClient(sandbox, { publicKeyPem: sandbox.demo.publicKeyPem });

describe('LicenseSignature (v2)', () => {
  it('accepts correctly signed replies on every endpoint', async () => {
    const client = verifying();
    const hw = freshHardwareId('sig');
    const id = { ...identity, hardwareId: hw };
    await client.activateLicense(id);
    await client.trackDeviceVariables({ ...id, variables: { signed: true } });
    await client.getDeviceVariables(id);
    await client.checkLicense(id);
    await client.deactivateLicense(id);
  });

  it('refuses a reply without the header', async () => {
    sandbox.faults.inject({ kind: 'no-signature', times: 1 });
    expect(await rejectionOf(verifying().trackDeviceVariables({ ...identity, variables: { a: 1 } }))).toMatchObject({ code: 'signature_v2_mismatch', errorClass: 'retryable', status: 200 });
  });

  it('refuses a reply with a wrong signature', async () => {
    sandbox.faults.inject({ kind: 'bad-signature', times: 1 });
    expect(await rejectionOf(verifying().getDeviceVariables(identity))).toMatchObject({ code: 'signature_v2_mismatch', errorClass: 'retryable' });
  });

  it('refuses replies signed by another key than the configured one', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const client = hmacClient(sandbox, { publicKeyPem: other });
    expect((await rejectionOf(client.checkLicense(identity))).code).toBe('signature_v2_mismatch');
  });

  it('does not act on an unsigned API error (it could be forged to trigger activation)', async () => {
    sandbox.faults.inject({ kind: 'no-signature', times: 1 });
    const error = await rejectionOf(verifying().trackDeviceVariables({ ...identity, hardwareId: freshHardwareId('unsigned'), variables: { a: 1 } }));
    expect(error.code).toBe('signature_v2_mismatch');
    // The same reply, signed, is the documented error.
    const signed = await rejectionOf(verifying().trackDeviceVariables({ ...identity, hardwareId: freshHardwareId('signed'), variables: { a: 1 } }));
    expect(signed.code).toBe('device_not_found');
  });

  it('still classifies an unsigned non-API error (a proxy\'s 503) by its status', async () => {
    sandbox.faults.inject({ kind: 'status', status: 503, retryAfter: '3', times: 1 });
    sandbox.faults.inject({ kind: 'no-signature', times: 1 });
    expect(await rejectionOf(verifying().checkLicense(identity))).toMatchObject({ code: 'http_503', retryAfterMs: 3000 });
  });

  it('ignores signatures when no public key is configured', async () => {
    sandbox.faults.inject({ kind: 'no-signature', times: 1 });
    await expect(hmacClient(sandbox).checkLicense(identity)).resolves.toMatchObject({ licenseActive: true });
  });

  it('refuses an unreadable public key at construction, naming the option', () => {
    expect(() => hmacClient(sandbox, { publicKeyPem: 'not a key' })).toThrow(/publicKeyPem/);
  });
});
