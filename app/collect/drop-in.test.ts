// The drop-in folders on real files: what is read, what is refused and why (by
// name), what is not read again, and the POSIX trust rules — as a non-root owner
// where the tests run as root (chown to nobody), and with group/world write bits.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES, MAX_FILES_PER_FOLDER, createDropInReader, parseDropIn, type DropInFile, type DropInFolder } from './drop-in.ts';

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

let root: string;
let machine: string;
let user: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'da-dropin-'));
  chmodSync(root, 0o755);
  mkdirSync(join(root, 'etc'), { mode: 0o755 });
  machine = join(root, 'etc', 'variables.d');
  user = join(root, 'state', 'variables.d');
  mkdirSync(machine, { mode: 0o755 });
  mkdirSync(user, { recursive: true, mode: 0o700 });
  chmodSync(machine, 0o755);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(dir: string, name: string, content: unknown, mode = 0o644): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  chmodSync(path, mode);
  return path;
}

function reader(folders?: DropInFolder[]) {
  return createDropInReader({
    folders: folders ?? [{ dir: machine, scope: 'machine', allow: ['*'] }, { dir: user, scope: 'user', allow: ['*'] }],
    platform: 'linux',
  });
}

const bySource = (files: DropInFile[]) => Object.fromEntries(files.map((f) => [`${f.scope}:${f.source}`, f.problem ?? f.values]));

describe('a drop-in file', () => {
  it('gives its variables namespaced by source, with their types', () => {
    write(machine, 'acme.json', { variables: { app_version: '4.2.1', modules: 3, pro: true, 'build.id': 'x-1' } });
    const files = reader().read();
    expect(files).toEqual([{ source: 'acme', scope: 'machine', path: join(machine, 'acme.json'), values: { 'acme.app_version': '4.2.1', 'acme.modules': 3, 'acme.pro': true, 'acme.build.id': 'x-1' } }]);
  });

  it('two programs cannot overwrite each other: the same name lands under each source', () => {
    write(machine, 'acme.json', { variables: { version: '1' } });
    write(user, 'contoso.json', { variables: { version: '2' } });
    expect(reader().read().map((f) => f.values)).toEqual([{ 'acme.version': '1' }, { 'contoso.version': '2' }]);
  });

  it('is read again only when it changed, never while it stays the same', () => {
    const path = write(user, 'acme.json', { variables: { v: 'one' } });
    const r = reader();
    for (let cycle = 0; cycle < 5; cycle++) expect(r.read()[0]?.values).toEqual({ 'acme.v': 'one' });
    expect(r.reads()).toBe(1);
    // Rewritten in place with the same size and its old modification time put back: the
    // change time (which no one can set) still tells.
    const { atime, mtime } = statSync(path);
    writeFileSync(path, JSON.stringify({ variables: { v: 'two' } }));
    utimesSync(path, atime, mtime);
    expect(r.read()[0]?.values).toEqual({ 'acme.v': 'two' });
    // Written to a temp file and renamed over it (another inode): read.
    renameSync(write(user, '.acme.json.tmp', { variables: { v: 'three' } }), path);
    expect(r.read()[0]?.values).toEqual({ 'acme.v': 'three' });
    expect(r.reads()).toBe(3);
  });

  it('accepts a UTF-8 byte-order mark (PowerShell 5 and Notepad write one)', () => {
    write(user, 'acme.json', `\uFEFF${JSON.stringify({ variables: { v: 'ü' } })}`);
    expect(reader().read()[0]?.values).toEqual({ 'acme.v': 'ü' });
  });

  it('that is removed is no longer read (and leaves nothing cached)', () => {
    const path = write(machine, 'acme.json', { variables: { v: 1 } });
    const r = reader();
    expect(r.read()).toHaveLength(1);
    rmSync(path);
    expect(r.read()).toEqual([]);
  });
});

