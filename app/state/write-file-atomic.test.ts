import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeAbandonedTempFiles, STALE_TEMP_MS } from './state-store.ts';
import { isTempFileOf, tempPathFor, writeFileAtomic, writeFileAtomicSync } from './write-file-atomic.ts';

const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'da-atomic-'));

// The same rules for the write off the event loop and for the synchronous one at process exit.
const writers: Array<[string, (file: string, data: string) => Promise<number>]> = [
  ['writeFileAtomic', writeFileAtomic],
  ['writeFileAtomicSync', async (file, data) => writeFileAtomicSync(file, data)],
];

describe.each(writers)('%s', (_name, writeFileAtomic) => {
  it('writes the whole text, creates the directory, and leaves no temp file', async () => {
    const dir = await tempDir();
    const file = join(dir, 'sub', 'state.json');
    const mtime = await writeFileAtomic(file, '{"a":1}');
    expect(await readFile(file, 'utf8')).toBe('{"a":1}');
    expect(mtime).toBe((await stat(file)).mtimeMs);
    await writeFileAtomic(file, '{"a":2}');
    expect(await readFile(file, 'utf8')).toBe('{"a":2}');
    expect(await readdir(join(dir, 'sub'))).toEqual(['state.json']);
  });

  it('makes the file 0600 whatever the umask or the mode it had: the agent\'s files are private', async () => {
    const dir = await tempDir();
    const file = join(dir, 'state.json');
    const old = process.umask(0);
    try {
      await writeFileAtomic(file, '{"a":0}');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      await writeFile(file, '{}', { mode: 0o666 });
      await chmod(file, 0o666);
      await writeFileAtomic(file, '{"b":1}');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      writeFileAtomicSync(join(dir, 'exit.json'), '{"c":1}');
      expect((await stat(join(dir, 'exit.json'))).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(old);
    }
  });

  it('replaces a symbolic link at the path and never writes through it (async and at exit)', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'victim'));
    const victim = join(dir, 'victim', 'passwd');
    await writeFile(victim, 'root:x:0:0\n');
    await symlink(victim, join(dir, 'state.json'));
    await writeFileAtomic(join(dir, 'state.json'), '{"c":1}');
    expect((await lstat(join(dir, 'state.json'))).isFile()).toBe(true);
    expect(await readFile(join(dir, 'state.json'), 'utf8')).toBe('{"c":1}');
    expect(await readFile(victim, 'utf8')).toBe('root:x:0:0\n');
    await symlink(victim, join(dir, 'exit.json'));
    writeFileAtomicSync(join(dir, 'exit.json'), '{"d":1}');
    expect((await lstat(join(dir, 'exit.json'))).isFile()).toBe(true);
    expect(await readFile(victim, 'utf8')).toBe('root:x:0:0\n');
  });

  it('fails with the code of the failing step, removes its temp file, and leaves the target as it was', async () => {
    const dir = await tempDir();
    const file = join(dir, 'state.json');
    await mkdir(file); // a directory where the file belongs: the rename fails
    await expect(writeFileAtomic(file, '{"d":1}')).rejects.toMatchObject({ code: expect.stringMatching(/^(EISDIR|ENOTEMPTY|EEXIST)$/) });
    expect(await readdir(dir)).toEqual(['state.json']);
    expect((await stat(file)).isDirectory()).toBe(true);
  });
});

describe('temp file names', () => {
  it('are <file>.tmp-<10 timestamp digits><6 hex>, which the abandoned-temp cleanup removes once old', async () => {
    const dir = await tempDir();
    const file = join(dir, 'state.json');
    const temp = tempPathFor(file, 1_767_225_600_123, () => 0.5);
    expect(temp).toBe(`${file}.tmp-7225600123800000`);
    expect(isTempFileOf(file, 'state.json.tmp-7225600123800000')).toBe(true);
    expect(isTempFileOf(file, 'other.json.tmp-7225600123800000')).toBe(false);
    await writeFile(temp, '{"half":');
    const old = new Date(Date.now() - STALE_TEMP_MS - 1_000);
    await utimes(temp, old, old);
    expect(removeAbandonedTempFiles(file)).toEqual(['state.json.tmp-7225600123800000']);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('writeFileAtomic and its synchronous twin, for the same promises', () => {
  const writers = [
    ['writeFileAtomic', (path: string, data: string) => writeFileAtomic(path, data)],
    ['writeFileAtomicSync', async (path: string, data: string) => writeFileAtomicSync(path, data)],
  ] as const;

  it.each(writers)('%s: the content, 0600 whatever the umask, in a folder created 0700; the mtime returned', async (_name, write) => {
    const root = await mkdtemp(join(tmpdir(), 'da-atomic-'));
    const file = join(root, 'new', 'state.json');
    const saved = process.umask(0o000);
    try {
      const mtime = await write(file, '{"ä":1}');
      expect(await readFile(file, 'utf8')).toBe('{"ä":1}');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await stat(join(root, 'new'))).mode & 0o777).toBe(0o700);
      expect(mtime).toBe((await stat(file)).mtimeMs);
      expect(await readdir(join(root, 'new'))).toEqual(['state.json']);
    } finally {
      process.umask(saved);
    }
  });

  it.each(writers)('%s: a failed rename leaves the target and no temp file behind, and says why', async (_name, write) => {
    const root = await mkdtemp(join(tmpdir(), 'da-atomic-'));
    const target = join(root, 'state.json');
    await mkdir(target); // a folder where the file should go: rename() refuses
    await expect(write(target, 'x')).rejects.toMatchObject({ code: expect.stringMatching(/^E(ISDIR|NOTDIR|EXIST|NOTEMPTY)$/) });
    expect(await readdir(root)).toEqual(['state.json']);
  });
});

describe('temp file names', () => {
  it('are <file>.tmp-<last 10 digits of the time><6 hex digits>, recognised by isTempFileOf', () => {
    expect(tempPathFor('/s/state.json', 1_764_000_000_123, () => 0)).toBe('/s/state.json.tmp-4000000123000000');
    expect(tempPathFor('/s/state.json', 42, () => 0.5)).toBe('/s/state.json.tmp-42800000');
    expect(tempPathFor('/s/state.json', 1, () => 0.999_999_99)).toBe('/s/state.json.tmp-1ffffff');
    expect(isTempFileOf('/s/state.json', 'state.json.tmp-4000000123000000')).toBe(true);
    expect(isTempFileOf('/s/state.json', 'state.json')).toBe(false);
    expect(isTempFileOf('/s/state.json', 'other.json.tmp-1')).toBe(false);
  });
});
