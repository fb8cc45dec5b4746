// Two agents on one state directory (the real CLI as child processes), and a license
// disabled then re-enabled (createAgent with a real configuration): the second agent
// refuses clearly; a parked agent resumes after a configuration change or a manual sync.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../../app/create-agent.ts';
import type { AgentStatus } from '../../app/agent-api.ts';
import type { SyncEngine } from '../../app/sync/engine.ts';
import { AGENT_VERSION } from '../../app/version.ts';
import { startSandbox } from '../../sandbox/server.ts';
import type { Sandbox } from '../../sandbox/server.ts';
import { expectServerHoldsLatest, freshHardwareId, sandboxConfig, tempDir } from './harness.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'cli', 'main.ts');
let sandbox: Sandbox;
const children: ChildProcess[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await sandbox.close();
});

/** The parent's environment without any DEVICE_AGENT_* setting, plus `extra`. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('DEVICE_AGENT_')) env[name] = value;
  return { ...env, ...extra };
}

interface Finished { code: number | null; stdout: string; stderr: string }

function runCli(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<Finished>; stdout: () => string } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
  const done = new Promise<Finished>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done, stdout: () => stdout };
}

async function until(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('two agents on one state directory', () => {
  it('`once` while `run` holds the directory exits 3 with a message naming the other agent; after it stops, `once` syncs', async () => {
    const stateDir = await tempDir('two-agents');
    const hardwareId = freshHardwareId();
    const publicKey = join(stateDir, '..', `${randomUUID()}.pem`);
    await writeFile(publicKey, sandbox.demo.publicKeyPem);
    const env = cleanEnv({
      DEVICE_AGENT_API_URL: sandbox.url, DEVICE_AGENT_API_KEY: sandbox.demo.apiKey, DEVICE_AGENT_SHARED_KEY: sandbox.demo.sharedKey,
      DEVICE_AGENT_PRODUCT: sandbox.demo.product, DEVICE_AGENT_LICENSE_KEY: sandbox.demo.licenseKey, DEVICE_AGENT_HARDWARE_ID: hardwareId,
      DEVICE_AGENT_STATE_DIR: stateDir, DEVICE_AGENT_AUTO_ACTIVATE: 'true', DEVICE_AGENT_ALLOW: 'agent_version', DEVICE_AGENT_PUBLIC_KEY: publicKey,
      DEVICE_AGENT_INTERVAL: '24h',
    });
    const first = runCli(['run'], env);
    // A first start syncs within seconds (then the 24 h interval keeps `run` quiet).
    await until(() => / · sent 1 · /.test(first.stdout()), '`run` to sync once', 20_000);

    const second = await runCli(['once', '--var', 'site=second'], env).done;
    expect(second.code).toBe(3);
    expect(second.stderr.trim()).toBe(`device-agent: Another Device Agent (pid ${first.child.pid}) is already using ${stateDir}. Stop it, or give this one its own --state-dir.`);
    expect(second.stdout).toBe('');
    expect(sandbox.admin.deviceVariables(sandbox.demo.product, hardwareId)).toEqual({ agent_version: AGENT_VERSION }); // `run`'s; the refused agent sent nothing
    expect(first.child.exitCode).toBeNull(); // the first one is unaffected

    first.child.kill('SIGTERM');
    const stopped = await first.done;
    expect(stopped.code).toBe(0);
    const after = await runCli(['once', '--var', 'site=second'], env).done;
    // The only remark: the shared-key warning (the status window shows the same one).
    expect(after.stderr.trim()).toBe('warning: The company-wide shared key is stored on this device. Prefer OAuth client credentials scoped to this customer or license (see README, Security).');
    expect(after.stdout).toMatch(/^synced: the server holds all 2 variables \(1 sent this time\)/);
    expect(after.code).toBe(0);
    expect(sandbox.admin.deviceVariables(sandbox.demo.product, hardwareId)).toEqual({ agent_version: AGENT_VERSION, site: 'second' });
  });
});

function nextStatus(engine: SyncEngine, predicate: (s: AgentStatus) => boolean, timeoutMs = 8_000): Promise<AgentStatus> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off(); reject(new Error(`timed out; status: ${engine.status().headline}`)); }, timeoutMs);
    const off = engine.onStatus((s) => {
      if (predicate(s)) { clearTimeout(timer); off(); resolve(s); }
    });
  });
}

describe('license disabled, then re-enabled', () => {
  it('parks with a plain explanation, keeps values pending, resumes after a configuration change and after a manual sync', async () => {
    const licenseKey = `REL-${randomUUID().slice(0, 8)}`.toUpperCase();
    sandbox.admin.addLicense({ product: sandbox.demo.product, licenseKey, maxActivations: 2 });
    const stateDir = await tempDir('license');
    const hardwareId = freshHardwareId();
    const config = (site: string) => sandboxConfig(sandbox, stateDir, { licenseKey, hardwareId, variables: { site }, interval: '24h' });
    const handle = await createAgent(config('a'), { publicKeyPem: sandbox.demo.publicKeyPem });
    const { agent } = handle;
    try {
      await agent.start();
      expect((await agent.syncNow()).ok).toBe(true);

      sandbox.admin.setLicenseState(licenseKey, { enabled: false });
      await handle.reconfigure(config('b')); // a change arrives while the license is off
      const parked = await nextStatus(agent, (s) => s.error !== undefined);
      expect(parked.error).toMatchObject({ code: 'license_not_enabled', errorClass: 'license-state' });
      expect(parked.phase).toBe('attention');
      expect(parked.headline).toMatch(/^Needs attention: /);
      expect(parked.error?.remedy).toMatch(/administrator/);
      expect(parked.variables.find((v) => v.name === 'site')).toMatchObject({ value: 'b', acknowledged: 'a', pending: true });
      expect(parked.nextSyncAt! - Date.now()).toBeGreaterThan(5 * 3_600_000); // no hammering: a slow probe only

      sandbox.admin.setLicenseState(licenseKey, { enabled: true });
      await handle.reconfigure(config('b')); // e.g. the admin pushes the configuration again
      const resumed = await nextStatus(agent, (s) => s.phase === 'synced');
      expect(resumed.error).toBeUndefined();
      await expectServerHoldsLatest(sandbox, { hardwareId, engine: agent, licenseKey }, { agent_version: AGENT_VERSION, site: 'b' });

      // Off again; this time a person clicks "Sync now" once it is back on.
      sandbox.admin.setLicenseState(licenseKey, { enabled: false });
      await handle.reconfigure(config('c'));
      await nextStatus(agent, (s) => s.error?.code === 'license_not_enabled');
      sandbox.admin.setLicenseState(licenseKey, { enabled: true });
      expect((await agent.syncNow()).ok).toBe(true);
      expect(agent.status().headline).toBe('Synced just now');
      await expectServerHoldsLatest(sandbox, { hardwareId, engine: agent, licenseKey }, { agent_version: AGENT_VERSION, site: 'c' });
    } finally {
      await handle.close();
    }
  });
});
