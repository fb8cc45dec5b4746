import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findElectronBinary } from '../../tools/electron-binary.ts';

describe('findElectronBinary (never imports electron)', () => {
  let dir = '';
  afterEach(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

  it('uses ELECTRON_OVERRIDE_DIST_PATH, then a downloaded dist, else says why', async () => {
    dir = await mkdtemp(join(tmpdir(), 'da-elbin-'));
    const moduleDir = join(dir, 'electron');
    await mkdir(join(moduleDir, 'dist'), { recursive: true });
    await writeFile(join(moduleDir, 'path.txt'), 'electron');
    const none = findElectronBinary({}, 'linux', moduleDir);
    expect(none).toMatchObject({ found: false, why: expect.stringContaining('not downloaded') });
    const override = join(dir, 'override');
    await mkdir(override);
    expect(findElectronBinary({ ELECTRON_OVERRIDE_DIST_PATH: override }, 'linux', moduleDir)).toMatchObject({ found: false, why: expect.stringContaining('does not exist') });
    await writeFile(join(override, 'electron'), '');
    expect(findElectronBinary({ ELECTRON_OVERRIDE_DIST_PATH: override }, 'linux', moduleDir)).toEqual({ found: true, path: join(override, 'electron') });
    await writeFile(join(moduleDir, 'dist', 'electron'), '');
    expect(findElectronBinary({}, 'linux', moduleDir)).toEqual({ found: true, path: join(moduleDir, 'dist', 'electron') });
  });
});
