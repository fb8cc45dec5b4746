import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canWriteIn, installNeeds, type InstallContext } from './update-install.ts';

const base: InstallContext = { platform: 'linux', execPath: '/tmp/.mount_x/device-agent', appImage: '/home/a/Apps/Device-Agent-1.0.0.AppImage', canWriteIn: () => true };

describe('what installing an update needs', () => {
  it('nothing for a per-user install', () => {
    expect(installNeeds(base)).toEqual({});
    expect(installNeeds({ ...base, platform: 'win32', execPath: 'C:\\Users\\a\\AppData\\Local\\Programs\\Device Agent\\Device Agent.exe' })).toEqual({});
  });

  it('an administrator for a per-machine install: the installer says so, or its folder is not ours', () => {
    expect(installNeeds({ ...base, platform: 'win32' }, true).elevation).toMatch(/administrator rights/);
    expect(installNeeds({ ...base, platform: 'win32', execPath: 'C:\\Program Files\\Device Agent\\Device Agent.exe', canWriteIn: () => false }).elevation).toMatch(/installed for all users/);
    expect(installNeeds({ ...base, appImage: undefined, packageType: 'deb' }).elevation).toMatch(/administrator's password .*\.deb package/);
  });

  it('cannot be done by this account: an AppImage in a folder it may not change, or no AppImage or package at all', () => {
    expect(installNeeds({ ...base, canWriteIn: (d) => d !== '/home/a/Apps' }).blocked).toBe('This account may not replace Device-Agent-1.0.0.AppImage in /home/a/Apps. Ask your IT support to install the update.');
    expect(installNeeds({ ...base, appImage: undefined }).blocked).toMatch(/not installed from an AppImage or a package/);
    expect(installNeeds({ ...base, platform: 'darwin', execPath: '/Applications/Device Agent.app/Contents/MacOS/Device Agent', canWriteIn: () => false }).blocked).toMatch(/may not replace \/Applications\/Device Agent\.app/);
  });

  it('finds out whether a folder is writable by trying, and leaves nothing behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'da-write-'));
    expect(canWriteIn(dir)).toBe(true);
    expect(canWriteIn(join(dir, 'missing'))).toBe(false);
  });
});