describe('files that are refused, each by name, while the others are read', () => {
  it.each([
    ['not JSON', '{"variables": {"v": 1}', /^is not valid JSON \(at line 1, column \d+\)$/],
    ['a JSON list', '[1, 2]', /must be a JSON object \{"variables"/],
    ['without "variables"', { vars: { v: 1 } }, /must be a JSON object \{"variables"/],
    ['with another key', { variables: { v: 1 }, version: 2 }, /^has "version": only "variables" is read$/],
    ['variables not an object', { variables: ['v'] }, /variables: must be an object of name: value pairs/],
    ['a name with a space', { variables: { 'my var': 1 } }, /variables\.my var: name must be 1-64 characters/],
    ['a value with a control character', { variables: { v: 'a\u001b[2Jb' } }, /variables\.v: value must not contain control characters/],
    ['a value of 257 characters', { variables: { v: 'x'.repeat(257) } }, /at most 256 characters/],
    ['an object as a value', { variables: { v: { a: 1 } } }, /value must be a string, number or boolean/],
    ['null as a value', { variables: { v: null } }, /value must be a string, number or boolean \(got null\)/],
    ['__proto__ as a name', '{"variables": {"__proto__": "x"}}', /reserved/],
    ['33 variables', { variables: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`v${i}`, i])) }, /^has 33 variables, at most 32 per file$/],
    ['a name too long once prefixed', { variables: { ['n'.repeat(60)]: 1 } }, /sent as acme\.n+, longer than 64 characters/],
  ])('%s', (_label, content, problem) => {
    write(machine, 'acme.json', content);
    write(machine, 'good.json', { variables: { ok: 1 } });
    const files = bySource(reader().read());
    expect(files['machine:acme']).toMatch(problem);
    expect(files['machine:good']).toEqual({ 'good.ok': 1 });
  });

  it('a file over 16 KiB is refused from its size, without being read', () => {
    const path = write(user, 'acme.json', `{"variables": {"v": "${'x'.repeat(MAX_FILE_BYTES)}"}}`);
    const r = reader();
    expect(bySource(r.read())['user:acme']).toBe(`is larger than 16 KiB (${statSync(path).size} bytes)`);
    expect(r.reads()).toBe(0);
  });

  it('a link, a folder or a FIFO under a .json name is refused (no link is followed there)', () => {
    const target = write(root, 'elsewhere.json', { variables: { v: 1 } });
    symlinkSync(target, join(user, 'linked.json'));
    mkdirSync(join(user, 'folder.json'));
    execFileSync('mkfifo', [join(user, 'pipe.json')]);
    const files = bySource(reader().read());
    expect(files['user:linked']).toMatch(/is a symbolic link/);
    expect(files['user:folder']).toMatch(/is a directory, not a regular file/);
    expect(files['user:pipe']).toMatch(/is a named pipe \(FIFO\), not a regular file/); // never opened: it would block
  });

  it('a name that is not <source>.json with a plain source name is reported; temp files and dot files are not looked at', () => {
    write(user, 'acme.v2.json', { variables: { v: 1 } });
    write(user, `${'a'.repeat(33)}.json`, { variables: { v: 1 } });
    write(user, '.acme.json.x1y2', '{"vari');
    write(user, 'acme.json.tmp', '{"vari');
    write(user, '.hidden.json', '{"vari');
    write(user, 'README.txt', 'notes');
    const files = reader().read();
    expect(files.map((f) => [f.source, f.problem])).toEqual([
      ['a'.repeat(33), expect.stringMatching(/the name must be <source>\.json, the source 1-32 characters/)],
      ['acme.v2', expect.stringMatching(/no dot/)],
    ]);
  });

  it(`more than ${MAX_FILES_PER_FOLDER} sources in a folder: the first ${MAX_FILES_PER_FOLDER} by name are read, the rest reported`, () => {
    for (let i = 0; i < MAX_FILES_PER_FOLDER + 2; i++) write(user, `s${String(i).padStart(2, '0')}.json`, { variables: { v: i } });
    const files = reader().read();
    expect(files.filter((f) => f.problem === undefined)).toHaveLength(MAX_FILES_PER_FOLDER);
    expect(files.filter((f) => f.problem !== undefined).map((f) => f.source)).toEqual(['s32', 's33']);
  });
});

