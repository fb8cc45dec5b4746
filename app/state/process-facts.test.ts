import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { uptime } from 'node:os';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { bootId, bootTimeMs, isLocalFileSystem, pidNamespace, probePid, processStartTicks } from './process-facts.ts';

const linux = process.platform === 'linux';

/** A mountinfo line: the mount point is field 5, the file system type the first field after " - ". */
const mount = (point: string, type: string) => `36 25 0:32 / ${point} rw,relatime shared:1 - ${type} src rw`;

describe('isLocalFileSystem, from a mount table', () => {
  // Real folders (the path is resolved first), with mount points of our own making.
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'da-mounts-')));
  for (const dir of ['home/alice', 'home/local/x', 'home/localx', 'share/agent', 'with space/agent', 'ssh/x', 'rclone', 's3/x', 'nfs-old/x', 'nfsd', 'ceph', '9p', 'a/b', 'ab', 'overlay/x', 'plain']) {
    mkdirSync(join(base, dir), { recursive: true });
  }
  const table = [
    mount('/', 'ext4'),
    mount(`${base}/home`, 'nfs4'),
    mount(`${base}/home/local`, 'xfs'),
    mount(`${base}/share`, 'cifs'),
    mount(`${base}/with\\040space`, 'smb3'),
    mount(`${base}/ssh`, 'fuse.sshfs'),
    mount(`${base}/rclone`, 'fuse.rclone'),
    mount(`${base}/s3`, 'fuse.s3fs'),
    mount(`${base}/nfs-old`, 'nfs'),
    mount(`${base}/nfsd`, 'nfsd'),
    mount(`${base}/ceph`, 'ceph'),
    mount(`${base}/9p`, '9p'),
    mount(`${base}/a`, 'tmpfs'),
    mount(`${base}/overlay`, 'overlay'),
    'a line without the separator',
    '',
  ].join('\n');

  it.each([
    ['plain', true],
    ['home', false],
    ['home/alice', false],
    ['home/local', true], // the longest mount point wins
    ['home/local/x', true],
    ['home/localx', false], // a name that only starts like a mount point is not inside it: under home (nfs4)
    ['share/agent', false],
    ['with space/agent', false], // \040 in the table is a space
    ['ssh/x', false],
    ['rclone', false],
    ['s3/x', false],
    ['nfs-old/x', false],
    ['nfsd', false],
    ['ceph', false],
    ['9p', false],
    ['a/b', true],
    ['ab', true], // under /, not under a
    ['overlay/x', true],
  ])('%s is local: %s', (dir, local) => {
    expect(isLocalFileSystem(join(base, dir), table)).toBe(local);
  });

  it('is undefined with no matching mount, or for a folder that does not exist', () => {
    expect(isLocalFileSystem(base, '')).toBeUndefined();
    expect(isLocalFileSystem(base, mount('/elsewhere', 'nfs'))).toBeUndefined();
    expect(isLocalFileSystem(join(base, 'no', 'such'), table)).toBeUndefined();
  });

  it('two mounts on the same point: the later one (mounted over the first) decides', () => {
    expect(isLocalFileSystem(join(base, 'plain'), [mount('/', 'ext4'), mount(`${base}/plain`, 'nfs4'), mount(`${base}/plain`, 'ext4')].join('\n'))).toBe(true);
    expect(isLocalFileSystem(join(base, 'plain'), [mount('/', 'ext4'), mount(`${base}/plain`, 'ext4'), mount(`${base}/plain`, 'nfs4')].join('\n'))).toBe(false);
  });

  it.skipIf(!linux)('reads this machine\'s own table: a temp folder is on a local file system here', () => {
    expect(isLocalFileSystem(base)).toBe(true);
  });
});

describe('process facts from /proc', () => {
  it('probePid: this process is alive; a reaped child is not', async () => {
    expect(probePid(process.pid)).toBe('alive');
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => child.on('exit', resolve));
    expect(probePid(child.pid!)).toBe('dead');
  });

  it.skipIf(!linux)('the start time of a process, even when its name holds ") " (field 22 counted from the last parenthesis)', async () => {
    const child = spawn('sh', ['-c', 'read line; printf "a) b c" > /proc/$$/comm; echo renamed; sleep 20'], { stdio: ['pipe', 'pipe', 'ignore'] });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      const before = processStartTicks(child.pid!);
      expect(before).toMatch(/^\d+$/);
      const renamed = new Promise((resolve) => child.stdout.on('data', (d: Buffer) => { if (d.toString().includes('renamed')) resolve(undefined); }));
      child.stdin.write('go\n');
      await renamed;
      expect(readFileSync(`/proc/${child.pid}/stat`, 'utf8')).toContain('(a) b c)');
      expect(processStartTicks(child.pid!)).toBe(before);
    } finally {
      child.kill();
    }
  });

  it.skipIf(!linux)('no start time for a pid that does not exist', () => {
    expect(processStartTicks(2 ** 22 + 12345)).toBeUndefined();
  });

  it.skipIf(!linux)('this boot\'s id and this process\'s pid namespace, as the kernel gives them', () => {
    expect(bootId()).toBe(readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
    expect(bootId()).toBe(bootId());
    expect(pidNamespace()).toMatch(/^pid:\[\d+\]$/);
  });

  it('the boot time is now minus the uptime', () => {
    const now = 1_800_000_000_000;
    const at = bootTimeMs(now);
    expect(Math.abs(at - (now - uptime() * 1000))).toBeLessThan(2_000);
    expect(at).toBeLessThan(now);
    expect(Math.abs(bootTimeMs() - (Date.now() - uptime() * 1000))).toBeLessThan(2_000);
  });
});

describe('isLocalFileSystem: one row per network file system type', () => {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'da-fstypes-')));
  it.each([
    ['nfs', false], ['nfs4', false], ['cifs', false], ['smb3', false], ['smbfs', false], ['ncpfs', false], ['9p', false], ['afs', false],
    ['ceph', false], ['glusterfs', false], ['lustre', false], ['gpfs', false], ['davfs', false], ['coda', false], ['ocfs2', false], ['gfs2', false],
    ['fuse.sshfs', false], ['fuse.rclone', false], ['fuse.s3fs', false], ['nfsd', false],
    ['ext4', true], ['xfs', true], ['btrfs', true], ['tmpfs', true], ['overlay', true], ['fuse.gocryptfs', true], ['zfs', true], ['sshfs.fuse', true],
  ])('%s: local %s', (type, local) => {
    expect(isLocalFileSystem(base, [mount('/', 'ext4'), mount(base, type)].join('\n'))).toBe(local);
  });
});
