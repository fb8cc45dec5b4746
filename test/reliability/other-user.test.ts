// Two users on one machine, for real: this test (root) and `nobody`. A lock held by
// another user's process must count as live (kill(pid, 0) says EPERM, not "gone"), and
// a state directory the agent may not write (owned by someone else) is a warning while it
// syncs from memory — exit codes unchanged. Before: the unwritable directory gave exit 1
// "internal error … details are in the log", with no log.
// Needs root (to switch user) and a Node 24 `nobody` can run (a copy of this one).
import { spawnSync } from 'node:child_process';
import { chmod, chown, copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireStateLock, LOCK_FILE_NAME } from '../../app/state/lock.ts';
import { startSandbox } from '../../sandbox/server.ts';
import type { Sandbox } from '../../sandbox/server.ts';
import { freshHardwareId, runAgentCli, sandboxEnv } from './harness.ts';

const NOBODY = 65534;
const LOCK_MODULE = join(import.meta.dirname, '..', '..', 'app', 'state', 'lock.ts');

function whyNot(): string | undefined {
  if (process.platform !== 'linux') return 'needs Linux';
  if (process.getuid?.() !== 0) return 'needs root to run a process as another user';
  const probe = spawnSync('id', ['-u'], { uid: NOBODY, gid: NOBODY, encoding: 'utf8' });
  if (probe.status !== 0 || probe.stdout.trim() !== String(NOBODY)) return 'no usable nobody account';
  // A checkout inside a private folder (mktemp -d is 0700) is not readable by `nobody`.
  const readable = spawnSync('test', ['-r', LOCK_MODULE], { uid: NOBODY, gid: NOBODY });
  return readable.status === 0 ? undefined : `nobody cannot read this checkout (${LOCK_MODULE})`;
}
const skip = whyNot();

describe.skipIf(skip !== undefined)(`another user${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let node: string;
  let bin: string | undefined;
  let sandbox: Sandbox;
  beforeAll(async () => {
    // This Node lives under /root (0700): give `nobody` a copy it can run.
    bin = await mkdtemp(join(tmpdir(), 'da-node-'));
    await chmod(bin, 0o755);
    node = join(bin, 'node');
    await copyFile(process.execPath, node);
    await chmod(node, 0o755);
    sandbox = await startSandbox();
  });
  afterAll(async () => {
    await sandbox?.close();
    if (bin) await rm(bin, { recursive: true, force: true }); // ~100 MB
  });

  async function nobodyDir(label: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), `da-nobody-${label}-`));
    await chown(dir, NOBODY, NOBODY);
    return dir;
  }

  function acquireAsNobody(dir: string): string {
    const script = `import(${JSON.stringify(LOCK_MODULE)}).then(({ acquireStateLock }) => {
      try { acquireStateLock(process.argv[1]).release(); console.log('taken'); } catch (e) { console.log(e.name + ': ' + e.message); }
    });`;
    const result = spawnSync(node, ['--input-type=module', '-e', script, dir], { uid: NOBODY, gid: NOBODY, encoding: 'utf8', timeout: 20_000 });
    expect(result.stderr).toBe('');
    return result.stdout.trim();
  }

  it('a lock of another user\'s live process that it can read counts as live (kill says EPERM, not "gone")', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'da-shared-lock-'));
    await chmod(dir, 0o777); // both users may create their candidate lock here
    // The previous format, readable by everyone, naming this (root's) process.
    await writeFile(join(dir, LOCK_FILE_NAME), JSON.stringify({ pid: process.pid, host: hostname(), startedAt: Date.now(), token: 'root' }), { mode: 0o644 });
    expect(acquireAsNobody(dir)).toBe(`StateLockedError: Another Device Agent (pid ${process.pid}) is already using ${dir}. Stop it, or give this one its own --state-dir.`);
    expect(await readdir(dir)).toEqual([LOCK_FILE_NAME]);
  });

  it('a private lock of another user (unreadable to us) counts as live, and is not taken over', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'da-shared-lock-'));
    await chmod(dir, 0o777);
    const held = acquireStateLock(dir);
    try {
      expect(acquireAsNobody(dir)).toBe(`StateLockedError: Another Device Agent is already using ${dir}. Stop it, or give this one its own --state-dir.`);
    } finally {
      held.release();
    }
    expect(await readdir(dir)).toEqual([]);
    expect(acquireAsNobody(dir)).toBe('taken');
  });

  it('`once` in a state directory it may not write: synced from memory with warnings, exit 0, nothing left behind', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'da-not-yours-'));
    await chmod(stateDir, 0o755); // root's: readable, not writable by nobody
    await writeFile(join(stateDir, 'notes'), 'root was here');
    const home = await nobodyDir('home');
    const hardwareId = freshHardwareId();
    const publicKey = join(home, 'sandbox.pem');
    await writeFile(publicKey, sandbox.demo.publicKeyPem);
    const result = await runAgentCli(['once'], sandboxEnv(sandbox, stateDir, home, { DEVICE_AGENT_HARDWARE_ID: hardwareId, DEVICE_AGENT_PUBLIC_KEY: publicKey }), { node, uid: NOBODY, gid: NOBODY });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^synced: the server holds all \d+ variables/);
    expect(result.stderr).toMatch(/warning: The agent state cannot be saved to .*state\.json \(EACCES\); syncing continues from memory/);
    expect(result.stderr).toMatch(/warning: The state directory cannot be written \(EACCES\), so this agent runs without its lock/);
    expect(result.stderr).toMatch(/cannot write log file .*agent\.log \(EACCES\)/);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(Object.keys(sandbox.admin.deviceVariables(sandbox.demo.product, hardwareId))).toContain('agent_version');
    expect(await readdir(stateDir)).toEqual(['notes']);
  });

  it('`once` where the state directory cannot even be created: the same warnings, exit 0', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'da-no-parent-'));
    await chmod(parent, 0o755);
    const home = await nobodyDir('home2');
    await mkdir(join(home, 'x'));
    const result = await runAgentCli(['once'], sandboxEnv(sandbox, join(parent, 'state'), home, { DEVICE_AGENT_HARDWARE_ID: freshHardwareId() }), { node, uid: NOBODY, gid: NOBODY });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/cannot be saved .*\(EACCES\); syncing continues from memory/);
    expect(await readdir(parent)).toEqual([]);
  });
});
