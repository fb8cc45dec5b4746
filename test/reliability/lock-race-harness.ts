// The lock race, shared by the test (16 contenders × 50 rounds) and the soak variant:
// N long-lived processes, and per round a stale lock of one kind planted in a folder,
// every contender released at the same instant, and the holders counted.
import { fork, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCK_FILE_NAME } from '../../app/state/lock.ts';

const CONTENDER = join(import.meta.dirname, 'fixtures', 'lock-contender.ts');

interface Result { kind: 'result'; pid: number; held: boolean; refused?: boolean; error?: string }

export interface Contenders {
  readonly size: number;
  /** Everyone tries at the same instant; resolves with each contender's result. */
  race(dir: string): Promise<Result[]>;
  /** The holders let go. */
  release(): Promise<void>;
  close(): Promise<void>;
}

function nextMessage<T>(child: ChildProcess, kind: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { kind?: string }) => {
      if (message.kind !== kind) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message as T);
    };
    const onExit = (code: number | null) => reject(new Error(`contender ${child.pid} exited (${code}) while waiting for ${kind}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

export async function startContenders(count: number): Promise<Contenders> {
  const children = Array.from({ length: count }, () => fork(CONTENDER, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }));
  await Promise.all(children.map((child) => nextMessage(child, 'ready')));
  return {
    size: count,
    async race(dir) {
      const at = Date.now() + 40;
      const results = children.map((child) => nextMessage<Result>(child, 'result'));
      for (const child of children) child.send({ kind: 'go', dir, at });
      return Promise.all(results);
    },
    async release() {
      const done = children.map((child) => nextMessage(child, 'released'));
      for (const child of children) child.send({ kind: 'release' });
      await Promise.all(done);
    },
    async close() {
      await Promise.all(children.map(async (child) => {
        if (child.exitCode !== null) return;
        const exited = once(child, 'exit');
        child.send({ kind: 'exit' });
        await exited;
      }));
    },
  };
}

/** A pid that does not exist any more. */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await once(child, 'exit');
  return child.pid!;
}

export type StaleKind = 'dead pid' | 'dead pid, previous format' | 'before a reboot, pid alive' | 'pid reused' | 'half-written long ago' | 'empty lock folder';
export const STALE_KINDS: readonly StaleKind[] = ['dead pid', 'dead pid, previous format', 'before a reboot, pid alive', 'pid reused', 'half-written long ago', 'empty lock folder'];

/** Plants a stale lock of `kind` in `dir` (emptied first). `livePid` is a running process of this test. */
export async function plantStaleLock(dir: string, kind: StaleKind, dead: number, livePid: number): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const lockDir = join(dir, LOCK_FILE_NAME);
  const owner = (fields: Record<string, unknown>) => ({ host: hostname(), startedAt: Date.now() - 60_000, token: `stale${Math.random().toString(16).slice(2)}`, ...fields });
  const inFolder = async (fields: Record<string, unknown>) => {
    const o = owner(fields);
    await mkdir(lockDir);
    await writeFile(join(lockDir, `owner-${o.token}.json`), JSON.stringify(o));
  };
  switch (kind) {
    case 'dead pid': return inFolder({ pid: dead });
    case 'dead pid, previous format': return writeFile(lockDir, JSON.stringify(owner({ pid: dead })));
    case 'before a reboot, pid alive': return inFolder({ pid: livePid, bootId: 'a-boot-that-is-not-this-one-00000000' });
    case 'pid reused': return inFolder({ pid: livePid, pidStart: '1' });
    case 'half-written long ago': {
      await writeFile(lockDir, '{"pid":');
      const { utimes } = await import('node:fs/promises');
      const old = new Date(Date.now() - 3_600_000);
      return utimes(lockDir, old, old);
    }
    case 'empty lock folder': return mkdir(lockDir).then(() => undefined);
  }
}

export async function tempLockDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'da-lock-race-'));
}

export async function entries(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}
