// Fault matrix, the state directory itself, with the real `device-agent once` (and
// createAgent where a test needs to act mid-run): a path that is a file, a read-only
// mount, a full disk, a FIFO or a 2 GB file where state.json belongs, state.json swapped
// for a link while running, a umask of 0000, a directory every user may write.
// Before: exit 1 "internal error" (file, read-only, unwritable), an empty agent.lock left on
// a full disk that refused every later start, a hang on the FIFO, 2.2 GB and 7.6 s read on
// every start, writes through the link, 0666/0777 files and folders.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, lstat, mkdir, readdir, readFile, rm, stat, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../../app/create-agent.ts';
import { LOCK_FILE_NAME } from '../../app/state/lock.ts';
import { STATE_FILE_NAME } from '../../app/state/state-store.ts';
import { syncStateSchema } from '../../app/state/sync-state.ts';
import { startSandbox } from '../../sandbox/server.ts';
import type { Sandbox } from '../../sandbox/server.ts';
import { mountTmpfs, tmpfsUnavailable } from '../support/tmpfs.ts';
import { freshHardwareId, runAgentCli, sandboxConfig, sandboxEnv, tempDir } from './harness.ts';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

async function once(stateDir: string, extra: Record<string, string> = {}) {
  const home = await tempDir('home');
  return runAgentCli(['once'], sandboxEnv(sandbox, stateDir, home, { DEVICE_AGENT_HARDWARE_ID: freshHardwareId(), ...extra }));
}

describe('a state directory that cannot be one: a configuration error naming it (exit 2), nothing sent', () => {
  it('the path is a file', async () => {
    const dir = await tempDir('is-a-file');
    const stateDir = join(dir, 'state');
    await writeFile(stateDir, 'not a folder');
    sandbox.admin.resetRequestLog();
    const result = await once(stateDir);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr.trim()).toBe(`configuration error: stateDir: ${stateDir} is a file, not a directory`);
    expect(sandbox.admin.requests()).toEqual([]);
    expect(await readFile(stateDir, 'utf8')).toBe('not a folder');
  });

  it.skipIf(tmpfsUnavailable !== undefined)(`on a read-only mount${tmpfsUnavailable ? ` (skipped: ${tmpfsUnavailable})` : ''}`, async () => {
    const fs = mountTmpfs();
    try {
      await mkdir(join(fs.path, 'state'));
      fs.remountReadOnly();
      const result = await once(join(fs.path, 'state'));
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr.trim()).toBe(`configuration error: stateDir: ${join(fs.path, 'state')} is on a read-only file system; the agent needs a writable state directory`);
    } finally {
      fs.unmount();
    }
  });
});

describe.skipIf(tmpfsUnavailable !== undefined)(`a full disk${tmpfsUnavailable ? ` (skipped: ${tmpfsUnavailable})` : ''}`, () => {
  it('syncs from memory and says so (exit 0), leaves no empty lock behind, and the next start works once there is space', async () => {
    const fs = mountTmpfs();
    try {
      const stateDir = join(fs.path, 'state');
      await mkdir(stateDir, { mode: 0o700 });
      fs.fill();
      const hardwareId = freshHardwareId();
      const home = await tempDir('home');
      const env = sandboxEnv(sandbox, stateDir, home, { DEVICE_AGENT_HARDWARE_ID: hardwareId });
      const full = await runAgentCli(['once'], env);
      expect(full.code, full.stderr).toBe(0);
      expect(full.stdout).toMatch(/^synced: the server holds all \d+ variables/);
      expect(full.stderr).toMatch(/warning: The agent state cannot be saved to .*state\.json \(ENOSPC\); syncing continues from memory/);
      expect(full.stderr).toMatch(/warning: The state directory cannot be written \(ENOSPC\), so this agent runs without its lock/);
      expect(Object.keys(sandbox.admin.deviceVariables(sandbox.demo.product, hardwareId))).toContain('agent_version');
      expect(await readdir(stateDir)).not.toContain(LOCK_FILE_NAME); // the old agent left an empty one here
      fs.free();
      const after = await runAgentCli(['once'], env);
      expect(after.code, after.stderr).toBe(0);
      expect(after.stderr).not.toMatch(/cannot/);
      expect(syncStateSchema.parse(JSON.parse(await readFile(join(stateDir, STATE_FILE_NAME), 'utf8'))).history.length).toBe(1);
    } finally {
      fs.unmount();
    }
  });
});

