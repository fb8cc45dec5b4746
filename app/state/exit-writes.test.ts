// The store's last write at exit, in process: the exit hook is the test's own.
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createExitWrites, processExitWrites } from './exit-writes.ts';
import { openStateStore, STATE_FILE_NAME } from './state-store.ts';
import { emptySyncState } from './sync-state.ts';

async function setup() {
  const dir = await mkdtemp(join(tmpdir(), 'da-exit-writes-'));
  let exit: (() => void) | undefined;
  let hooks = 0;
  const exitWrites = createExitWrites((run) => { hooks++; exit = run; });
  const open = () => openStateStore({ stateDir: dir, exitWrites });
  const onDisk = async () => JSON.parse(await readFile(join(dir, STATE_FILE_NAME), 'utf8')) as { lastAttemptAt?: number; acknowledged?: Record<string, unknown> };
  /** A store whose state is on disk, with a volatile change (lastAttemptAt 42) kept back. */
  const keptBack = async () => {
    const store = open();
    store.save(state);
    await store.flush?.();
    expect(store.save({ ...state, lastAttemptAt: 42 })).toBe(false);
    return store;
  };
  return { dir, open, onDisk, keptBack, exit: () => exit?.(), hooks: () => hooks };
}

const state = { ...emptySyncState(), acknowledged: { a: 1 }, desired: { a: 1 } };

describe('the write at exit', () => {
  it('writes a kept-back change, installing one hook however many stores there are', async () => {
    const t = await setup();
    await t.keptBack();
    t.open();
    t.exit();
    expect((await t.onDisk()).lastAttemptAt).toBe(42);
    expect(t.hooks()).toBe(1);
    await rm(t.dir, { recursive: true, force: true });
  });

  it('writes nothing when nothing is kept back', async () => {
    const t = await setup();
    const store = t.open();
    store.save(state);
    await store.flush?.();
    await writeFile(join(t.dir, STATE_FILE_NAME), JSON.stringify({ ...state, lastAttemptAt: 1 }));
    t.exit();
    expect((await t.onDisk()).lastAttemptAt).toBe(1);
    await rm(t.dir, { recursive: true, force: true });
  });

  it('leaves the file to the store that saved it last in this process', async () => {
    const t = await setup();
    await t.keptBack();
    const newer = t.open();
    newer.save({ ...state, acknowledged: {}, lastAttemptAt: 7 });
    await newer.flush?.();
    t.exit();
    expect(await t.onDisk()).toMatchObject({ lastAttemptAt: 7, acknowledged: {} });
    await rm(t.dir, { recursive: true, force: true });
  });

  it('does not write over a file another process wrote since, nor into a folder removed meanwhile', async () => {
    const t = await setup();
    await t.keptBack();
    await writeFile(join(t.dir, STATE_FILE_NAME), JSON.stringify({ ...state, lastAttemptAt: 9 }));
    await utimes(join(t.dir, STATE_FILE_NAME), new Date(), new Date(Date.now() + 5_000));
    t.exit();
    expect((await t.onDisk()).lastAttemptAt).toBe(9);

    const gone = await setup();
    await gone.keptBack();
    await rm(gone.dir, { recursive: true, force: true });
    gone.exit();
    await expect(readFile(join(gone.dir, STATE_FILE_NAME), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
    await rm(t.dir, { recursive: true, force: true });
  });
});

describe('the registry', () => {
  it('runs what is registered and not removed, once per exit call; claims are per file and released only by their holder', () => {
    let exit: (() => void) | undefined;
    const registry = createExitWrites((run) => { exit = run; });
    const ran: string[] = [];
    const a = () => { ran.push('a'); };
    const b = () => { ran.push('b'); };
    registry.add(a);
    registry.add(b);
    registry.remove(a);
    exit?.();
    expect(ran).toEqual(['b']);
    const one = {};
    const two = {};
    registry.claim('/s/state.json', one);
    expect(registry.isLatest('/s/state.json', one)).toBe(true);
    expect(registry.isLatest('/s/state.json', two)).toBe(false);
    expect(registry.isLatest('/other/state.json', one)).toBe(false);
    registry.release('/s/state.json', two); // not its claim: kept
    expect(registry.isLatest('/s/state.json', one)).toBe(true);
    registry.release('/s/state.json', one);
    expect(registry.isLatest('/s/state.json', one)).toBe(false);
  });

  it('the process\'s own registry is one, and hooks process exit once', () => {
    const before = process.listenerCount('exit');
    const registry = processExitWrites();
    expect(processExitWrites()).toBe(registry);
    const noop = () => undefined;
    registry.add(noop);
    registry.add(() => undefined);
    expect(process.listenerCount('exit')).toBe(before + 1);
    registry.remove(noop);
  });
});