describe('the allowlists of the managed file', () => {
  it('dropInSources names which programs the per-machine folder takes; others are refused by name', () => {
    write(machine, 'acme.json', { variables: { v: 1 } });
    write(machine, 'contoso.json', { variables: { v: 2 } });
    const files = bySource(reader([{ dir: machine, scope: 'machine', allow: ['acme*'] }]).read());
    expect(files['machine:acme']).toEqual({ 'acme.v': 1 });
    expect(files['machine:contoso']).toBe('is not read: the source "contoso" is not in dropInSources (managed configuration)');
  });

  it('an empty list turns a folder off: nothing in it is looked at', () => {
    write(user, 'acme.json', '{"broken');
    expect(reader([{ dir: user, scope: 'user', allow: [] }]).read()).toEqual([]);
  });
});

describe.skipIf(!asRoot)('who may write the per-machine folder (POSIX)', () => {
  it('a file owned by another user than root is refused', () => {
    const path = write(machine, 'acme.json', { variables: { v: 1 } });
    chownSync(path, NOBODY, NOBODY);
    expect(bySource(reader().read())['machine:acme']).toBe('the file is owned by uid 65534, not root: the per-machine folder is honoured only when administrators alone can write it');
  });

  it.each([['0664', 0o664, 'its group'], ['0646', 0o646, 'every user']])('a file with mode %s (writable by %s) is refused', (shown, mode, who) => {
    write(machine, 'acme.json', { variables: { v: 1 } }, mode);
    expect(bySource(reader().read())['machine:acme']).toBe(`the file is writable by ${who} (mode ${shown}): make it writable by root only (chmod go-w)`);
  });

  it('a folder owned by another user, or writable by its group, is refused whole (none of its files is read)', () => {
    write(machine, 'acme.json', { variables: { v: 1 } });
    chownSync(machine, NOBODY, NOBODY);
    expect(reader().read()).toEqual([expect.objectContaining({ source: '*', path: machine, problem: expect.stringMatching(/^the folder is owned by uid 65534, not root.*; none of its files is read$/) })]);
    chownSync(machine, 0, 0);
    chmodSync(machine, 0o775);
    expect(reader().read()[0]?.problem).toMatch(/^the folder is writable by its group \(mode 0775\)/);
  });

  it('a folder above it that others may write is refused (whoever writes it can swap the drop-in folder)', () => {
    write(machine, 'acme.json', { variables: { v: 1 } });
    chmodSync(join(root, 'etc'), 0o777);
    expect(reader().read()[0]?.problem).toMatch(/^the folder above it is writable by every user/);
  });

  it('a folder that is a link is refused', () => {
    const real = join(root, 'real.d');
    mkdirSync(real, { mode: 0o755 });
    const linked = join(root, 'etc', 'linked.d');
    symlinkSync(real, linked);
    expect(reader([{ dir: linked, scope: 'machine', allow: ['*'] }]).read()[0]?.problem).toMatch(/^is a symbolic link/);
  });

  it('the per-user folder takes the agent\'s own user\'s files, group-writable ones too, but not another user\'s or world-writable ones', () => {
    write(user, 'mine.json', { variables: { v: 1 } }, 0o664);
    chownSync(write(user, 'theirs.json', { variables: { v: 2 } }), NOBODY, NOBODY);
    write(user, 'open.json', { variables: { v: 3 } }, 0o666);
    const files = bySource(reader().read());
    expect(files['user:mine']).toEqual({ 'mine.v': 1 });
    expect(files['user:theirs']).toBe('the file belongs to another user (uid 65534), not to the user the agent runs as (uid 0)');
    expect(files['user:open']).toBe('the file is writable by every user (mode 0666): chmod o-w');
  });

  it('on Windows no owner check is made (ACLs; see docs/security.md)', () => {
    const path = write(machine, 'acme.json', { variables: { v: 1 } }, 0o666);
    chownSync(path, NOBODY, NOBODY);
    expect(createDropInReader({ folders: [{ dir: machine, scope: 'machine', allow: ['*'] }], platform: 'win32' }).read()[0]?.values).toEqual({ 'acme.v': 1 });
  });
});

describe('parseDropIn', () => {
  it('never quotes the file in its message', () => {
    const result = parseDropIn('acme', 'sk_live_0123456789 not json');
    expect(result).toEqual({ problem: 'is not valid JSON (it does not start with {)' });
  });
});
