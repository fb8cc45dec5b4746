import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import machineIdPackage from 'node-machine-id';
import { hardwareIdFromMachineId, isUsableMachineId, osMachineId, readLinuxMachineId } from './machine-id.ts';

const onLinuxWithMachineId = process.platform === 'linux' && existsSync('/etc/machine-id');

describe('the OS machine id on this machine', () => {
  it.runIf(onLinuxWithMachineId)('hashes to sha256(/etc/machine-id trimmed) and to node-machine-id\'s hashed id', async () => {
    const raw = await osMachineId();
    expect(raw).toBeDefined();
    const hardwareId = hardwareIdFromMachineId(raw!);
    const fromFile = createHash('sha256').update(readFileSync('/etc/machine-id', 'utf8').trim()).digest('hex');
    expect(hardwareId).toBe(fromFile);
    expect(hardwareId).toBe(await machineIdPackage.machineId());
    expect(hardwareId).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is read once per process: later calls share the first read', () => {
    expect(osMachineId()).toBe(osMachineId());
  });
});

describe('readLinuxMachineId', () => {
  let dir: string;
  afterEach(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

  it('prefers the first file, trims it, and falls back when the first is missing, empty or a placeholder', async () => {
    dir = await mkdtemp(join(tmpdir(), 'machine-id-'));
    const first = join(dir, 'etc-machine-id');
    const second = join(dir, 'dbus-machine-id');
    await writeFile(second, 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n');
    expect(await readLinuxMachineId([first, second])).toBe('bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb');
    await writeFile(first, '\n');
    expect(await readLinuxMachineId([first, second])).toBe('bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb');
    await writeFile(first, 'uninitialized\n');
    expect(await readLinuxMachineId([first, second])).toBe('bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb');
    await writeFile(first, '  aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa \n');
    expect(await readLinuxMachineId([first, second])).toBe('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
  });

  it('gives undefined when no file holds a usable id', async () => {
    dir = await mkdtemp(join(tmpdir(), 'machine-id-'));
    const zeros = join(dir, 'zeros');
    await writeFile(zeros, '00000000000000000000000000000000\n');
    expect(await readLinuxMachineId([join(dir, 'missing'), zeros])).toBeUndefined();
  });
});

describe('isUsableMachineId', () => {
  it.each([
    [undefined, false], ['', false], ['   \n', false], ['uninitialized', false],
    ['00000000000000000000000000000000', false], ['00000000-0000-0000-0000-000000000000', false],
    ['FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', false],
    ['3d1219c7c4c5404aaa1f6d2a48adfda4', true], ['{4C4C4544-0042-3510-8052-B3C04F4E4D32}', true],
  ])('%j -> %s', (raw, usable) => {
    expect(isUsableMachineId(raw)).toBe(usable);
  });
});
