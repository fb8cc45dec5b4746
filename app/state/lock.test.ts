import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../config/load.ts';
import { acquireStateLock, BOOT_TIME_MARGIN_MS, LOCK_FILE_NAME, staleReason, StateLockedError, UNREADABLE_GRACE_MS } from './lock.ts';
import type { LockFacts, LockOwner } from './lock.ts';
import { bootId, pidNamespace, processStartTicks } from './process-facts.ts';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'da-lock-'));
}

/** A pid that certainly does not exist any more: a child that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

function sleeper(): ReturnType<typeof spawn> {
  return spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
}

/** Writes a lock of the current format (a folder with one owner file) by hand. */
async function plantLock(dir: string, owner: Partial<LockOwner> & { pid: number }): Promise<void> {
  const token = owner.token ?? `planted${Math.random().toString(16).slice(2)}`;
  const full = { host: hostname(), startedAt: Date.now(), ...owner, token };
  await mkdir(join(dir, LOCK_FILE_NAME));
  await writeFile(join(dir, LOCK_FILE_NAME, `owner-${token}.json`), JSON.stringify(full));
}

async function ownerOf(dir: string): Promise<LockOwner> {
  const names = await readdir(join(dir, LOCK_FILE_NAME));
  expect(names).toHaveLength(1);
  return JSON.parse(await readFile(join(dir, LOCK_FILE_NAME, names[0]!), 'utf8')) as LockOwner;
}

