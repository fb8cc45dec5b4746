// Fault matrix, disk side, through the composition root (createAgent with a real
// configuration) against the sandbox: a corrupted state file is moved aside and
// everything is re-sent; a state that cannot be written leaves the agent syncing
// from memory with a warning that says so; abandoned temp files of killed writes are cleaned.
import * as fsPromises from 'node:fs/promises';
import { chmod, mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAgent } from '../../app/create-agent.ts';
import type { AgentHandle } from '../../app/create-agent.ts';
import { STALE_TEMP_MS, STATE_FILE_NAME, openStateStore } from '../../app/state/state-store.ts';
import type { AtomicWriteFs } from '../../app/state/write-file-atomic.ts';
import { syncStateSchema } from '../../app/state/sync-state.ts';
import { AGENT_VERSION } from '../../app/version.ts';
import { startSandbox } from '../../sandbox/server.ts';
import type { Sandbox } from '../../sandbox/server.ts';
import { expectServerHoldsLatest, freshHardwareId, sandboxConfig, tempDir } from './harness.ts';

let sandbox: Sandbox;
const handles: AgentHandle[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await Promise.all(handles.map((h) => h.close()));
  await sandbox.close();
});
beforeEach(() => {
  sandbox.faults.clear();
  sandbox.admin.resetRequestLog();
});

async function agent(stateDir: string, hardwareId: string, variables: Record<string, string>, stateFs?: AtomicWriteFs): Promise<AgentHandle> {
  const handle = await createAgent(sandboxConfig(sandbox, stateDir, { hardwareId, variables }), { publicKeyPem: sandbox.demo.publicKeyPem, ...(stateFs ? { stateFs } : {}) });
  handles.push(handle);
  return handle;
}

const CORRUPTIONS: Array<[string, (text: string) => string, RegExp]> = [
  ['truncated mid-write', (text) => text.slice(0, Math.floor(text.length / 2)), /not valid JSON \(truncated or damaged\)/],
  ['not JSON at all', () => '\u0000\u0000\u0000garbage', /not valid JSON/],
  ['empty', () => '', /the file is empty/],
  ['valid JSON of the wrong shape', () => JSON.stringify({ version: 1, desired: 'everything', acknowledged: [] }), /field "desired"/],
  ['a future version', (text) => JSON.stringify({ ...JSON.parse(text), version: 99 }), /field "version"/],
];

describe('state file corrupted', () => {
  for (const [label, corrupt, reason] of CORRUPTIONS) {
    it(`${label}: moved aside with a warning naming the problem; what the server holds counts, only what differs is sent`, async () => {
      const stateDir = await tempDir('corrupt');
      const hardwareId = freshHardwareId();
      const first = await agent(stateDir, hardwareId, { site: 'a' });
      expect((await first.agent.syncNow()).ok).toBe(true);
      await first.close();
      const statePath = join(stateDir, STATE_FILE_NAME);
      const original = await readFile(statePath, 'utf8');
      const damaged = corrupt(original);
      await writeFile(statePath, damaged);

      const second = await agent(stateDir, hardwareId, { site: 'b' });
      const warnings = second.agent.status().warnings;
      const warning = warnings.find((w) => w.startsWith('The saved state was unusable'));
      expect(warning).toMatch(reason);
      expect(warning).toMatch(/it was moved to .*state\.json\.corrupt-.* and the agent started fresh: it reads what the server holds and sends what differs\.$/);
      sandbox.admin.resetRequestLog();
      const result = await second.agent.syncNow();
      // Nothing is known locally any more: the server is asked (get_device_variables), and only
      // site (a → b) differs from what it holds; agent_version is not sent again.
      expect(result).toEqual({ ok: true, sent: 1 });
      expect(sandbox.admin.requests().map((r) => r.endpoint)).toEqual(['check_license', 'get_device_variables', 'track_device_variables']);
      await expectServerHoldsLatest(sandbox, { hardwareId, engine: second.agent }, { agent_version: AGENT_VERSION, site: 'b' });
      await second.close(); // the state is written off the event loop; stopping awaits the write
      // The fresh file is valid, and the damaged one is kept for a person to look at.
      expect(syncStateSchema.safeParse(JSON.parse(await readFile(statePath, 'utf8'))).success).toBe(true);
      const aside = (await readdir(stateDir)).filter((n) => n.startsWith(`${STATE_FILE_NAME}.corrupt-`));
      expect(aside).toHaveLength(1);
      expect(await readFile(join(stateDir, aside[0]!), 'utf8')).toBe(damaged);
    });
  }
});

/** A file system whose state writes fail like a full or read-only disk until healed. */
function failingDisk(code: 'ENOSPC' | 'EROFS'): { fs: AtomicWriteFs; heal(): void; writes(): number } {
  let failing = true;
  let writes = 0;
  return {
    fs: {
      ...fsPromises,
      open: (async (path: string, ...rest: [string, number]) => {
        if (failing) throw Object.assign(new Error(`${code}: no space left or read-only, open '${path}'`), { code });
        return fsPromises.open(path, ...rest);
      }) as AtomicWriteFs['open'],
      rename: async (from, to) => {
        await fsPromises.rename(from, to);
        writes++;
      },
    },
    heal() { failing = false; },
    writes: () => writes,
  };
}

