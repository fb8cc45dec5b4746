// Shared set-up for the desktop end-to-end tests: one build of the app for the
// whole run (content-addressed under .cache/, so parallel test files and later
// runs share it), one Chromium per test file, and a throw-away home per
// scenario. The app is the built dist (main + preload + renderer) on the
// Electron stand-in, talking to a real sandbox over loopback.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserServer } from 'playwright-core';
import { appBuildStaleness, buildApp } from '../../tools/build.ts';
import { trayStateOf } from '../../tools/tray-state-word.ts';
import { launchStandin, startBrowserServer, type StandinApp } from '../electron-standin/driver.ts';
import { DEFAULT_CHROMIUM } from '../electron-standin/options.ts';
import type { StandinSnapshot, TraySnapshot } from '../electron-standin/recorder.ts';

export const root = join(import.meta.dirname, '..', '..');
export const haveChromium = existsSync(DEFAULT_CHROMIUM);
export const RESULTS = join(root, 'test-results');

const SOURCE_DIRS = ['main', 'preload', 'renderer', 'app', 'locales', 'sandbox', join('build', 'icons', 'tray')];

/** A fingerprint of everything the app bundles are built from (paths, sizes, times). */
function sourceFingerprint(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else {
        const st = statSync(join(root, rel));
        hash.update(`${rel}\0${st.size}\0${st.mtimeMs}\n`);
      }
    }
  };
  for (const dir of SOURCE_DIRS) walk(dir);
  for (const file of ['package.json', 'branding.json']) {
    const st = statSync(join(root, file));
    hash.update(`${file}\0${st.size}\0${st.mtimeMs}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

/** The app built once for these sources: <build>/main/index.js, preload/, renderer/, dev/. */
export async function sharedAppBuild(): Promise<string> {
  const cache = join(root, '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = join(cache, `standin-app-${sourceFingerprint()}`);
  if (!appBuildStaleness(dir)) return dir;
  const temp = `${dir}.tmp-${process.pid}-${randomBytes(3).toString('hex')}`;
  await buildApp(temp, { cli: false });
  try {
    renameSync(temp, dir);
  } catch {
    rmSync(temp, { recursive: true, force: true }); // another test file built it first
  }
  // Builds of older sources, no longer in use by a run of the last hour.
  for (const name of readdirSync(cache)) {
    const old = join(cache, name);
    if (name.startsWith('standin-app-') && old !== dir && Date.now() - statSync(old).mtimeMs > 3_600_000) rmSync(old, { recursive: true, force: true });
  }
  return dir;
}

export interface Scenario {
  dir: string;
  home: string;
  userData: string;
  stateDir: string;
  adminToken: string;
  env: NodeJS.ProcessEnv;
  launch(options?: { args?: string[]; env?: NodeJS.ProcessEnv }): StandinApp;
  writeManaged(config: Record<string, unknown> | string): Promise<string>;
  close(): Promise<void>;
}

/** A fresh machine for one scenario: its own home, user data and state folders. */
export async function createScenario(build: string, browser: BrowserServer, extraEnv: NodeJS.ProcessEnv = {}): Promise<Scenario> {
  const dir = await mkdtemp(join(tmpdir(), 'da-desktop-'));
  const home = join(dir, 'home');
  const userData = join(dir, 'user-data');
  const stateDir = join(home, '.local', 'state', 'device-agent');
  const adminToken = randomBytes(12).toString('hex');
  const apps: StandinApp[] = [];
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    LANG: 'C.UTF-8',
    TZ: 'UTC',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    DEVICE_AGENT_USER_DATA: userData,
    DEVICE_AGENT_SANDBOX_ADMIN_TOKEN: adminToken,
    ELECTRON_STANDIN_BROWSER_WS: browser.wsEndpoint(),
    ...extraEnv,
  };
  const scenario: Scenario = {
    dir, home, userData, stateDir, adminToken, env,
    launch(options = {}) {
      const app = launchStandin({ main: join(build, 'main', 'index.js'), env: { ...env, ...options.env }, ...(options.args ? { args: options.args } : {}), cwd: dir });
      apps.push(app);
      return app;
    },
    async writeManaged(config) {
      const path = join(dir, 'managed', 'config.json');
      mkdirSync(join(dir, 'managed'), { recursive: true });
      await writeFile(path, typeof config === 'string' ? config : JSON.stringify(config, null, 2));
      env.DEVICE_AGENT_MANAGED_CONFIG = path;
      return path;
    },
    async close() {
      await Promise.all(apps.map((a) => a.stop()));
      await rm(dir, { recursive: true, force: true });
    },
  };
  return scenario;
}

export async function browserServer(): Promise<BrowserServer> {
  return startBrowserServer();
}

/** The tray's state word, as `npm run desktop:headless` prints it, from its tooltip ("Device Agent — Synced: …"). */
export function trayState(tray: TraySnapshot | undefined, productName = 'Device Agent'): string | undefined {
  return tray?.tooltip ? trayStateOf(tray.tooltip, productName) : undefined;
}

/** Opens one of the status window's three views by its tab, as a person would (only the shown view can be clicked). */
export async function openView(app: StandinApp, windowId: number, view: 'status' | 'sent' | 'settings'): Promise<void> {
  await app.page(windowId, { action: 'click', selector: `#tab-${view}` });
  await app.page(windowId, { action: 'waitForSelector', selector: `#view-${view}`, state: 'visible' });
}

export function firstTray(s: StandinSnapshot): TraySnapshot | undefined {
  return s.trays.find((t) => !t.destroyed);
}

/** Reads a sandbox's admin route (loopback only, bearer token). */
export async function sandboxAdmin<T>(apiUrl: string, token: string, path: string): Promise<T> {
  const origin = new URL(apiUrl).origin;
  const response = await fetch(`${origin}/__admin/${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`sandbox admin ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Polls `check` until it returns something other than undefined/false. */
export async function eventually<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result !== undefined && result !== false) return result;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
