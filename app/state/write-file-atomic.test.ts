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
