import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { lstat, mkdtemp, readdir, readFile, rm, stat, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { QUARANTINE_MAX_BYTES } from '../files/quarantine.ts';
import { openStateStore, quarantineIfCorrupt, STATE_FILE_NAME, STATE_MAX_BYTES } from './state-store.ts';
import { emptySyncState } from './sync-state.ts';
import type { SyncState } from './sync-state.ts';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'da-state-'));
}

function sampleState(): SyncState {
  return {
    ...emptySyncState(),
    desired: { os: 'linux', cores: 8, on_battery: false },
    acknowledged: { os: 'linux', cores: 8 },
    identityHash: 'abc',
    lastSuccessAt: 1_000,
    history: [{ at: 1_000, outcome: 'ok', sent: 2 }],
    samples: [{ at: 1_000, values: { cpu_load_pct: 12 } }],
  };
}

describe('openStateStore', () => {
  it('starts fresh in an empty directory, saves atomically, and reads back after reopening', async () => {
    const dir = await tempDir();
    const store = openStateStore({ stateDir: dir });
    expect(store.load()).toEqual(emptySyncState());
    expect(store.warnings()).toEqual([]);
    expect(store.save(sampleState())).toBe(true);
    await store.flush?.();
    // The file on disk is complete JSON of the state (written by temp + rename, so never partial).
    const onDisk = JSON.parse(await readFile(join(dir, STATE_FILE_NAME), 'utf8')) as unknown;
    expect(onDisk).toEqual(sampleState());
    expect((await readdir(dir)).filter((n) => n !== STATE_FILE_NAME)).toEqual([]);
    expect(openStateStore({ stateDir: dir }).load()).toEqual(sampleState());
  });

  it('does not write when nothing changed', async () => {
    const dir = await tempDir();
    const store = openStateStore({ stateDir: dir });
    expect(store.save(sampleState())).toBe(true);
    expect(store.save(sampleState())).toBe(false);
    await store.flush?.();
    expect(store.save(sampleState())).toBe(false);
  });

  it('keeps back changes of volatile fields only (samples, history, attempt/success times) until a durable change carries them', async () => {
    const dir = await tempDir();
    const file = join(dir, STATE_FILE_NAME);
    const store = openStateStore({ stateDir: dir });
    expect(store.save(sampleState())).toBe(true);
    await store.flush?.();
    const cycle = (n: number): SyncState => ({
      ...sampleState(), lastAttemptAt: n, lastSuccessAt: n,
      history: [...sampleState().history, { at: n, outcome: 'nothing-to-send', sent: 0 }],
      samples: [...sampleState().samples, { at: n, values: { cpu_load_pct: n } }],
    });
    expect(store.save(cycle(2_000))).toBe(false);
    expect(store.save(cycle(3_000))).toBe(false);
    expect(store.load()).toEqual(cycle(3_000)); // the engine's view is current
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(sampleState()); // the file is not
    const acknowledged: SyncState = { ...cycle(4_000), acknowledged: { ...sampleState().acknowledged, on_battery: false } };
    expect(store.save(acknowledged)).toBe(true);
    await store.flush?.();
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(acknowledged);
    for (const durable of [{ lastError: { code: 'x', errorClass: 'retryable', summary: 's', remedy: 'r', at: 5 } }, { identityHash: 'def' }, { desired: { os: 'linux' } }, { staticValues: { os: 'linux' } }] as const) {
      expect(store.save({ ...acknowledged, ...durable })).toBe(true);
    }
    await store.flush?.();
  });

  it('writes kept-back changes once they are older than volatileFlushMs, on a repeated save and on flush()', async () => {
    const dir = await tempDir();
    let now = 0;
    const store = openStateStore({ stateDir: dir, now: () => now, volatileFlushMs: 1_000 });
    const onDisk = async () => { await store.flush?.(); return openStateStore({ stateDir: dir }).load().lastAttemptAt; };
    expect(store.save(sampleState())).toBe(true);
    expect(store.save({ ...sampleState(), lastAttemptAt: 1 })).toBe(false);
    now = 999;
    expect(store.save({ ...sampleState(), lastAttemptAt: 2 })).toBe(false);
    now = 1_000;
    expect(store.save({ ...sampleState(), lastAttemptAt: 3 })).toBe(true);
    expect(await onDisk()).toBe(3);
    expect(store.save({ ...sampleState(), lastAttemptAt: 4 })).toBe(false);
    expect(store.save({ ...sampleState(), lastAttemptAt: 4 })).toBe(true); // the same state saved twice in a row
    expect(await onDisk()).toBe(4);
    expect(store.save({ ...sampleState(), lastAttemptAt: 5 })).toBe(false);
    expect(openStateStore({ stateDir: dir }).load().lastAttemptAt).toBe(4); // kept back
    expect(await onDisk()).toBe(5); // flush() wrote it
  });

  it('writes kept-back changes when the process exits, unless another store wrote the file since', async () => {
    const dir = await tempDir();
    const script = (mode: 'alone' | 'newer') => `
      const { openStateStore } = await import(${JSON.stringify(join(import.meta.dirname, 'state-store.ts'))});
      const state = JSON.parse(process.argv[1]);
      const store = openStateStore({ stateDir: process.argv[2] });
      store.save(state);
      store.save({ ...state, lastAttemptAt: 42 });
      if (${JSON.stringify(mode)} === 'newer') {
        await new Promise((r) => setTimeout(r, 20));
        openStateStore({ stateDir: process.argv[2] }).save({ ...state, acknowledged: {}, lastAttemptAt: 7 });
      }
      process.exit(0);
    `;
    const runScript = (mode: 'alone' | 'newer', stateDir: string) => promisify(execFile)(process.execPath, ['--input-type=module', '-e', script(mode), JSON.stringify(sampleState()), stateDir]);
    await runScript('alone', dir);
    expect(openStateStore({ stateDir: dir }).load().lastAttemptAt).toBe(42);
    const other = await tempDir();
    await runScript('newer', other);
    expect(openStateStore({ stateDir: other }).load()).toMatchObject({ lastAttemptAt: 7, acknowledged: {} });
  });

  const corruptCases: Array<[string, string, RegExp]> = [
    ['truncated', JSON.stringify(sampleState()).slice(0, 40), /not valid JSON/],
    ['empty', '', /empty/],
    ['invalid JSON', '{"version":1,,}', /not valid JSON/],
    ['wrong shape', JSON.stringify({ ...sampleState(), desired: { os: { nested: true } } }), /desired/],
    ['wrong version', JSON.stringify({ ...sampleState(), version: 99 }), /version/],
    ['not an object', '[1,2,3]', /file/],
  ];
  for (const [kind, content, reason] of corruptCases) {
    it(`moves a ${kind} state file aside and starts fresh`, async () => {
      const dir = await tempDir();
      await writeFile(join(dir, STATE_FILE_NAME), content);
      const store = openStateStore({ stateDir: dir, now: () => Date.UTC(2026, 10, 26, 12, 0, 0) });
      expect(store.load()).toEqual(emptySyncState());
      const [warning] = store.warnings();
      expect(warning).toMatch(reason);
      expect(warning).toMatch(/moved to .*state\.json\.corrupt-2026-11-26T12-00-00-000Z.*sends what differs/);
      const moved = await readFile(join(dir, `${STATE_FILE_NAME}.corrupt-2026-11-26T12-00-00-000Z`), 'utf8');
      expect(moved).toBe(content);
      expect(store.save(sampleState())).toBe(true);
      await store.flush?.();
      expect(openStateStore({ stateDir: dir }).load()).toEqual(sampleState());
    });
  }

  it('works with a Conf instance handed in (as the Electron shell does with electron-store)', async () => {
    const dir = await tempDir();
    const conf = new Conf<Record<string, unknown>>({ cwd: dir, configName: 'agent-state', accessPropertiesByDotNotation: false });
    const store = openStateStore({ stateDir: dir, conf });
    expect(store.path).toBe(join(dir, 'agent-state.json'));
    store.save(sampleState());
    await store.flush?.();
    expect(conf.store).toEqual(sampleState()); // conf (no cache) reads the file the store wrote
    expect((await readdir(dir)).sort()).toEqual(['agent-state.json']);
  });

  it('moves aside a wrong-shaped file behind a handed-in Conf instance', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'agent-state.json'), JSON.stringify({ version: 1, desired: 'nope' }));
    const conf = new Conf<Record<string, unknown>>({ cwd: dir, configName: 'agent-state', accessPropertiesByDotNotation: false });
    const store = openStateStore({ stateDir: dir, conf });
    expect(store.load()).toEqual(emptySyncState());
    expect(store.warnings()[0]).toMatch(/moved to/);
    expect((await readdir(dir)).some((n) => n.startsWith('agent-state.json.corrupt-'))).toBe(true);
  });

  it('keeps working from memory when the state directory is unusable from the start', async () => {
    // Tests run as root, where chmod does not stop writes: a state dir below a regular FILE fails with ENOTDIR.
    const dir = await tempDir();
    await writeFile(join(dir, 'file'), 'x');
    const store = openStateStore({ stateDir: join(dir, 'file', 'state') });
    expect(store.load()).toEqual(emptySyncState());
    expect(() => store.save(sampleState())).not.toThrow();
    expect(store.load()).toEqual(sampleState());
    expect(store.warnings().join('\n')).toMatch(/cannot be saved .*(ENOTDIR|EEXIST).*syncing continues from memory/);
  });

  it('turns a write failure after opening into a warning, keeps the state in memory, and clears it once writes work again', async () => {
    const dir = await tempDir();
    const stateDir = join(dir, 'state');
    const store = openStateStore({ stateDir });
    store.save(sampleState());
    await store.flush?.();
    // Replace the directory by a regular file: every write now fails (ENOTDIR), even as root.
    await rm(stateDir, { recursive: true });
    await writeFile(stateDir, 'x');
    const acknowledged: SyncState = { ...sampleState(), acknowledged: { os: 'linux' }, lastAttemptAt: 7 };
    expect(store.save(acknowledged)).toBe(true); // started; it fails off the loop
    await store.flush?.();
    expect(store.load().lastAttemptAt).toBe(7);
    expect(store.warnings().join('\n')).toMatch(/cannot be saved .*\((ENOTDIR|EEXIST)\); syncing continues from memory/);
    expect(store.save({ ...acknowledged, lastAttemptAt: 8 })).toBe(true); // after a failure, every save tries again
    await store.flush?.();
    expect(store.warnings().join('\n')).toMatch(/cannot be saved/);
    await rm(stateDir);
    expect(store.save({ ...acknowledged, lastAttemptAt: 9 })).toBe(true);
    expect(store.warnings().join('\n')).toMatch(/cannot be saved/); // until the write has landed
    await store.flush?.();
    expect(store.warnings()).toEqual([]);
    expect(openStateStore({ stateDir }).load()).toEqual({ ...acknowledged, lastAttemptAt: 9 });
  });
});

