// Through the composition root (createAgent with a real configuration) against the
// sandbox: the license's state in the status (type, expiry, warnings before it),
// the bound on acting on an unsigned device_not_found, the hardware id file, the
// device facts an activation carries, deactivation, and reply verification.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAgent } from '../../app/create-agent.ts';
import type { AgentHandle, CreateAgentOptions } from '../../app/create-agent.ts';
import type { AgentConfig } from '../../app/config/index.ts';
import { createLicenseApiClient } from '../../app/licenseapi/client.ts';
import { startSandbox } from '../../sandbox/server.ts';
import type { Sandbox } from '../../sandbox/server.ts';
import { freshHardwareId, sandboxConfig } from '../reliability/harness.ts';

const DAY = 24 * 3_600_000;
let sandbox: Sandbox;
const handles: AgentHandle[] = [];
let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox({ rsaBits: 1024 });
  dir = await mkdtemp(join(tmpdir(), 'da-license-'));
});
afterAll(async () => {
  await Promise.all(handles.map((h) => h.close()));
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => sandbox.admin.resetRequestLog());

let n = 0;
const configs = new Map<AgentHandle, AgentConfig>();
async function agent(extra: Record<string, unknown> = {}, options: CreateAgentOptions = {}, box: Sandbox = sandbox): Promise<AgentHandle> {
  const config = sandboxConfig(box, join(dir, `state-${++n}`), extra);
  const handle = await createAgent(config, { publicKeyPem: box.demo.publicKeyPem, ...options });
  handles.push(handle);
  configs.set(handle, config);
  return handle;
}

/** The agent stopped and started again on its state directory. */
async function restart(handle: AgentHandle, box: Sandbox = sandbox): Promise<AgentHandle> {
  await handle.close();
  const config = configs.get(handle)!;
  const next = await createAgent(config, { publicKeyPem: box.demo.publicKeyPem });
  handles.push(next);
  configs.set(next, config);
  return next;
}

const api = (box: Sandbox = sandbox) => createLicenseApiClient({ apiUrl: box.url, auth: { kind: 'hmac', apiKey: box.demo.apiKey, sharedKey: box.demo.sharedKey }, timeoutMs: 3000 });

describe('the license in the status', () => {
  const timeLimited = (daysLeft: number) => sandbox.admin.addLicense({
    product: sandbox.demo.product, licenseType: 'time-limited', validityPeriod: new Date(Date.now() + daysLeft * DAY + 3_600_000), maxActivations: 4,
  }).licenseKey!;

  it('type, validity, days left and activations, from the check at start (or the activation)', async () => {
    const handle = await agent({ licenseKey: timeLimited(40), hardwareId: freshHardwareId() });
    expect((await handle.agent.syncNow()).ok).toBe(true);
    const { license, warnings, headline } = handle.agent.status();
    expect(license).toMatchObject({ type: 'time-limited', isTrial: false, expired: false, daysLeft: 40, maxActivations: 4, timesActivated: 1 });
    expect(license?.summary).toMatch(/^time-limited license · expires \d{4}-\d\d-\d\d \(40 days left\) · 1 of 4 activations used$/);
    expect(warnings.filter((w) => /expires/.test(w))).toEqual([]);
    expect(headline).toBe('Synced just now');
  });

  it('warns 14 days before expiry, more urgently 3 days before, in the warnings and the tray\'s headline', async () => {
    const soon = await agent({ licenseKey: timeLimited(10), hardwareId: freshHardwareId() });
    await soon.agent.syncNow();
    expect(soon.agent.status().warnings).toContainEqual(expect.stringMatching(/^The license expires in 10 days \(\d{4}-\d\d-\d\d\)\. Ask your license administrator to renew it\.$/));
    expect(soon.agent.status().headline).toBe('Synced just now — license expires in 10 days');
    const urgent = await agent({ licenseKey: timeLimited(2), hardwareId: freshHardwareId() });
    await urgent.agent.syncNow();
    expect(urgent.agent.status().warnings).toContainEqual(expect.stringMatching(/^The license expires in 2 days .*Renew it now/));
  });

  it('an expired license: check says so, the cycle stops with license_expired and the state in words', async () => {
    const licenseKey = sandbox.admin.addLicense({ product: sandbox.demo.product, licenseType: 'subscription', validityPeriod: new Date(Date.now() + 1500) }).licenseKey!;
    const hardwareId = freshHardwareId();
    expect((await (await agent({ licenseKey, hardwareId })).agent.syncNow()).ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const later = await agent({ licenseKey, hardwareId }); // a restart: the check at start
    const result = await later.agent.syncNow();
    expect(result.error).toMatchObject({ code: 'license_expired', errorClass: 'license-state' });
    expect(result.error?.summary).toMatch(/^The license has expired \(subscription license · enabled · active · expired on \d{4}-\d\d-\d\d · 1 of 5 activations used\)\.$/);
    expect(sandbox.admin.requests().filter((r) => r.endpoint === 'track_device_variables')).toEqual([]);
  });
});

describe('acting on an unsigned device_not_found', () => {
  it('activates at most once a day per identity; a signed one (a server that signs errors) may activate again', async () => {
    const hardwareId = freshHardwareId();
    const handle = await agent({ hardwareId });
    expect((await handle.agent.syncNow()).ok).toBe(true); // activated (the check said device_not_found, unsigned)
    await api().deactivateLicense({ product: sandbox.demo.product, hardwareId, licenseKey: sandbox.demo.licenseKey });
    const restarted = await restart(handle); // the check at start finds the device gone again
    const second = await restarted.agent.syncNow();
    expect(second.error?.code).toBe('device_not_found');
    expect(second.error?.summary).toMatch(/although the agent activated it at /);
    expect(second.error?.remedy).toMatch(/at most once a day \(next: /);
    expect(sandbox.admin.requests().filter((r) => r.endpoint === 'activate_license')).toHaveLength(1);

    const signing = await startSandbox({ signErrors: true, rsaBits: 1024 });
    try {
      const id = freshHardwareId();
      const signed = await agent({ hardwareId: id }, {}, signing);
      expect((await signed.agent.syncNow()).ok).toBe(true);
      await api(signing).deactivateLicense({ product: signing.demo.product, hardwareId: id, licenseKey: signing.demo.licenseKey });
      expect((await (await restart(signed, signing)).agent.syncNow()).ok).toBe(true);
      expect(signing.admin.requests().filter((r) => r.endpoint === 'activate_license')).toHaveLength(2);
    } finally {
      await signing.close();
    }
  });
});

describe('the hardware id file', () => {
  it('is read at every sync: a new id is a new identity; a missing file stops the cycle before anything is sent', async () => {
    const file = join(dir, 'licensed-program.hwid');
    await writeFile(file, 'Program-Id-A\n');
    const handle = await agent({ hardwareIdFile: file });
    expect(handle.agent.status().hardwareId).toBe('Program-Id-A');
    expect(handle.agent.status().hardwareIdSource).toEqual({ source: 'file', description: expect.stringContaining(`read from ${file} (hardwareIdFile)`), message: { key: 'hwidSource.file', params: { file } } });
    expect((await handle.agent.syncNow()).ok).toBe(true);
    expect(sandbox.admin.deviceVariables(sandbox.demo.product, 'Program-Id-A')).toMatchObject({ agent_version: expect.any(String) });

    await writeFile(file, 'Program-Id-B');
    expect((await handle.agent.syncNow()).ok).toBe(true);
    expect(handle.agent.status().hardwareId).toBe('Program-Id-B');
    expect(sandbox.admin.deviceVariables(sandbox.demo.product, 'Program-Id-B')).toMatchObject({ agent_version: expect.any(String) });

    await rm(file);
    await handle.agent.start();
    sandbox.admin.resetRequestLog();
    const failed = await handle.agent.syncNow();
    expect(failed.error).toMatchObject({ code: 'hardware_id_unavailable', errorClass: 'needs-configuration' });
    expect(failed.error?.summary).toContain(`${file} does not exist (yet)`);
    expect(sandbox.admin.requests()).toEqual([]);
    expect(handle.agent.status().nextSyncAt! - Date.now()).toBeLessThanOrEqual(3_600_000); // retried, not parked for hours

    await writeFile(file, 'x'.repeat(5000));
    expect((await handle.agent.syncNow()).error?.summary).toMatch(/larger than 4096 bytes/);
    await writeFile(file, 'one\ntwo\n');
    expect((await handle.agent.syncNow()).error?.summary).toMatch(/holds 2 lines/);
  });

  it('an unreadable file at start does not stop the agent from starting; hardwareId wins over the file', async () => {
    const missing = join(dir, 'not-yet-written.hwid');
    const handle = await agent({ hardwareIdFile: missing });
    expect(handle.hardwareId).toBe('');
    expect((await handle.agent.syncNow()).error?.code).toBe('hardware_id_unavailable');
    const both = await agent({ hardwareIdFile: missing, hardwareId: 'Explicit-Id' });
    expect(both.agent.status().hardwareIdSource?.source).toBe('configured');
    expect((await both.agent.syncNow()).ok).toBe(true);
  });
});

describe('what an activation tells the server about the device', () => {
  it('os_ver, sdk_ver, app_ver and is_vm always; hostname, ip and mac only when the PII setting allows each', async () => {
    const quiet = freshHardwareId();
    await (await agent({ hardwareId: quiet, allow: ['*'] })).agent.syncNow();
    const details = sandbox.admin.deviceDetails(sandbox.demo.product, quiet)!;
    expect(details).toMatchObject({ os_ver: expect.stringMatching(/^(linux|darwin|win32) /), sdk_ver: expect.stringMatching(/^device-agent /), app_ver: expect.any(String), app_name: 'device-agent', is_vm: expect.any(Boolean) });
    expect(details).not.toHaveProperty('hostname');
    expect(details).not.toHaveProperty('ip');
    expect(details).not.toHaveProperty('mac_address');

    const open = freshHardwareId();
    await (await agent({ hardwareId: open, allow: ['*'], pii: ['hostname'] })).agent.syncNow();
    expect(sandbox.admin.deviceDetails(sandbox.demo.product, open)).toMatchObject({ hostname: expect.any(String) });
    expect(sandbox.admin.deviceDetails(sandbox.demo.product, open)).not.toHaveProperty('mac_address');
  });
});

describe('deactivation', () => {
  it('deactivates, forgets what the server acknowledged, pauses; resuming activates again', async () => {
    const hardwareId = freshHardwareId();
    const handle = await agent({ hardwareId });
    expect((await handle.agent.syncNow()).ok).toBe(true);
    expect(await handle.agent.deactivate()).toEqual({ ok: true });
    const status = handle.agent.status();
    expect(status.phase).toBe('paused');
    expect(status.headline).toMatch(/^Deactivated/);
    expect(status.license).toBeUndefined();
    expect(status.variables.every((v) => v.pending)).toBe(true);
    expect(sandbox.admin.requests().filter((r) => r.endpoint === 'deactivate_license').map((r) => r.status)).toEqual([200]);
    const again = await handle.agent.deactivate();
    expect(again.error).toMatchObject({ code: 'device_not_found', errorClass: 'needs-activation' });
    handle.agent.setPaused(false);
    expect((await handle.agent.syncNow()).ok).toBe(true);
    expect(sandbox.admin.requests().filter((r) => r.endpoint === 'activate_license')).toHaveLength(2);
  });
});

describe('reply verification', () => {
  it('the vendor\'s key by default for its production API; a custom server without publicKey says replies are not verified', async () => {
    const production = await createAgent(sandboxConfig(sandbox, join(dir, 'prod-url'), { apiUrl: 'https://api.licensespring.com/api/v4/', hardwareId: 'x' }));
    handles.push(production);
    expect(production.agent.status().replyVerification).toMatchObject({ verified: true, keySource: 'vendor' });
    const custom = await createAgent(sandboxConfig(sandbox, join(dir, 'custom-url'), { hardwareId: 'y' }));
    handles.push(custom);
    expect(custom.agent.status().replyVerification).toMatchObject({ verified: false, keySource: 'none', description: expect.stringMatching(/^replies not verified/) });
    expect(custom.agent.status().warnings).toContainEqual(expect.stringMatching(/^Replies from .* are not verified/));
    expect((await agent({ hardwareId: 'z' })).agent.status().replyVerification).toMatchObject({ verified: true, keySource: 'sandbox' });
  });
});

