import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAutostart, openWindowAtStart } from './autostart.ts';
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

describe('openWindowAtStart', () => {
  it('opens on the first run and whenever a person must act, on every OS', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      expect(openWindowAtStart({ firstRun: true, attention: false, argv: ['x', '--hidden'], platform })).toBe(true);
      expect(openWindowAtStart({ firstRun: false, attention: true, argv: ['x', '--hidden'], platform })).toBe(true);
    }
  });

  it('Windows and Linux: a login start (--hidden) is tray-only, a start by hand shows the window', () => {
    for (const platform of ['linux', 'win32'] as const) {
      expect(openWindowAtStart({ firstRun: false, attention: false, argv: ['x', '--hidden'], platform })).toBe(false);
      expect(openWindowAtStart({ firstRun: false, attention: false, argv: ['x'], platform })).toBe(true);
    }
  });

  it('macOS 13+: a login start looks like any other (no arguments, wasOpenedAtLogin not reported), so later starts are tray-only', () => {
    expect(openWindowAtStart({ firstRun: false, attention: false, argv: ['/Applications/Device Agent.app/Contents/MacOS/Device Agent'], platform: 'darwin' })).toBe(false);
  });
});
