import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { autostartEntryPath, desktopEntryContents, desktopEntryFile, launchCommand, quoteExecArg, repointOwnEntrySync, systemAutostartEntryPaths } from './linux-desktop-entry.ts';

const execLine = (text: string) => text.split('\n').find((l) => l.startsWith('Exec='));

describe('quoteExecArg (Desktop Entry spec)', () => {
  it('leaves plain arguments alone', () => {
    expect(quoteExecArg('/opt/Device-Agent/device-agent')).toBe('/opt/Device-Agent/device-agent');
    expect(quoteExecArg('--hidden')).toBe('--hidden');
  });
  it('double-quotes arguments with spaces', () => {
    expect(quoteExecArg('/home/ann/My Apps/Device Agent.AppImage')).toBe('"/home/ann/My Apps/Device Agent.AppImage"');
  });
  it('escapes ", `, $ inside quotes, and backslashes twice (argument, then string level)', () => {
    expect(quoteExecArg('/a "b"')).toBe('"/a \\\\"b\\\\""');
    expect(quoteExecArg('/x/$HOME/`id`')).toBe('"/x/\\\\$HOME/\\\\`id\\\\`"');
    expect(quoteExecArg('/a\\b')).toBe('"/a\\\\\\\\b"');
  });
  it('doubles % so it is not read as a field code', () => {
    expect(quoteExecArg('/opt/100%/app')).toBe('/opt/100%%/app');
  });
  it('quotes the empty string and refuses control characters', () => {
    expect(quoteExecArg('')).toBe('""');
    expect(() => quoteExecArg('a\nb')).toThrow(/control characters/);
  });
});

describe('desktopEntryContents', () => {
  it('writes a hidden-start autostart entry', () => {
    const text = desktopEntryContents(['/opt/Device Agent/device-agent', '--hidden']);
    expect(text.startsWith('[Desktop Entry]\n')).toBe(true);
    expect(text).toContain('Type=Application\n');
    expect(text).toContain('X-GNOME-Autostart-enabled=true\n');
    expect(execLine(text)).toBe('Exec="/opt/Device Agent/device-agent" --hidden');
  });
});

describe('launchCommand', () => {
  it('uses the AppImage path when running from one', () => {
    expect(launchCommand({ execPath: '/tmp/.mount_x/device-agent', isPackaged: true, appPath: '/tmp/.mount_x/resources/app.asar', appImage: '/home/a/Apps/Device Agent.AppImage' }))
      .toEqual(['/home/a/Apps/Device Agent.AppImage', '--hidden']);
  });
  it('runs the packaged binary, or electron with the app folder in development', () => {
    expect(launchCommand({ execPath: '/opt/da/device-agent', isPackaged: true, appPath: '/opt/da/resources/app.asar' })).toEqual(['/opt/da/device-agent', '--hidden']);
    expect(launchCommand({ execPath: '/n/electron', isPackaged: false, appPath: '/src/app' })).toEqual(['/n/electron', '/src/app', '--hidden']);
  });
});

describe('autostartEntryPath', () => {
  it('honours an absolute XDG_CONFIG_HOME and ignores a relative one', () => {
    expect(autostartEntryPath({ XDG_CONFIG_HOME: '/cfg' }, '/home/a')).toBe('/cfg/autostart/device-agent.desktop');
    expect(autostartEntryPath({ XDG_CONFIG_HOME: 'rel' }, '/home/a')).toBe('/home/a/.config/autostart/device-agent.desktop');
    expect(autostartEntryPath({}, '/home/a')).toBe('/home/a/.config/autostart/device-agent.desktop');
  });
});

