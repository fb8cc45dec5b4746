import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, lstat, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IDENTITY_MAX_BYTES } from './identity-file.ts';
import { resolveIdentity } from './resolve-identity.ts';

const RAW = '3d1219c7c4c5404aaa1f6d2a48adfda4';
const HASHED = createHash('sha256').update(RAW).digest('hex');

let stateDir: string;
beforeEach(async () => { stateDir = await mkdtemp(join(tmpdir(), 'identity-')); });
afterEach(async () => {
  await chmod(stateDir, 0o700).catch(() => {});
  await rm(stateDir, { recursive: true, force: true });
});

const fixed = (value: string | undefined) => async () => value;
const host = (name: string) => () => name;
const readRecord = async () => JSON.parse(await readFile(join(stateDir, 'identity.json'), 'utf8')) as Record<string, unknown>;

describe('resolveIdentity', () => {
  it('uses sha256 of the OS machine id and remembers hostname + id at first run', async () => {
    const identity = await resolveIdentity({ stateDir, machineId: fixed(`${RAW}\n`), hostname: host('ws-01'), now: () => 1000 });
    expect(identity).toEqual({ hardwareId: HASHED, source: 'os', warnings: [] });
    expect(await readRecord()).toEqual({ version: 1, hardwareId: HASHED, hostname: 'ws-01', firstSeenAt: 1000 });
    // No temp file is left behind by the atomic write.
    expect(await readdir(stateDir)).toEqual(['identity.json']);
  });

  it('creates a missing state directory', async () => {
    const nested = join(stateDir, 'a', 'b');
    await resolveIdentity({ stateDir: nested, machineId: fixed(RAW), hostname: host('ws-01') });
    expect(JSON.parse(await readFile(join(nested, 'identity.json'), 'utf8'))).toMatchObject({ hardwareId: HASHED });
  });

  it('uses a configured override verbatim (trimmed) and ignores the OS id', async () => {
    const identity = await resolveIdentity({ stateDir, override: '  Other-Program-Id-42 ', machineId: fixed(RAW), hostname: host('ws-01') });
    expect(identity).toEqual({ hardwareId: 'Other-Program-Id-42', source: 'configured', warnings: [] });
  });

  it.each([
    ['', 'hardwareId: must not be empty'],
    ['   ', 'hardwareId: must not be empty'],
    ['a\nb', 'hardwareId: must not contain control characters'],
    ['x'.repeat(257), 'hardwareId: must be at most 256 characters (got 257)'],
  ])('refuses the override %j naming the field', async (override, message) => {
    await expect(resolveIdentity({ stateDir, override, machineId: fixed(RAW) })).rejects.toThrow(message);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['all zeros', '00000000000000000000000000000000'],
  ])('generates and persists a random id when the OS id is %s (containers)', async (_label, raw) => {
    const first = await resolveIdentity({ stateDir, machineId: fixed(raw), hostname: host('box') });
    expect(first.source).toBe('generated');
    expect(first.hardwareId).toMatch(/^[0-9a-f]{64}$/);
    expect(first.warnings).toEqual([]);
    expect(await readRecord()).toMatchObject({ hardwareId: first.hardwareId, generatedId: first.hardwareId, hostname: 'box' });
    const second = await resolveIdentity({ stateDir, machineId: fixed(raw), hostname: host('box') });
    expect(second).toEqual(first);
    // Another state directory gets another id.
    const otherDir = await mkdtemp(join(tmpdir(), 'identity-'));
    try {
      const other = await resolveIdentity({ stateDir: otherDir, machineId: fixed(raw), hostname: host('box') });
      expect(other.hardwareId).not.toBe(first.hardwareId);
    } finally {
      await rm(otherDir, { recursive: true, force: true });
    }
  });

  it('falls back to a generated id with a warning when reading the OS id throws', async () => {
    const identity = await resolveIdentity({ stateDir, machineId: () => Promise.reject(new Error('ioreg not found')), hostname: host('mac') });
    expect(identity.source).toBe('generated');
    expect(identity.warnings).toEqual(['could not read the OS machine id (ioreg not found); using a generated hardware id']);
  });

  it('keeps the generated id across a temporary override', async () => {
    const generated = await resolveIdentity({ stateDir, machineId: fixed(undefined), hostname: host('box') });
    await resolveIdentity({ stateDir, override: 'explicit', machineId: fixed(undefined), hostname: host('box') });
    const again = await resolveIdentity({ stateDir, machineId: fixed(undefined), hostname: host('box') });
    expect(again.hardwareId).toBe(generated.hardwareId);
  });

  it('warns of a possible cloned image when the hostname changes under the same id, and keeps warning', async () => {
    await resolveIdentity({ stateDir, machineId: fixed(RAW), hostname: host('golden-image') });
    const warning = 'possible cloned image: the hostname changed from golden-image to ws-17 under the same hardware id';
    const clone = await resolveIdentity({ stateDir, machineId: fixed(RAW), hostname: host('ws-17') });
    expect(clone.warnings).toEqual([warning]);
    expect((await resolveIdentity({ stateDir, machineId: fixed(RAW), hostname: host('ws-17') })).warnings).toEqual([warning]);
    expect(await readRecord()).toMatchObject({ hostname: 'golden-image' });
  });

  it('does not warn when the id itself changes; it records the new pair instead', async () => {
    await resolveIdentity({ stateDir, machineId: fixed(RAW), hostname: host('old') });
    const other = await resolveIdentity({ stateDir, machineId: fixed('11111111111111111111111111111111'), hostname: host('new') });
    expect(other.warnings).toEqual([]);
    expect(await readRecord()).toMatchObject({ hardwareId: other.hardwareId, hostname: 'new' });
  });

  it.each([
    ['truncated JSON', '{"version":1,"hardwareId":"ab'],
    ['wrong schema', '{"version":2,"hardwareId":"x","hostname":"h","firstSeenAt":1}'],
  ])('moves a corrupt identity file aside (%s) with a warning and starts over', async (_label, content) => {
    await writeFile(join(stateDir, 'identity.json'), content);
    const identity = await resolveIdentity({ stateDir, machineId: fixed(RAW), hostname: host('ws'), now: () => 42 });
    expect(identity.hardwareId).toBe(HASHED);
    expect(identity.warnings).toHaveLength(1);
    expect(identity.warnings[0]).toContain('was invalid');
    expect(identity.warnings[0]).toContain('identity.json.corrupt-1970-01-01T00-00-00-042Z');
    expect(await readFile(join(stateDir, 'identity.json.corrupt-1970-01-01T00-00-00-042Z'), 'utf8')).toBe(content);
    expect(await readRecord()).toMatchObject({ hardwareId: HASHED, hostname: 'ws' });
  });

  it('says where a file is not JSON without quoting it (a key file copied there by mistake stays unprinted)', async () => {
    await writeFile(join(stateDir, 'identity.json'), '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n');
    const identity = await resolveIdentity({ stateDir, machineId: fixed(RAW), hostname: host('ws') });
    expect(identity.warnings[0]).toMatch(/was invalid \(not JSON \(at line 1, column 2\)\)/);
    expect(identity.warnings.join()).not.toMatch(/BEGIN|MIIE/);
  });

  it('never reads a link, a FIFO or an oversized file at identity.json: each is moved aside unread', async () => {
    const victim = join(stateDir, '..', `victim-${Date.now()}.json`);
    await writeFile(victim, JSON.stringify({ version: 1, hardwareId: 'planted', hostname: 'ws', firstSeenAt: 1 }));
    await symlink(victim, join(stateDir, 'identity.json'));
    let identity = await resolveIdentity({ stateDir, machineId: fixed(RAW), hostname: host('ws') });
    expect(identity.warnings[0]).toMatch(/is a symbolic link/);
    expect(JSON.parse(await readFile(victim, 'utf8'))).toMatchObject({ hardwareId: 'planted' }); // not written through either
    expect((await lstat(join(stateDir, 'identity.json'))).isFile()).toBe(true);

    await rm(join(stateDir, 'identity.json'));
    execFileSync('mkfifo', [join(stateDir, 'identity.json')]);
    identity = await resolveIdentity({ stateDir, machineId: fixed(RAW), hostname: host('ws') });
    expect(identity.warnings[0]).toMatch(/is a named pipe \(FIFO\), not a regular file/);

    await writeFile(join(stateDir, 'identity.json'), ' '.repeat(IDENTITY_MAX_BYTES + 1));
    identity = await resolveIdentity({ stateDir, machineId: fixed(RAW), hostname: host('ws') });
    expect(identity.warnings[0]).toMatch(/is larger than 64 KiB/);
    expect((await stat(join(stateDir, 'identity.json'))).mode & 0o777).toBe(0o600);
    // Three copies moved aside at most.
    expect((await readdir(stateDir)).filter((n) => n.startsWith('identity.json.corrupt-')).length).toBeLessThanOrEqual(3);
  });

  it.skipIf(process.platform === 'win32' || process.getuid?.() === 0)('keeps going with a warning when the state directory is read-only', async () => {
    await chmod(stateDir, 0o500);
    const identity = await resolveIdentity({ stateDir, machineId: fixed(undefined), hostname: host('ro') });
    expect(identity.source).toBe('generated');
    expect(identity.warnings[0]).toMatch(/could not save the generated hardware id .* it will change at the next start/);
  });

  it('keeps going with a warning when the state path is not a directory', async () => {
    const file = join(stateDir, 'not-a-dir');
    await writeFile(file, 'x');
    const identity = await resolveIdentity({ stateDir: file, machineId: fixed(RAW), hostname: host('ws') });
    expect(identity).toMatchObject({ hardwareId: HASHED, source: 'os' });
    expect(identity.warnings.some((w) => w.includes('a cloned image will not be detected'))).toBe(true);
  });
});