describe('quarantineIfCorrupt', () => {
  it('leaves a valid or absent file alone', async () => {
    const dir = await tempDir();
    const file = join(dir, STATE_FILE_NAME);
    expect(quarantineIfCorrupt(file)).toBeUndefined();
    await writeFile(file, JSON.stringify(sampleState()));
    expect(quarantineIfCorrupt(file)).toBeUndefined();
    expect(await readdir(dir)).toEqual([STATE_FILE_NAME]);
  });
});

describe('state files that are not what they seem', () => {
  it('a symbolic link at state.json is moved aside unread, and the next write creates a real file (the link\'s target untouched)', async () => {
    const dir = await tempDir();
    const victim = join(dir, 'victim.json');
    await writeFile(victim, JSON.stringify(sampleState()));
    await symlink(victim, join(dir, STATE_FILE_NAME));
    const store = openStateStore({ stateDir: dir });
    expect(store.load()).toEqual(emptySyncState()); // not read through the link
    expect(store.warnings()[0]).toMatch(/unusable \(it was a symbolic link, which the agent never follows for its own files\); it was moved to .*state\.json\.corrupt-/);
    store.save({ ...sampleState(), lastAttemptAt: 5 });
    await store.flush?.();
    expect((await lstat(join(dir, STATE_FILE_NAME))).isFile()).toBe(true);
    expect(JSON.parse(await readFile(victim, 'utf8'))).toEqual(sampleState());
  });

  it.skipIf(process.platform === 'win32')('a FIFO at state.json is moved aside without being opened (no hang)', async () => {
    const dir = await tempDir();
    execFileSync('mkfifo', [join(dir, STATE_FILE_NAME)]);
    const started = Date.now();
    const store = openStateStore({ stateDir: dir });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(store.warnings()[0]).toMatch(/it was a named pipe \(FIFO\), not a regular file/);
    expect((await readdir(dir)).some((n) => n.startsWith(`${STATE_FILE_NAME}.corrupt-`))).toBe(true);
  });

  it('an oversized state.json is not read: it is quarantined like a corrupt one, and one beyond the copies kept is removed', async () => {
    const dir = await tempDir();
    const file = join(dir, STATE_FILE_NAME);
    await writeFile(file, '');
    await truncate(file, STATE_MAX_BYTES + 1); // sparse: no disk used, no time spent reading
    const store = openStateStore({ stateDir: dir });
    expect(store.warnings()[0]).toMatch(/unusable \(it was larger than 4 MiB\); it was moved to/);
    // Larger than all the copies kept may be together: moved aside, then removed at once.
    await truncate(file, 0).catch(() => undefined);
    await writeFile(file, '');
    await truncate(file, QUARANTINE_MAX_BYTES + 1);
    const again = openStateStore({ stateDir: dir, now: () => Date.now() + 1_000 });
    expect(again.warnings()[0]).toMatch(/unusable \(it was larger than 4 MiB\); it was removed \(too large to keep a copy\)/);
    expect((await readdir(dir)).filter((n) => n.includes('.corrupt-'))).toHaveLength(1);
  });

  it('keeps only the newest 3 copies moved aside', async () => {
    const dir = await tempDir();
    for (let i = 0; i < 6; i++) {
      await writeFile(join(dir, STATE_FILE_NAME), `not json ${i}`);
      openStateStore({ stateDir: dir, now: () => Date.UTC(2026, 0, 1, 0, 0, i) });
    }
    const aside = (await readdir(dir)).filter((n) => n.includes('.corrupt-')).sort();
    expect(aside).toEqual([3, 4, 5].map((i) => `${STATE_FILE_NAME}.corrupt-2026-01-01T00-00-0${i}-000Z`));
    expect(await readFile(join(dir, aside[2]!), 'utf8')).toBe('not json 5');
  });

  it('is private whatever the umask: the folder 0700 and the file 0600', async () => {
    const dir = join(await tempDir(), 'state');
    const old = process.umask(0);
    try {
      const store = openStateStore({ stateDir: dir });
      store.save(sampleState());
      await store.flush?.();
    } finally {
      process.umask(old);
    }
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, STATE_FILE_NAME))).mode & 0o777).toBe(0o600);
  });
});