function refusal(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

describe('acquireStateLock', () => {
  it('records pid, host, start time, boot id and the pid\'s start time; refuses a second holder; frees the directory on release', async () => {
    const dir = await tempDir();
    const lock = acquireStateLock(dir);
    expect(lock.held).toBe(true);
    const owner = await ownerOf(dir);
    expect(owner).toMatchObject({ pid: process.pid, host: hostname() });
    expect(owner.startedAt).toBeGreaterThan(0);
    if (process.platform === 'linux') {
      expect(owner.bootId).toBe(bootId());
      expect(owner.pidStart).toBe(processStartTicks(process.pid));
      expect(owner.pidNs).toBe(pidNamespace());
    }
    const refused = refusal(() => acquireStateLock(dir));
    expect(refused).toBeInstanceOf(StateLockedError);
    expect((refused as Error).message).toBe(`Another Device Agent (pid ${process.pid}) is already using ${dir}. Stop it, or give this one its own --state-dir.`);
    lock.release();
    expect(await readdir(dir)).toEqual([]);
    acquireStateLock(dir).release();
  });

  it('is private whatever the umask: the lock folder 0700, the owner file 0600', async () => {
    const dir = await tempDir();
    const old = process.umask(0);
    try {
      const lock = acquireStateLock(dir);
      expect((await stat(join(dir, LOCK_FILE_NAME))).mode & 0o777).toBe(0o700);
      const [name] = await readdir(join(dir, LOCK_FILE_NAME));
      expect((await stat(join(dir, LOCK_FILE_NAME, name!))).mode & 0o777).toBe(0o600);
      lock.release();
    } finally {
      process.umask(old);
    }
  });

  it('refuses when another live process holds the lock (current and previous format)', async () => {
    const child = sleeper();
    try {
      const current = await tempDir();
      await plantLock(current, { pid: child.pid!, ...(processStartTicks(child.pid!) ? { pidStart: processStartTicks(child.pid!)! } : {}), ...(bootId() ? { bootId: bootId()! } : {}) });
      expect(() => acquireStateLock(current)).toThrow(new RegExp(`pid ${child.pid}\\)`));
      const previous = await tempDir();
      await writeFile(join(previous, LOCK_FILE_NAME), JSON.stringify({ pid: child.pid, host: hostname(), startedAt: Date.now(), token: 'other' }));
      expect(() => acquireStateLock(previous)).toThrow(new RegExp(`pid ${child.pid}\\)`));
    } finally {
      child.kill();
    }
  });

  it('takes over a stale lock left by a dead process (current and previous format), leaving only its own', async () => {
    for (const format of ['current', 'previous'] as const) {
      const dir = await tempDir();
      const pid = await deadPid();
      if (format === 'current') await plantLock(dir, { pid, startedAt: 1 });
      else await writeFile(join(dir, LOCK_FILE_NAME), JSON.stringify({ pid, host: hostname(), startedAt: 1, token: 'dead' }));
      const lock = acquireStateLock(dir);
      expect((await ownerOf(dir)).pid).toBe(process.pid);
      expect(await readdir(dir)).toEqual([LOCK_FILE_NAME]);
      lock.release();
    }
  });

  it.skipIf(process.platform !== 'linux')('takes over a lock whose pid is alive but belongs to another process (pid reused)', async () => {
    const child = sleeper();
    try {
      const dir = await tempDir();
      await plantLock(dir, { pid: child.pid!, pidStart: '1', bootId: bootId()! });
      const lock = acquireStateLock(dir);
      expect((await ownerOf(dir)).pid).toBe(process.pid);
      lock.release();
    } finally {
      child.kill();
    }
  });

  it('takes over a lock from before a reboot even when its pid is now alive (or is the new agent\'s own)', async () => {
    for (const pid of [process.pid, 1]) {
      const dir = await tempDir();
      await plantLock(dir, { pid, bootId: 'a-boot-before-this-one-0000000000' });
      const lock = acquireStateLock(dir, { facts: { bootId: 'this-boot-00000000000000000000000' } });
      expect((await ownerOf(dir)).pid).toBe(process.pid);
      lock.release();
      // Without boot ids (older lock format, or no /proc): the start time against the boot time.
      const legacy = await tempDir();
      await writeFile(join(legacy, LOCK_FILE_NAME), JSON.stringify({ pid, host: hostname(), startedAt: Date.now() - 2 * BOOT_TIME_MARGIN_MS, token: 'old' }));
      acquireStateLock(legacy, { facts: { bootTimeMs: Date.now() - 1000 } }).release();
    }
  });

  it('does not remove a lock that someone else took over after us', async () => {
    const dir = await tempDir();
    const lock = acquireStateLock(dir);
    // Simulate a take-over by hand: our owner file replaced by another one.
    const [name] = await readdir(join(dir, LOCK_FILE_NAME));
    const { rm } = await import('node:fs/promises');
    await rm(join(dir, LOCK_FILE_NAME, name!));
    await writeFile(join(dir, LOCK_FILE_NAME, 'owner-other.json'), JSON.stringify({ pid: 1, host: hostname(), startedAt: 1, token: 'other' }));
    lock.release();
    expect(await readdir(join(dir, LOCK_FILE_NAME))).toEqual(['owner-other.json']);
  });

  it('gives an owner file it cannot read a grace period, then takes it over', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, LOCK_FILE_NAME));
    await writeFile(join(dir, LOCK_FILE_NAME, 'owner-halfwritten.json'), '{"pid":');
    expect(() => acquireStateLock(dir)).toThrow(/Another Device Agent is already using/);
    const old = new Date(Date.now() - UNREADABLE_GRACE_MS - 1000);
    await utimes(join(dir, LOCK_FILE_NAME, 'owner-halfwritten.json'), old, old);
    acquireStateLock(dir).release();
    // The previous format: an empty lock file.
    const legacy = await tempDir();
    await writeFile(join(legacy, LOCK_FILE_NAME), '');
    expect(() => acquireStateLock(legacy)).toThrow(/Another Device Agent is already using/);
    await utimes(join(legacy, LOCK_FILE_NAME), old, old);
    acquireStateLock(legacy).release();
  });

  it('removes an empty lock folder at once (a release or take-over that stopped half-way) and abandoned candidates', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, LOCK_FILE_NAME));
    await mkdir(join(dir, `${LOCK_FILE_NAME}.new-abandoned`));
    await writeFile(join(dir, `${LOCK_FILE_NAME}.new-abandoned`, 'owner-abandoned.json'), '{}');
    const old = new Date(Date.now() - 120_000);
    await utimes(join(dir, `${LOCK_FILE_NAME}.new-abandoned`), old, old);
    const lock = acquireStateLock(dir);
    expect(await readdir(dir)).toEqual([LOCK_FILE_NAME]);
    lock.release();
  });

  it('refuses a symbolic link, a FIFO or foreign files at the lock path as a configuration problem naming it, and never follows the link', async () => {
    const dir = await tempDir();
    const elsewhere = await tempDir();
    await symlink(elsewhere, join(dir, LOCK_FILE_NAME));
    const error = refusal(() => acquireStateLock(dir));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(`${join(dir, LOCK_FILE_NAME)} is a symbolic link`);
    expect(await readdir(elsewhere)).toEqual([]);
    expect((await lstat(join(dir, LOCK_FILE_NAME))).isSymbolicLink()).toBe(true);
    expect(await readdir(dir)).toEqual([LOCK_FILE_NAME]); // no candidate left behind

    const foreign = await tempDir();
    await mkdir(join(foreign, LOCK_FILE_NAME));
    await writeFile(join(foreign, LOCK_FILE_NAME, 'notes.txt'), 'x');
    expect((refusal(() => acquireStateLock(foreign)) as Error).message).toMatch(/holds files the agent did not put there/);
  });

  it.skipIf(process.platform === 'win32' || process.getuid?.() === 0)('leaves nothing behind in a folder it cannot write: an unheld lock with a warning (as root, see test/reliability/state-dir-faults)', async () => {
    const dir = await tempDir();
    await chmod(dir, 0o555);
    try {
      const lock = acquireStateLock(dir);
      expect(lock.held).toBe(false);
      expect(lock.warning).toMatch(/cannot be written \(EACCES\)/);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await chmod(dir, 0o755);
    }
  });
});