describe('desktopEntryFile (real files)', () => {
  let dir = '';
  afterEach(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

  it('enables, reports and disables the entry', async () => {
    dir = await mkdtemp(join(tmpdir(), 'da-autostart-'));
    const path = join(dir, 'autostart', 'device-agent.desktop');
    const file = desktopEntryFile(path);
    expect(await file.isEnabled()).toBe(false);
    await file.enable(['/home/a b/Device Agent.AppImage', '--hidden']);
    expect(await file.isEnabled()).toBe(true);
    expect(execLine(await readFile(path, 'utf8'))).toBe('Exec="/home/a b/Device Agent.AppImage" --hidden');
    expect((await stat(path)).mode & 0o777).toBe(0o644);
    await file.disable();
    expect(await file.isEnabled()).toBe(false);
  });

  it('follows an AppImage an update installed under a new name; leaves off, foreign or missing entries alone', async () => {
    dir = await mkdtemp(join(tmpdir(), 'da-autostart-'));
    const path = join(dir, 'autostart', 'device-agent.desktop');
    const file = desktopEntryFile(path);
    expect(repointOwnEntrySync(path, ['/apps/Device-Agent-1.1.0.AppImage', '--hidden'])).toBe(false);
    await file.enable(['/apps/Device-Agent-1.0.0.AppImage', '--hidden']);
    expect(repointOwnEntrySync(path, ['/apps/Device-Agent-1.1.0.AppImage', '--hidden'])).toBe(true);
    expect(execLine(await readFile(path, 'utf8'))).toBe('Exec=/apps/Device-Agent-1.1.0.AppImage --hidden');
    await writeFile(path, '[Desktop Entry]\nExec=/usr/bin/something-else\n');
    expect(repointOwnEntrySync(path, ['/apps/x.AppImage', '--hidden'])).toBe(false);
    expect(await readFile(path, 'utf8')).toContain('something-else');
  });
});

describe('the system autostart entry the .deb installs (XDG Autostart spec)', () => {
  let dir = '';
  afterEach(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

  const SYSTEM_ENTRY = desktopEntryContents(['/opt/Device Agent/device-agent', '--hidden']);

  it('counts as on; turning it off writes a user entry with Hidden=true; turning it on again removes that', async () => {
    dir = await mkdtemp(join(tmpdir(), 'da-autostart-'));
    const user = join(dir, 'home', 'autostart', 'device-agent.desktop');
    const system = join(dir, 'etc-xdg', 'autostart', 'device-agent.desktop');
    await mkdir(dirname(system), { recursive: true });
    await writeFile(system, SYSTEM_ENTRY);
    const file = desktopEntryFile(user, [join(dir, 'nowhere', 'device-agent.desktop'), system]);
    expect(await file.isEnabled()).toBe(true);
    await file.disable();
    expect(await file.isEnabled()).toBe(false);
    const hidden = await readFile(user, 'utf8');
    expect(hidden).toMatch(/^Hidden=true$/m);
    expect(hidden).toMatch(/^X-DeviceAgent-Autostart=true$/m);
    expect(await readFile(system, 'utf8')).toBe(SYSTEM_ENTRY); // a user never changes the system's file
    await file.enable(['/opt/Device Agent/device-agent', '--hidden']);
    expect(existsSync(user)).toBe(false);
    expect(await file.isEnabled()).toBe(true);
  });

  it('a system entry that is itself hidden counts as off, and turning on writes the user\'s own entry', async () => {
    dir = await mkdtemp(join(tmpdir(), 'da-autostart-'));
    const user = join(dir, 'autostart', 'device-agent.desktop');
    const system = join(dir, 'xdg', 'device-agent.desktop');
    await mkdir(dirname(system), { recursive: true });
    await writeFile(system, `${SYSTEM_ENTRY}Hidden=true\n`);
    const file = desktopEntryFile(user, [system]);
    expect(await file.isEnabled()).toBe(false);
    await file.enable(['/opt/da/device-agent', '--hidden']);
    expect(await file.isEnabled()).toBe(true);
    expect(await readFile(user, 'utf8')).toMatch(/^Exec=\/opt\/da\/device-agent --hidden$/m);
  });

  it('reads the system folders from XDG_CONFIG_DIRS (absolute ones), else /etc/xdg', () => {
    expect(systemAutostartEntryPaths({})).toEqual(['/etc/xdg/autostart/device-agent.desktop']);
    expect(systemAutostartEntryPaths({ XDG_CONFIG_DIRS: '/etc/xdg/xdg-ubuntu:rel:/etc/xdg' }))
      .toEqual(['/etc/xdg/xdg-ubuntu/autostart/device-agent.desktop', '/etc/xdg/autostart/device-agent.desktop']);
  });

  it('our entries carry TryExec (ignored once the program is gone) and the key the uninstall looks for', () => {
    const text = desktopEntryContents(['/home/a b/Device Agent.AppImage', '--hidden']);
    expect(text).toMatch(/^TryExec=\/home\/a b\/Device Agent\.AppImage$/m);
    expect(text).toMatch(/^X-DeviceAgent-Autostart=true$/m);
  });
});
