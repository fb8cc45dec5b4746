import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HARDWARE_ID_FILE_MAX_BYTES, readHardwareIdFile } from './hardware-id-file.ts';
import { describeHardwareIdSource } from './resolve-identity.ts';

let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'hwid-file-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

const write = async (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
};

describe('readHardwareIdFile', () => {
  it('reads one line, trimmed, whatever the line ending or a UTF-8 BOM', async () => {
    expect(await readHardwareIdFile(await write('a', 'Program-Id-1\n'))).toBe('Program-Id-1');
    expect(await readHardwareIdFile(await write('b', '\uFEFF  4A5B-77\r\n\r\n'))).toBe('4A5B-77');
    expect(await readHardwareIdFile(await write('c', 'ünïcode-id'))).toBe('ünïcode-id');
  });

  it('refuses what is not one hardware id, naming the file and the field', async () => {
    const cases: Array<[string, string | Buffer, RegExp]> = [
      ['empty', '', /is empty: the licensed program has not written its hardware id yet/],
      ['blank', ' \n \n', /is empty/],
      ['two lines', 'a\nb\n', /holds 2 lines; it must hold the hardware id alone/],
      ['too long an id', 'x'.repeat(300), /holds an unusable id: must be at most 256 characters/],
      ['a control character', 'abc\u0007def', /holds an unusable id: must not contain control characters/],
      ['not UTF-8', Buffer.from([0x61, 0xff, 0xfe, 0x62]), /is not UTF-8 text/],
      ['oversized', 'x'.repeat(HARDWARE_ID_FILE_MAX_BYTES + 1), /is larger than 4096 bytes/],
    ];
    for (const [name, content, problem] of cases) {
      const path = await write(name, content);
      await expect(readHardwareIdFile(path), name).rejects.toThrow(problem);
      await expect(readHardwareIdFile(path), name).rejects.toThrow(new RegExp(`^hardwareIdFile: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `));
    }
  });

  it('a missing file or a directory is named as such', async () => {
    await expect(readHardwareIdFile(join(dir, 'nope'))).rejects.toThrow(/does not exist \(yet\): the licensed program writes it/);
    await mkdir(join(dir, 'folder'));
    await expect(readHardwareIdFile(join(dir, 'folder'))).rejects.toThrow(/is not a regular file/);
  });

  it('reads at most a bounded prefix of a huge file', async () => {
    const path = await write('huge', Buffer.alloc(8 * 1024 * 1024, 0x61));
    await expect(readHardwareIdFile(path)).rejects.toThrow(/larger than 4096 bytes/);
  });
});

describe('where the hardware id came from, in words', () => {
  it('claims the vendor SDK\'s id only on Linux, from the machine id', () => {
    expect(describeHardwareIdSource('os', 'linux')).toMatch(/LicenseSpring's SDKs do: the same id they report/);
    for (const platform of ['win32', 'darwin', 'freebsd'] as const) {
      const words = describeHardwareIdSource('os', platform);
      expect(words).toMatch(/the agent's own id/);
      expect(words).toMatch(/hardwareId or hardwareIdFile/);
    }
    expect(describeHardwareIdSource('os', 'win32')).toMatch(/MachineGuid.*computes another one on Windows/);
    expect(describeHardwareIdSource('os', 'darwin')).toMatch(/IOPlatformUUID.*computes another one on macOS/);
    expect(describeHardwareIdSource('generated', 'linux')).toMatch(/^the agent's own id, generated because this machine has no usable machine id/);
    expect(describeHardwareIdSource('configured', 'win32')).toBe('set in the configuration (hardwareId)');
    expect(describeHardwareIdSource('file', 'darwin', '/Library/Acme/hwid')).toMatch(/^read from \/Library\/Acme\/hwid \(hardwareIdFile\)/);
  });
});