/** The facts of this machine and a lock's owner for staleReason, each changed where a case says. */
const facts = (over: Partial<LockFacts> = {}): LockFacts => ({
  host: 'here', pid: 100, bootId: 'boot-b', pidNs: 'pid:[1]', bootTimeMs: 1_000_000_000, now: () => 2_000_000_000,
  probePid: () => 'alive', pidStart: () => '500', isLocal: () => true, ...over,
});
const owner = (over: Partial<LockOwner> = {}): LockOwner => ({ pid: 42, host: 'here', startedAt: 1_500_000_000, token: 't', bootId: 'boot-b', pidStart: '500', pidNs: 'pid:[1]', ...over });

describe('staleReason', () => {
  it('live: same boot, pid alive with the same start time', () => {
    expect(staleReason(owner(), '/s', facts())).toBeUndefined();
  });
  it('live: the pid belongs to another user (EPERM)', () => {
    expect(staleReason(owner(), '/s', facts({ probePid: () => 'other-user' }))).toBeUndefined();
  });
  it('stale: the pid is gone, or reused by a process that started at another time', () => {
    expect(staleReason(owner(), '/s', facts({ probePid: () => 'dead' }))).toMatch(/not running/);
    expect(staleReason(owner(), '/s', facts({ pidStart: () => '999' }))).toMatch(/another process/);
  });
  it('stale: another boot of this host, whatever the pid', () => {
    expect(staleReason(owner({ bootId: 'boot-a' }), '/s', facts())).toMatch(/restarted/);
  });
  it('another host: stale after a reboot in a local folder, live on a network file system, pid-checked within the same boot', () => {
    expect(staleReason(owner({ host: 'old-name', bootId: 'boot-a' }), '/s', facts())).toMatch(/another host name/);
    expect(staleReason(owner({ host: 'nas-peer', bootId: 'boot-a' }), '/s', facts({ isLocal: () => false }))).toBeUndefined();
    expect(staleReason(owner({ host: 'renamed' }), '/s', facts({ probePid: () => 'dead' }))).toMatch(/not running/);
  });
  it('without boot ids: the start time against the boot time, with a margin for a coarse uptime', () => {
    const noBoot = facts({ bootId: undefined });
    expect(staleReason(owner({ bootId: undefined, startedAt: 1_000_000_000 - BOOT_TIME_MARGIN_MS - 1 }), '/s', noBoot)).toMatch(/restarted/);
    expect(staleReason(owner({ bootId: undefined, startedAt: 1_000_000_000 - 1000 }), '/s', noBoot)).toBeUndefined();
    expect(staleReason(owner({ bootId: undefined, host: 'peer', startedAt: 1 }), '/s', facts({ bootId: undefined, isLocal: () => false }))).toBeUndefined();
  });
  it('another pid namespace (a container sharing the folder): its pids cannot be checked, so live', () => {
    expect(staleReason(owner({ pidNs: 'pid:[2]' }), '/s', facts({ probePid: () => 'dead' }))).toBeUndefined();
  });
  it('our own pid: live only for a lock this process holds', () => {
    expect(staleReason(owner({ pid: 100, token: 'not-ours' }), '/s', facts())).toMatch(/this process's pid/);
  });
});

describe('acquireStateLock decides by the owner it finds', () => {
  const live = (): Partial<LockFacts> => ({ probePid: () => 'alive', pidStart: () => undefined });

  it.each<[string, Partial<LockOwner>, Partial<LockFacts>, boolean]>([
    // [what, the owner planted, facts, taken over?]
    ['another host on a network file system (it may be running there)', { host: 'peer.example', bootId: 'peer-boot' }, { bootId: 'our-boot', isLocal: () => false }, false],
    ['another host, no boot ids, on a network file system', { host: 'peer.example', startedAt: 1 }, { bootId: undefined, isLocal: () => false }, false],
    ['another host on a local disk, from before this boot', { host: 'old-name', bootId: 'peer-boot' }, { bootId: 'our-boot', isLocal: () => true }, true],
    ['another host on a disk of unknown kind, from before this boot', { host: 'old-name', bootId: 'peer-boot' }, { bootId: 'our-boot', isLocal: () => undefined }, true],
    ['a pid of another user (EPERM)', {}, { probePid: () => 'other-user' }, false],
    ['a pid of another user, even with another start time on record', { pidStart: '1' }, { probePid: () => 'other-user', pidStart: () => '2' }, false],
    ['a live pid with the same start time', { pidStart: '7' }, { pidStart: () => '7' }, false],
    ['a live pid with no start time on record', {}, { pidStart: () => '7' }, false],
    ['a live pid whose start time cannot be read now', { pidStart: '7' }, { pidStart: () => undefined }, false],
    ['a pid reused by a process started at another time', { pidStart: '7' }, { pidStart: () => '8' }, true],
    ['a pid that is not running', {}, { probePid: () => 'dead' }, true],
    ['a pid in another pid namespace', { pidNs: 'pid:[other]' }, { pidNs: 'pid:[ours]', probePid: () => 'dead' }, false],
    ['a pid namespace known on one side only', { pidNs: 'pid:[other]' }, { pidNs: undefined, probePid: () => 'dead' }, true],
  ])('%s: taken over %s', async (_what, planted, facts, takenOver) => {
    const dir = await tempDir();
    await plantLock(dir, { pid: 4242, token: 'planted', ...planted });
    const options = { facts: { ...live(), ...facts } };
    if (takenOver) {
      const lock = acquireStateLock(dir, options);
      expect((await ownerOf(dir)).pid).toBe(process.pid);
      lock.release();
      expect(await readdir(dir)).toEqual([]);
    } else {
      const error = refusal(() => acquireStateLock(dir, options));
      expect(error).toBeInstanceOf(StateLockedError);
      expect(error).toMatchObject({ pid: 4242, stateDir: dir });
      expect(await readdir(join(dir, LOCK_FILE_NAME))).toEqual(['owner-planted.json']);
      expect(await readdir(dir)).toEqual([LOCK_FILE_NAME]); // its candidate removed
    }
  });

  it('names another host in the refusal, with what to do if nothing runs there', async () => {
    const dir = await tempDir();
    await plantLock(dir, { pid: 4242, host: 'peer.example', bootId: 'peer-boot' });
    const error = refusal(() => acquireStateLock(dir, { facts: { bootId: 'our-boot', isLocal: () => false } })) as StateLockedError;
    expect(error.message).toBe(`Another Device Agent (pid 4242 on peer.example) is already using ${dir}. Stop it, or give this one its own --state-dir. If no agent runs on peer.example, remove ${join(dir, LOCK_FILE_NAME)}.`);
    expect(error.host).toBe('peer.example');
    expect(new StateLockedError(7, '/s', hostname()).message).toBe('Another Device Agent (pid 7) is already using /s. Stop it, or give this one its own --state-dir.');
    expect(new StateLockedError(undefined, '/s').message).toBe('Another Device Agent is already using /s. Stop it, or give this one its own --state-dir.');
  });

  it.each([
    [-1, false], [0, true], [5_000, false], [UNREADABLE_GRACE_MS - 1, false], [UNREADABLE_GRACE_MS, true],
  ])('a half-written owner file %i ms after its last write: taken over %s', async (age, takenOver) => {
    const dir = await tempDir();
    await mkdir(join(dir, LOCK_FILE_NAME));
    const file = join(dir, LOCK_FILE_NAME, 'owner-half.json');
    await writeFile(file, '{"pid":12,"ho');
    const mtime = (await stat(file)).mtimeMs;
    // age 0 is "exactly now" only if the grace is 0: the row at 0 is the grace test's control (grace applies from the write on).
    const now = age === 0 ? mtime + UNREADABLE_GRACE_MS : mtime + age;
    const options = { facts: { now: () => now } };
    if (takenOver) {
      acquireStateLock(dir, options).release();
      expect(await readdir(dir)).toEqual([]);
    } else {
      expect(refusal(() => acquireStateLock(dir, options))).toMatchObject({ name: 'StateLockedError', pid: undefined });
      expect(await readdir(join(dir, LOCK_FILE_NAME))).toEqual(['owner-half.json']);
    }
  });

  it('a file server whose clock is a minute behind ours (mtimes in the past) does not make the agent remove its own fresh candidate', async () => {
    const dir = await tempDir();
    const lock = acquireStateLock(dir, { facts: { now: () => Date.now() + 61_000 } });
    expect(lock.held).toBe(true);
    expect((await ownerOf(dir)).pid).toBe(process.pid);
    lock.release();
    // …nor when it is taking over a half-written owner file long past its grace.
    await mkdir(join(dir, LOCK_FILE_NAME));
    await writeFile(join(dir, LOCK_FILE_NAME, 'owner-half.json'), '{"pid":');
    acquireStateLock(dir, { facts: { now: () => Date.now() + UNREADABLE_GRACE_MS + 60_000 } }).release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('an owner file whose name does not match its token is treated as unreadable (grace, then taken over)', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, LOCK_FILE_NAME));
    const file = join(dir, LOCK_FILE_NAME, 'owner-aaa.json');
    await writeFile(file, JSON.stringify({ pid: 4242, host: hostname(), startedAt: Date.now(), token: 'bbb' }));
    const mtime = (await stat(file)).mtimeMs;
    expect(refusal(() => acquireStateLock(dir, { facts: { now: () => mtime + 1 } }))).toMatchObject({ name: 'StateLockedError', pid: undefined });
    acquireStateLock(dir, { facts: { now: () => mtime + UNREADABLE_GRACE_MS } }).release();
  });
});

