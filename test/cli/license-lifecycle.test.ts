// The license's life seen from the command line, against a sandbox process that
// behaves like the vendor's server (error replies unsigned), with the sandbox's
// public key configured: activation of a fresh device, the license state in words,
// a disabled license, deactivation (twice), and a reinstall that re-sends only what
// differs from what the server holds.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, makeTempDir, removeDir, runCli, startSandboxProcess, STACK_LINE, type SandboxProcess } from './cli-harness.ts';

let dir: string;
let sandbox: SandboxProcess;
let publicKeyFile: string;

beforeAll(async () => {
  dir = await makeTempDir('license-life');
  sandbox = await startSandboxProcess(dir);
  publicKeyFile = join(dir, 'sandbox.pub');
  await writeFile(publicKeyFile, sandbox.config.publicKeyPem);
});
afterAll(async () => {
  await sandbox?.stop();
  await removeDir(dir);
});

const env = () => cleanEnv(dir, { DEVICE_AGENT_SHARED_KEY: sandbox.config.sharedKey });
function args(stateDir: string, hardwareId: string, licenseKey = sandbox.config.licenseKey): string[] {
  const { apiUrl, apiKey, product } = sandbox.config;
  return [`--api-url=${apiUrl}`, `--api-key=${apiKey}`, `--product=${product}`, `--license-key=${licenseKey}`, `--state-dir=${stateDir}`,
    `--hardware-id=${hardwareId}`, `--public-key=${publicKeyFile}`, '--var', 'site=lab'];
}

describe('the license from the command line (vendor-like sandbox: unsigned errors; public key configured)', () => {
  it('a fresh device activates (its unsigned device_not_found is acted on) and ends synced, exit 0, with the license in words', async () => {
    const result = await runCli(['once', ...args(join(dir, 'fresh'), 'life-fresh'), '--auto-activate'], { env: env() });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^synced: the server holds all \d+ variables/m);
    expect(result.stdout).toMatch(/^license: perpetual license · does not expire · 1 of 100 activations used$/m);
  });

  it('a disabled license ends with exit 13 and the license\'s state in words', async () => {
    const { licenseKey } = await sandbox.adminPost('__admin/licenses', { product: sandbox.config.product, maxActivations: 3 }) as { licenseKey: string };
    const stateDir = join(dir, 'disabled');
    expect((await runCli(['once', ...args(stateDir, 'life-disabled', licenseKey), '--auto-activate'], { env: env() })).code).toBe(0);
    await sandbox.adminPost('__admin/license-state', { license: licenseKey, enabled: false });
    // The track is refused (license_not_enabled); the agent then checks the license at once, so it can say why in words.
    const result = await runCli(['once', ...args(stateDir, 'life-disabled', licenseKey), '--auto-activate', '--var', 'site=changed'], { env: env() });
    expect(result.code).toBe(13);
    expect(result.stderr).toMatch(/^error license_not_enabled: The license is disabled \(perpetual license · disabled · active · .*\)\. What to do: Ask your license administrator to enable the license/m);
    expect(result.stderr).toMatch(/^license: perpetual license · disabled · active/m);
    // The next run checks the license first (it was the cause) and stops there: nothing sent.
    const before = (await sandbox.requests()).length;
    const again = await runCli(['once', ...args(stateDir, 'life-disabled', licenseKey), '--auto-activate', '--var', 'site=changed'], { env: env() });
    expect(again.code).toBe(13);
    expect((await sandbox.requests()).slice(before).map((r) => `${r.endpoint} ${r.status}`)).toEqual(['check_license 200']);
  });

  it('deactivate: exit 0 on license_deactivated; a second deactivate says the device is not activated (exit 12)', async () => {
    const stateDir = join(dir, 'deactivate');
    expect((await runCli(['once', ...args(stateDir, 'life-deact'), '--auto-activate'], { env: env() })).code).toBe(0);
    const first = await runCli(['deactivate', ...args(stateDir, 'life-deact')], { env: env() });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^deactivated: hardware id life-deact no longer holds license/);
    const second = await runCli(['deactivate', ...args(stateDir, 'life-deact')], { env: env() });
    expect(second.code).toBe(12);
    expect(second.stderr.trim()).toBe(`error device_not_found: This device is not activated for this license. What to do: ${'Activate the license on this device (or turn on auto-activate), or set the hardware id your licensed program uses (hardwareId or hardwareIdFile).'}`);
    expect((await sandbox.requests()).filter((r) => r.endpoint === 'deactivate_license').map((r) => r.status)).toEqual([200, 400]);
  });

  it('a reinstalled agent (state directory gone) re-sends only what differs from what the server holds', async () => {
    const first = await runCli(['once', ...args(join(dir, 'install-1'), 'life-reinstall'), '--auto-activate'], { env: env() });
    expect(first.code).toBe(0);
    const total = Number(/holds all (\d+) variables/.exec(first.stdout)?.[1]);
    const before = (await sandbox.requests()).length;
    const second = await runCli(['once', ...args(join(dir, 'install-2'), 'life-reinstall'), '--auto-activate'], { env: env() });
    expect(second.code).toBe(0);
    const sent = Number(/\((\d+) sent this time\)/.exec(second.stdout)?.[1]);
    const calls = (await sandbox.requests()).slice(before).map((r) => r.endpoint);
    console.log(`[reinstall] ${total} variables; the reinstalled agent sent ${sent} (before: all ${total}); requests: ${calls.join(', ')}`);
    expect(calls.slice(0, 2)).toEqual(['check_license', 'get_device_variables']);
    // Only noisy metrics can differ between the two runs; the static facts never do.
    expect(sent).toBeLessThanOrEqual(8);
    expect(sent).toBeLessThan(total);
  });
});
