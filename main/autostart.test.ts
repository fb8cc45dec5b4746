import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAutostart, startedHidden } from './autostart.ts';
import { desktopEntryFile } from './linux-desktop-entry.ts';

function fakeApp(openAtLogin = false, wasOpenedAtLogin = false) {
  const state = { openAtLogin };
  return {
    setLoginItemSettings: vi.fn((s: { openAtLogin?: boolean }) => { state.openAtLogin = Boolean(s.openAtLogin); }),
    getLoginItemSettings: vi.fn(() => ({ openAtLogin: state.openAtLogin, wasOpenedAtLogin }) as never),
  };
}

describe('createAutostart', () => {
  let dir = '';
  afterEach(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

  it.each(['win32', 'darwin'] as const)('uses login items on %s, started with --hidden', async (platform) => {
    const app = fakeApp();
    const a = createAutostart({ platform, app });
    await a.setEnabled(true);
    expect(app.setLoginItemSettings).toHaveBeenCalledWith({ openAtLogin: true, args: ['--hidden'] });
    expect(await a.isEnabled()).toBe(true);
    await a.setEnabled(false);
    expect(await a.isEnabled()).toBe(false);
  });

  it('writes the XDG entry on Linux and never touches login items', async () => {
    dir = await mkdtemp(join(tmpdir(), 'da-autostart-'));
    const app = fakeApp();
    const a = createAutostart({ platform: 'linux', app, desktopEntry: desktopEntryFile(join(dir, 'device-agent.desktop')), launchArgv: ['/opt/da/device-agent', '--hidden'] });
    await a.setEnabled(true);
    expect(await a.isEnabled()).toBe(true);
    await a.setEnabled(false);
    expect(await a.isEnabled()).toBe(false);
    expect(app.setLoginItemSettings).not.toHaveBeenCalled();
  });

  it('refuses Linux without an entry file', () => {
    expect(() => createAutostart({ platform: 'linux', app: fakeApp() })).toThrow(/desktop entry/);
  });
});

describe('startedHidden', () => {
  it('is true with --hidden, or when macOS opened the app at login', () => {
    expect(startedHidden(['electron', '--hidden'], fakeApp(), 'linux')).toBe(true);
    expect(startedHidden(['electron'], fakeApp(), 'linux')).toBe(false);
    expect(startedHidden(['x'], fakeApp(true, true), 'darwin')).toBe(true);
    expect(startedHidden(['x'], fakeApp(true, false), 'darwin')).toBe(false);
  });
});