describe('staleReason at its edges', () => {
  it('without boot ids, a start exactly at the margin before the boot is still this boot\'s', () => {
    const noBoot = facts({ bootId: undefined, probePid: () => 'alive' });
    expect(staleReason(owner({ bootId: undefined, startedAt: 1_000_000_000 - BOOT_TIME_MARGIN_MS }), '/s', noBoot)).toBeUndefined();
    expect(staleReason(owner({ bootId: undefined, startedAt: 1_000_000_000 - BOOT_TIME_MARGIN_MS - 1 }), '/s', noBoot)).toBe('started before the machine restarted');
  });

  it('a boot id on one side only is no evidence of a reboot: the start time and the pid decide', () => {
    expect(staleReason(owner({ bootId: undefined }), '/s', facts())).toBeUndefined();
    expect(staleReason(owner(), '/s', facts({ bootId: undefined }))).toBeUndefined();
    expect(staleReason(owner({ bootId: undefined, startedAt: 1 }), '/s', facts())).toBe('started before the machine restarted');
    expect(staleReason(owner({ bootId: undefined }), '/s', facts({ probePid: () => 'dead' }))).toBe('pid 42 is not running');
  });

  it('another host with no boot ids: live on a network file system, start time and pid on a local one', () => {
    const noBoot = { bootId: undefined };
    expect(staleReason(owner({ ...noBoot, host: 'peer' }), '/s', facts({ ...noBoot, isLocal: () => false, probePid: () => 'dead' }))).toBeUndefined();
    expect(staleReason(owner({ ...noBoot, host: 'peer' }), '/s', facts({ ...noBoot, isLocal: () => undefined, probePid: () => 'dead' }))).toBe('pid 42 is not running');
    expect(staleReason(owner({ ...noBoot, host: 'peer', startedAt: 1 }), '/s', facts({ ...noBoot, isLocal: () => true }))).toBe('started before the machine restarted');
    expect(staleReason(owner({ ...noBoot }), '/s', facts({ ...noBoot, isLocal: () => false, probePid: () => 'dead' }))).toBe('pid 42 is not running');
  });

  it('another boot on a network file system: this host\'s own lock is stale, another host\'s is live', () => {
    expect(staleReason(owner({ bootId: 'boot-a' }), '/s', facts({ isLocal: () => false }))).toBe('left before the machine restarted');
    expect(staleReason(owner({ bootId: 'boot-a', host: 'peer' }), '/s', facts({ isLocal: () => false }))).toBeUndefined();
    expect(staleReason(owner({ bootId: 'boot-a', host: 'peer' }), '/s', facts({ isLocal: () => undefined }))).toBe('left by another host name before this boot, in a local folder');
  });

  it('the reasons name the pid', () => {
    expect(staleReason(owner(), '/s', facts({ probePid: () => 'dead' }))).toBe('pid 42 is not running');
    expect(staleReason(owner(), '/s', facts({ pidStart: () => '501' }))).toBe('pid 42 now belongs to another process');
    expect(staleReason(owner({ pid: 100 }), '/s', facts())).toBe('left by an earlier agent with this process\'s pid');
  });
});

