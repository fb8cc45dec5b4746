import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireStateLock, LOCK_FILE_NAME, StateLockedError } from './lock.ts';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'da-lock-'));
}

/** A pid that certainly does not exist any more: a child that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

describe('acquireStateLock', () => {
  it('writes pid and start time, refuses a second holder, and frees the directory on release', async () => {
    const dir = await tempDir();
    const lock = acquireStateLock(dir);
    const content = JSON.parse(await readFile(join(dir, LOCK_FILE_NAME), 'utf8')) as { pid: number; startedAt: number };
    expect(content.pid).toBe(process.pid);
    expect(content.startedAt).toBeGreaterThan(0);

    let refused: unknown;
    try { acquireStateLock(dir); } catch (error) { refused = error; }
    expect(refused).toBeInstanceOf(StateLockedError);
    expect((refused as Error).message).toBe(`Another Device Agent (pid ${process.pid}) is already using ${dir}. Stop it, or give this one its own --state-dir.`);

    lock.release();
    expect(await readdir(dir)).toEqual([]);
    acquireStateLock(dir).release();
  });

  it('refuses when another live process holds the lock', async () => {
    const dir = await tempDir();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
    try {
      await writeFile(join(dir, LOCK_FILE_NAME), JSON.stringify({ pid: child.pid, host: hostname(), startedAt: Date.now(), token: 'other' }));
      expect(() => acquireStateLock(dir)).toThrow(new RegExp(`pid ${child.pid}\\)`));
    } finally {
      child.kill();
    }
  });

  it('takes over a stale lock left by a dead process', async () => {
    const dir = await tempDir();
    const pid = await deadPid();
    await writeFile(join(dir, LOCK_FILE_NAME), JSON.stringify({ pid, host: hostname(), startedAt: 1, token: 'dead' }));
    const lock = acquireStateLock(dir);
    const content = JSON.parse(await readFile(join(dir, LOCK_FILE_NAME), 'utf8')) as { pid: number };
    expect(content.pid).toBe(process.pid);
    expect(await readdir(dir)).toEqual([LOCK_FILE_NAME]);
    lock.release();
  });

  it('does not remove a lock someone else took over after us', async () => {
    const dir = await tempDir();
    const lock = acquireStateLock(dir);
    await writeFile(join(dir, LOCK_FILE_NAME), JSON.stringify({ pid: 1, host: hostname(), startedAt: 1, token: 'other' }));
    lock.release();
    expect(await readdir(dir)).toEqual([LOCK_FILE_NAME]);
  });

  it('treats a fresh unreadable lock file as held (its owner is writing it)', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, LOCK_FILE_NAME), '');
    expect(() => acquireStateLock(dir)).toThrow(/Another Device Agent is already using/);
  });
});
