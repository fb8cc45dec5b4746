// How the built app fits into the desktop, on the stand-in: no default
// application menu (Electron's has Reload and Developer Tools); the autostart
// entry the .deb installs for every user counts, and turning it off writes the
// user's Hidden=true entry; opening the app again (macOS 'activate', a second
// launch) shows the window and raises it to the front.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserServer } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desktopEntryContents } from '../../main/linux-desktop-entry.ts';
import type { StandinApp } from '../electron-standin/driver.ts';
import type { MenuItemSnapshot } from '../electron-standin/recorder.ts';
import { browserServer, createScenario, eventually, firstTray, haveChromium, sharedAppBuild, type Scenario } from './fixture.ts';

describe.skipIf(!haveChromium)('desktop app in the desktop', () => {
  let browser: BrowserServer;
  let scenario: Scenario;
  let app: StandinApp;
  let systemEntry = '';
  let userEntry = '';

  beforeAll(async () => {
    const build = await sharedAppBuild();
    browser = await browserServer();
    scenario = await createScenario(build, browser);
    // The .deb's entry for every user, in a system autostart folder (XDG_CONFIG_DIRS).
    const xdg = join(scenario.dir, 'etc-xdg');
    systemEntry = join(xdg, 'autostart', 'device-agent.desktop');
    userEntry = join(scenario.home, '.config', 'autostart', 'device-agent.desktop');
    await mkdir(join(xdg, 'autostart'), { recursive: true });
    await writeFile(systemEntry, desktopEntryContents(['/opt/Device Agent/device-agent', '--hidden']));
    scenario.env.XDG_CONFIG_DIRS = xdg;
    // Not the first run, started at login: no window at start.
    await mkdir(scenario.userData, { recursive: true });
    await writeFile(join(scenario.userData, 'settings.json'), JSON.stringify({ firstRunDone: true }));
    app = scenario.launch({ args: ['--hidden'] });
    await app.waitFor('the tray', (s) => firstTray(s));
  }, 60_000);

  afterAll(async () => {
    await scenario?.close();
    await browser?.close();
  });

  const startAtLogin = async (): Promise<MenuItemSnapshot | undefined> => firstTray(await app.snapshot())?.menu?.find((i) => i.id === 'start-at-login');

  it('sets no application menu: Electron\'s default (Reload, Toggle Developer Tools) is gone', async () => {
    const snap = await app.snapshot();
    expect(snap.applicationMenu).toBeNull();
  });

  it('the system autostart entry counts as on; turning it off writes Hidden=true for this user only, and on again removes that', async () => {
    expect((await startAtLogin())?.checked).toBe(true);
    // (Electron ticks a checkbox item itself before the click handler runs: wait for the file, not the tick.)
    await app.clickMenuItem('start-at-login');
    await eventually('the user\'s Hidden=true entry', () => existsSync(userEntry));
    expect(await readFile(userEntry, 'utf8')).toMatch(/^Hidden=true$/m);
    expect(await readFile(systemEntry, 'utf8')).not.toMatch(/Hidden/);
    expect((await startAtLogin())?.checked).toBe(false);
    await app.clickMenuItem('start-at-login');
    await eventually('the user\'s entry gone (the system one applies)', () => !existsSync(userEntry));
    await app.waitFor('the checkbox to tick', (s) => firstTray(s)?.menu?.find((i) => i.id === 'start-at-login')?.checked === true);
  });

  it('opening the app again on macOS (\'activate\': Finder, Dock) shows the window; again, it raises it', async () => {
    expect((await app.snapshot()).windows.filter((w) => w.visible)).toEqual([]);
    await app.request({ op: 'app.activate' });
    const win = await app.window();
    expect(win.focused).toBe(true);
    await app.request({ op: 'app.activate' });
    await app.waitFor('the window raised', (s) => (s.windows.find((w) => w.id === win.id)?.raised ?? 0) > win.raised);
  });

  it('a second launch brings the open window to the front again', async () => {
    const before = (await app.window()).raised;
    const second = scenario.launch();
    expect((await second.exited).code).toBe(0);
    await app.waitFor('the window raised again', (s) => (s.windows.find((w) => w.visible)?.raised ?? 0) > before);
  });
});