describe('what sits where state.json belongs', () => {
  it.skipIf(process.platform === 'win32')('a FIFO: `once` does not hang; it is moved aside unread and the agent syncs', async () => {
    const stateDir = await tempDir('fifo');
    execFileSync('mkfifo', [join(stateDir, STATE_FILE_NAME)]);
    const result = await once(stateDir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.ms).toBeLessThan(10_000);
    expect(result.stderr).toMatch(/warning: The saved state was unusable \(it was a named pipe \(FIFO\), not a regular file\); it was moved to/);
    expect((await lstat(join(stateDir, STATE_FILE_NAME))).isFile()).toBe(true);
  });

  it('a 2 GB file: not read (the start stays fast), quarantined — and removed, being larger than the copies kept', async () => {
    const stateDir = await tempDir('huge');
    await writeFile(join(stateDir, STATE_FILE_NAME), '');
    await truncate(join(stateDir, STATE_FILE_NAME), 2 * 1024 ** 3); // sparse: no disk used
    const result = await once(stateDir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.ms).toBeLessThan(10_000);
    expect(result.stderr).toMatch(/warning: The saved state was unusable \(it was larger than 4 MiB\); it was removed \(too large to keep a copy\)/);
    expect((await stat(join(stateDir, STATE_FILE_NAME))).size).toBeLessThan(64 * 1024);
    expect((await readdir(stateDir)).filter((n) => n.includes('.corrupt-'))).toEqual([]);
  });

  it('state.json swapped for a link while the agent runs: the next write replaces the link; its target is untouched', async () => {
    const stateDir = await tempDir('swap');
    const victim = join(await tempDir('victim'), 'important.conf');
    await writeFile(victim, 'keep me\n');
    const handle = await createAgent(sandboxConfig(sandbox, stateDir, { hardwareId: freshHardwareId(), variables: { site: 'a' } }), { publicKeyPem: sandbox.demo.publicKeyPem });
    try {
      expect((await handle.agent.syncNow()).ok).toBe(true);
      await rm(join(stateDir, STATE_FILE_NAME), { force: true });
      await symlink(victim, join(stateDir, STATE_FILE_NAME));
      await handle.reconfigure(sandboxConfig(sandbox, stateDir, { hardwareId: handle.hardwareId, variables: { site: 'b' } }));
      expect((await handle.agent.syncNow()).ok).toBe(true);
    } finally {
      await handle.close();
    }
    expect(await readFile(victim, 'utf8')).toBe('keep me\n');
    expect((await lstat(join(stateDir, STATE_FILE_NAME))).isFile()).toBe(true);
  });
});

describe('modes', () => {
  it.skipIf(process.platform === 'win32')('under umask 0000, every folder the agent creates is 0700 and every file 0600', async () => {
    const stateDir = join(await tempDir('umask'), 'state');
    const old = process.umask(0);
    try {
      const handle = await createAgent(sandboxConfig(sandbox, stateDir, { hardwareId: freshHardwareId() }), { publicKeyPem: sandbox.demo.publicKeyPem });
      await handle.agent.syncNow();
      const lockMode = (await stat(join(stateDir, LOCK_FILE_NAME))).mode & 0o777;
      await handle.close();
      expect(lockMode).toBe(0o700);
    } finally {
      process.umask(old);
    }
    const modes: Record<string, string> = {};
    for (const entry of await readdir(stateDir, { recursive: true, withFileTypes: true })) {
      const path = join(entry.parentPath, entry.name);
      modes[path.slice(stateDir.length + 1)] = ((await stat(path)).mode & 0o777).toString(8);
    }
    expect((await stat(stateDir)).mode & 0o777).toBe(0o700);
    expect(modes).toEqual({ 'state.json': '600', 'identity.json': '600', logs: '700', 'logs/agent.log': '600' });
  });

  it.skipIf(process.platform === 'win32')('the demo\'s folders (state directory, embedded sandbox data) are private too', async () => {
    const home = await tempDir('demo-home');
    const stateDir = join(home, '.local', 'state', 'device-agent');
    const { startEmbeddedSandbox } = await import('../../sandbox/embedded.ts');
    const old = process.umask(0);
    let embedded;
    try {
      embedded = await startEmbeddedSandbox(join(stateDir, 'demo', 'sandbox'));
    } finally {
      process.umask(old);
      await embedded?.close();
    }
    for (const dir of [join(home, '.local'), join(home, '.local', 'state'), stateDir, join(stateDir, 'demo'), join(stateDir, 'demo', 'sandbox')]) {
      expect(((await stat(dir)).mode & 0o777).toString(8), dir).toBe('700');
    }
  });

  it.skipIf(process.platform === 'win32')('a state directory every user may write is warned about in status', async () => {
    const stateDir = await tempDir('world');
    await chmod(stateDir, 0o777);
    const handle = await createAgent(sandboxConfig(sandbox, stateDir, { hardwareId: freshHardwareId() }), { publicKeyPem: sandbox.demo.publicKeyPem });
    try {
      expect(handle.agent.status().warnings).toContain(`The state directory ${stateDir} is writable by every user: anyone on this machine could plant files the agent reads. Give the agent a private one (chmod 700, or --state-dir).`);
    } finally {
      await handle.close();
    }
    expect(existsSync(join(stateDir, LOCK_FILE_NAME))).toBe(false);
  });
});