describe('acquireStateLock where nothing can be written, or the lock is not what it seems', () => {
  it('a state directory that does not exist: runs without a lock, saying why (nothing is created)', async () => {
    const missing = join(await tempDir(), 'not-there');
    const lock = acquireStateLock(missing);
    expect(lock).toMatchObject({ held: false, path: join(missing, LOCK_FILE_NAME) });
    expect(lock.warning).toBe(`The state directory cannot be written (ENOENT), so this agent runs without its lock (${join(missing, LOCK_FILE_NAME)}): another agent started on the same directory would not be kept out.`);
    lock.release();
    expect(await readdir(join(missing, '..'))).toEqual([]);
  });

  it('a state directory that is a file is a configuration error naming it', async () => {
    const file = join(await tempDir(), 'state');
    await writeFile(file, 'x');
    const error = refusal(() => acquireStateLock(file));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([{ field: 'stateDir', message: `${file} is not a directory` }]);
  });

  it('an owner file that is a symbolic link is not the agent\'s lock: a configuration problem naming it, the link not followed', async () => {
    const dir = await tempDir();
    const target = join(await tempDir(), 'elsewhere.json');
    await writeFile(target, JSON.stringify({ pid: 1, host: hostname(), startedAt: Date.now(), token: 'x' }));
    await mkdir(join(dir, LOCK_FILE_NAME));
    await symlink(target, join(dir, LOCK_FILE_NAME, 'owner-x.json'));
    const error = refusal(() => acquireStateLock(dir)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.problems[0]!.message).toMatch(new RegExp(`^${join(dir, LOCK_FILE_NAME, 'owner-x.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is a symbolic link`));
    expect(await readdir(join(dir, LOCK_FILE_NAME))).toEqual(['owner-x.json']);
    expect(await readdir(dir)).toEqual([LOCK_FILE_NAME]);
  });

  it('an owner file that is a folder is not the agent\'s lock either', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, LOCK_FILE_NAME, 'owner-x.json'), { recursive: true });
    expect((refusal(() => acquireStateLock(dir)) as Error).message).toMatch(/owner-x\.json is a directory/);
  });

  it('a lock of the previous format (a file) that is live keeps this agent out; a dead one is replaced by the folder form', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, LOCK_FILE_NAME), JSON.stringify({ pid: 4242, host: hostname(), startedAt: Date.now(), token: 'old' }));
    expect(refusal(() => acquireStateLock(dir, { facts: { probePid: () => 'alive', pidStart: () => undefined } }))).toMatchObject({ name: 'StateLockedError', pid: 4242 });
    const lock = acquireStateLock(dir, { facts: { probePid: () => 'dead' } });
    expect((await lstat(join(dir, LOCK_FILE_NAME))).isDirectory()).toBe(true);
    lock.release();
  });

  it('release is idempotent and leaves the state directory as it found it', async () => {
    const dir = await tempDir();
    const lock = acquireStateLock(dir);
    lock.release();
    lock.release();
    expect(await readdir(dir)).toEqual([]);
    const again = acquireStateLock(dir);
    expect(again.held).toBe(true);
    again.release();
  });

  it('a fresh candidate of another starter is left alone; one older than a minute is removed', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, `${LOCK_FILE_NAME}.new-fresh`));
    await mkdir(join(dir, `${LOCK_FILE_NAME}.new-old`));
    await writeFile(join(dir, `${LOCK_FILE_NAME}.new-old`, 'owner-old.json'), '{}');
    const old = new Date(Date.now() - 60_000);
    await utimes(join(dir, `${LOCK_FILE_NAME}.new-old`), old, old);
    const lock = acquireStateLock(dir);
    expect((await readdir(dir)).sort()).toEqual([LOCK_FILE_NAME, `${LOCK_FILE_NAME}.new-fresh`]);
    lock.release();
  });
});
