// The store's writes off the event loop: one in flight, the rest coalesced into the
// latest; flush() awaits them; a failing disk becomes a warning that clears; a slow
// disk does not stall the loop; process exit still lands a write in flight.
import { execFile } from 'node:child_process';
import * as fsPromises from 'node:fs/promises';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openStateStore, STATE_FILE_NAME } from './state-store.ts';
import { emptySyncState } from './sync-state.ts';
import type { SyncState } from './sync-state.ts';
import type { AtomicWriteFs } from './write-file-atomic.ts';

const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'da-state-writes-'));

/** A durable change each time (desired differs), so every save asks for a write. */
const generation = (n: number): SyncState => ({ ...emptySyncState(), desired: { counter: n }, acknowledged: { counter: n - 1 }, lastAttemptAt: n });

/** The real file system, with renames counted and held until `open()` is called. */
function gatedFs(): { fs: AtomicWriteFs; renames(): number; open(): void } {
  let renames = 0;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => { release = resolve; });
  return {
    fs: {
      ...fsPromises,
      rename: async (from, to) => {
        await gate;
        await fsPromises.rename(from, to);
        renames += 1;
      },
    },
    renames: () => renames,
    open: () => release(),
  };
}

const fileState = async (dir: string): Promise<unknown> => JSON.parse(await readFile(join(dir, STATE_FILE_NAME), 'utf8'));

describe('state writes off the event loop', () => {
  it('coalesces saves made while a write is in flight: at most two writes, the last state wins on disk', async () => {
    const dir = await tempDir();
    const disk = gatedFs();
    const store = openStateStore({ stateDir: dir, fs: disk.fs });
    for (let n = 1; n <= 20; n += 1) expect(store.save(generation(n))).toBe(true);
    expect(store.load()).toEqual(generation(20)); // memory is current at once
    disk.open();
    await store.flush?.();
    expect(disk.renames()).toBe(2); // generation 1 (in flight), then only generation 20
    expect(await fileState(dir)).toEqual(generation(20));
    expect((await readdir(dir)).sort()).toEqual([STATE_FILE_NAME]); // no temp file left
    expect(openStateStore({ stateDir: dir }).load()).toEqual(generation(20));
  });

  it('flush() resolves only once the write in flight and the queued one are on disk', async () => {
    const dir = await tempDir();
    const disk = gatedFs();
    const store = openStateStore({ stateDir: dir, fs: disk.fs });
    store.save(generation(1));
    store.save(generation(2));
    let flushed = false;
    const flushing = store.flush!().then(() => { flushed = true; });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(flushed).toBe(false);
    await expect(readFile(join(dir, STATE_FILE_NAME))).rejects.toMatchObject({ code: 'ENOENT' });
    disk.open();
    await flushing;
    expect(await fileState(dir)).toEqual(generation(2));
    await store.flush?.(); // idle: resolves at once, writes nothing more
    expect(disk.renames()).toBe(2);
  });

  it('a full disk becomes a warning while syncing goes on from memory; the warning clears after a later successful write', async () => {
    const dir = await tempDir();
    let full = true;
    const fs: AtomicWriteFs = {
      ...fsPromises,
      open: (async (path: string, flags: string, mode: number) => {
        if (full) throw Object.assign(new Error(`ENOSPC: no space left on device, open '${path}'`), { code: 'ENOSPC' });
        return fsPromises.open(path, flags, mode);
      }) as AtomicWriteFs['open'],
    };
    const store = openStateStore({ stateDir: dir, fs });
    expect(store.save(generation(1))).toBe(true);
    expect(() => store.save(generation(2))).not.toThrow();
    await store.flush?.();
    expect(store.warnings()).toEqual([`The agent state cannot be saved to ${join(dir, STATE_FILE_NAME)} (ENOSPC); syncing continues from memory, and values will be re-sent after a restart.`]);
    expect(store.load()).toEqual(generation(2));
    expect(await readdir(dir)).toEqual([]); // nothing half-written left behind
    full = false;
    await store.flush?.(); // after a failure, flush() tries the current state again
    expect(store.warnings()).toEqual([]);
    expect(await fileState(dir)).toEqual(generation(2));
  });

  it('a save does not block: with a disk whose fsync takes 300 ms the event loop keeps turning', async () => {
    const dir = await tempDir();
    const slowSync = 300;
    const fs: AtomicWriteFs = {
      ...fsPromises,
      open: (async (path: string, flags: string, mode: number) => {
        const handle = await fsPromises.open(path, flags, mode);
        const sync = handle.sync.bind(handle);
        handle.sync = async () => { await new Promise((resolve) => setTimeout(resolve, slowSync)); await sync(); };
        return handle;
      }) as AtomicWriteFs['open'],
    };
    // A state the size of a busy agent's: a few hundred KiB to serialize.
    const big: SyncState = { ...generation(1), desired: Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`v${i}`, `value ${i} `.repeat(8)])) };
    const store = openStateStore({ stateDir: dir, fs });
    const ticks: number[] = [];
    const timer = setInterval(() => ticks.push(performance.now()), 5);
    try {
      const t0 = performance.now();
      expect(store.save(big)).toBe(true);
      const saveMs = performance.now() - t0;
      await store.flush?.();
      const totalMs = performance.now() - t0;
      expect(saveMs).toBeLessThan(slowSync / 3); // serialize only; the write runs after save() returned
      expect(totalMs).toBeGreaterThanOrEqual(slowSync - 5);
      const during = ticks.filter((at) => at > t0 + saveMs);
      expect(during.length).toBeGreaterThanOrEqual(10); // ~60 at 5 ms; a blocked loop gives none
      const gaps = during.slice(1).map((at, i) => at - during[i]!);
      expect(Math.max(...gaps)).toBeLessThan(slowSync / 2);
    } finally {
      clearInterval(timer);
    }
    expect(await fileState(dir)).toEqual(big);
  });

  it('process.exit while a write is in flight: the newest state still reaches the file (written synchronously at exit)', async () => {
    const dir = await tempDir();
    const script = `
      const { openStateStore } = await import(${JSON.stringify(join(import.meta.dirname, 'state-store.ts'))});
      const store = openStateStore({ stateDir: process.argv[1] });
      for (let n = 1; n <= 5; n += 1) store.save({ version: 1, desired: { counter: n }, acknowledged: {}, staticValues: {}, history: [], samples: [] });
      process.exit(0);
    `;
    await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, dir]);
    expect(await fileState(dir)).toMatchObject({ desired: { counter: 5 } });
    expect((await readdir(dir)).filter((n) => n !== STATE_FILE_NAME)).toEqual([]); // the async write never got past its first step
  });
});