describe('state that cannot be written', () => {
  for (const code of ['ENOSPC', 'EROFS'] as const) {
    it(`${code === 'ENOSPC' ? 'disk full' : 'read-only file system'}: a clear warning, syncing goes on from memory, the warning clears when writes work again`, async () => {
      const stateDir = await tempDir(`nowrite-${code}`);
      const hardwareId = freshHardwareId();
      const disk = failingDisk(code);
      const handle = await agent(stateDir, hardwareId, { site: 'a' }, disk.fs);
      expect((await handle.agent.syncNow()).ok).toBe(true);
      const status = handle.agent.status();
      expect(status.phase).toBe('synced');
      // The state is written off the event loop: the failure shows once that write has failed.
      await vi.waitFor(() => expect(handle.agent.status().warnings).toContain(`The agent state cannot be saved to ${join(stateDir, STATE_FILE_NAME)} (${code}); syncing continues from memory, and values will be re-sent after a restart.`));

      // A changed value (a configuration change re-sends every value once), then nothing: what the
      // server acknowledged is held in memory, so an unchanged cycle sends nothing.
      await handle.reconfigure(sandboxConfig(sandbox, stateDir, { hardwareId, variables: { site: 'b' } }));
      expect(await handle.agent.syncNow()).toEqual({ ok: true, sent: 2 });
      sandbox.admin.resetRequestLog();
      expect(await handle.agent.syncNow()).toEqual({ ok: true, sent: 0 });
      expect(sandbox.admin.requests()).toEqual([]);
      expect(handle.agent.status().warnings.some((w) => w.includes('cannot be saved'))).toBe(true);
      await expectServerHoldsLatest(sandbox, { hardwareId, engine: handle.agent }, { agent_version: AGENT_VERSION, site: 'b' });

      disk.heal();
      expect(await handle.agent.syncNow()).toEqual({ ok: true, sent: 0 });
      await vi.waitFor(() => expect(handle.agent.status().warnings.filter((w) => w.includes('cannot be saved'))).toEqual([]));
      expect(disk.writes()).toBeGreaterThan(0);
      await handle.close();
    });
  }

  it('the state path is unusable on the real file system (a directory where the file belongs): warns, syncs from memory', async () => {
    const stateDir = await tempDir('eisdir');
    await mkdir(join(stateDir, STATE_FILE_NAME));
    const hardwareId = freshHardwareId();
    const handle = await agent(stateDir, hardwareId, { site: 'dir' });
    expect(handle.agent.status().warnings.some((w) => /cannot be saved to .*state\.json \(EISDIR\); syncing continues from memory/.test(w))).toBe(true);
    expect((await handle.agent.syncNow()).ok).toBe(true);
    expect(handle.agent.status().headline).toBe('Synced just now');
    await expectServerHoldsLatest(sandbox, { hardwareId, engine: handle.agent }, { agent_version: AGENT_VERSION, site: 'dir' });
    expect((await stat(join(stateDir, STATE_FILE_NAME))).isDirectory()).toBe(true);
    await handle.close();
  });

  it.skipIf(process.getuid?.() === 0)('a read-only state directory (chmod 555; root ignores it, so skipped as root)', async () => {
    const stateDir = await tempDir('readonly');
    const hardwareId = freshHardwareId();
    const first = await agent(stateDir, hardwareId, { site: 'a' });
    await first.agent.syncNow();
    await first.close();
    await chmod(stateDir, 0o555);
    try {
      const store = openStateStore({ stateDir });
      const state = store.load();
      store.save({ ...state, lastAttemptAt: 1 });
      await store.flush?.();
      expect(store.warnings().join(' ')).toMatch(/cannot be saved .* \(EACCES\); syncing continues from memory/);
    } finally {
      await chmod(stateDir, 0o755);
    }
  });
});

describe('abandoned temp files', () => {
  it('removes the state temp files a killed write left behind, but not one that may be a write in flight', async () => {
    const stateDir = await tempDir('tmpfiles');
    const old = join(stateDir, `${STATE_FILE_NAME}.tmp-abandoned`);
    const fresh = join(stateDir, `${STATE_FILE_NAME}.tmp-inflight`);
    const unrelated = join(stateDir, 'notes.tmp-keep');
    for (const path of [old, fresh, unrelated]) await writeFile(path, '{"half":');
    const longAgo = new Date(Date.now() - STALE_TEMP_MS - 5_000);
    await utimes(old, longAgo, longAgo);
    await utimes(unrelated, longAgo, longAgo);
    openStateStore({ stateDir });
    expect((await readdir(stateDir)).sort()).toEqual(['notes.tmp-keep', `${STATE_FILE_NAME}.tmp-inflight`]);
  });
});

describe('app_version', () => {
  it('is sent when appVersion is configured, and not otherwise', async () => {
    const stateDir = await tempDir('app-version');
    const hardwareId = freshHardwareId();
    const handle = await createAgent(sandboxConfig(sandbox, stateDir, { hardwareId, allow: ['agent_version', 'app_version'], appVersion: '7.4.1' }), { publicKeyPem: sandbox.demo.publicKeyPem });
    expect((await handle.agent.syncNow()).ok).toBe(true);
    await handle.close();
    expect(sandbox.admin.deviceVariables(sandbox.demo.product, hardwareId)).toEqual({ agent_version: AGENT_VERSION, app_version: '7.4.1' });

    const without = freshHardwareId();
    const plain = await createAgent(sandboxConfig(sandbox, await tempDir('no-app-version'), { hardwareId: without, allow: ['agent_version', 'app_version'] }), { publicKeyPem: sandbox.demo.publicKeyPem });
    expect((await plain.agent.syncNow()).ok).toBe(true);
    await plain.close();
    expect(sandbox.admin.deviceVariables(sandbox.demo.product, without)).toEqual({ agent_version: AGENT_VERSION });
  });
});
