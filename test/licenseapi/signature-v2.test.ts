// Response signature v2 against the sandbox's key pair, as the vendor's SDK does
// it: the 2xx replies of activate, check, get and track must carry a valid
// LicenseSignature (else signature_v2_mismatch); error replies (the vendor signs
// none) and deactivate_license's reply are accepted unsigned, and an unsigned
// error is classified by its code — what it can make the agent do is bounded elsewhere.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../sandbox/server.ts';
import type { Sandbox } from '../../sandbox/server.ts';
import { freshHardwareId, hmacClient, rejectionOf } from './helpers.ts';

let sandbox: Sandbox;
let identity: { product: string; hardwareId: string; licenseKey: string };
beforeAll(async () => {
  sandbox = await startSandbox();
  identity = { product: sandbox.demo.product, hardwareId: freshHardwareId('sig'), licenseKey: sandbox.demo.licenseKey };
});
// The device is activated by the first test that runs, not in beforeAll: client code run
// in beforeAll is outside every test, so mutation testing would have to run all tests
// against each mutant of it (docs/testing.md).
let activation: Promise<unknown> | undefined;
beforeEach(async () => {
  activation ??= hmacClient(sandbox).activateLicense(identity);
  await activation;
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

  it('accepts the vendor\'s unsigned error replies and classifies them by code (marked unsigned)', async () => {
    const client = verifying();
    const notFound = await rejectionOf(client.trackDeviceVariables({ ...identity, hardwareId: freshHardwareId('unsigned'), variables: { a: 1 } }));
    expect(notFound).toMatchObject({ code: 'device_not_found', errorClass: 'needs-activation', signed: false });
    const other = { ...identity, licenseKey: sandbox.admin.addLicense({ product: sandbox.demo.product }).licenseKey!, hardwareId: freshHardwareId('disabled') };
    await client.activateLicense(other);
    sandbox.admin.setLicenseState(other.licenseKey, { enabled: false });
    expect(await rejectionOf(client.trackDeviceVariables({ ...other, variables: { a: 1 } }))).toMatchObject({ code: 'license_not_enabled', errorClass: 'license-state' });
  });

  it('accepts deactivate_license\'s reply unsigned (the vendor\'s SDK never checks it)', async () => {
    const client = verifying();
    const id = { ...identity, hardwareId: freshHardwareId('deact') };
    await client.activateLicense(id);
    sandbox.faults.inject({ kind: 'no-signature', times: 1, paths: ['deactivate_license'] });
    await expect(client.deactivateLicense(id)).resolves.toBeUndefined();
  });

  it('marks an error reply whose signature verifies as signed (a server that signs errors)', async () => {
    const signing = await startSandbox({ signErrors: true, rsaBits: 1024 });
    try {
      const client = hmacClient(signing, { publicKeyPem: signing.demo.publicKeyPem });
      const error = await rejectionOf(client.checkLicense({ product: signing.demo.product, hardwareId: freshHardwareId('se'), licenseKey: signing.demo.licenseKey }));
      expect(error).toMatchObject({ code: 'device_not_found', signed: true });
      signing.faults.inject({ kind: 'bad-signature', times: 1 });
      const tampered = await rejectionOf(client.checkLicense({ product: signing.demo.product, hardwareId: freshHardwareId('se'), licenseKey: signing.demo.licenseKey }));
      expect(tampered).toMatchObject({ code: 'device_not_found', signed: false });
    } finally {
      await signing.close();
    }
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
