// The stand-in's own settings, from its environment (ELECTRON_STANDIN_*). None of
// them is read by the app: they describe the machine the app "runs on".
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const SAFE_STORAGE_BACKENDS = ['gnome_libsecret', 'basic_text', 'basic_text_secret_service', 'unavailable', 'locked'] as const;
/**
 * What the machine offers safeStorage (see safe-storage.ts for what each means to
 * Electron 45's sync and async APIs):
 * gnome_libsecret: a working keyring (the default);
 * basic_text: a desktop Chromium does not recognise and no Secret Service;
 * basic_text_secret_service: a desktop Chromium does not recognise (the sync API's
 *   selection is basic_text) with a Secret Service that answers (the async API finds it);
 * unavailable: a keyring is selected but fails (no D-Bus session, the unlock refused);
 * locked: a keyring is selected and asks for its password: nothing answers until the
 *   person unlocks it (the test writes `<keyring dir>/.unlocked`), then it works.
 */
export type SafeStorageBackend = (typeof SAFE_STORAGE_BACKENDS)[number];

/** The file whose appearance unlocks the `locked` keyring (the person typed the password). */
export const KEYRING_UNLOCKED_FILE = '.unlocked';

export interface StandinOptions {
  /** A Playwright browser server to connect to (tests share one); otherwise Chromium is launched. */
  browserWsEndpoint: string | undefined;
  chromiumPath: string;
  safeStorageBackend: SafeStorageBackend;
  /** Where the emulated keyring keeps its secret (default ~/.local/share/electron-standin-keyring). */
  keyringDir: string;
  /** app.isPackaged (false: like `electron .` from a checkout). */
  isPackaged: boolean;
  /** The folder holding the app's package.json (app.getAppPath()). */
  appPath: string;
  /**
   * process.resourcesPath: a packaged app's resources folder (where electron-builder puts
   * app.asar and app-update.yml), by default the folder above the app path, as app.asar's
   * folder is; unpackaged, Electron's own (node_modules/electron/dist/resources).
   */
  resourcesPath: string;
}

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** The folder of the nearest package.json at or above `from`. */
export function findAppPath(from: string): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json at or above ${from}`);
    dir = up;
  }
}

export function readOptions(env: NodeJS.ProcessEnv, mainScript: string): StandinOptions {
  const backend = env.ELECTRON_STANDIN_SAFE_STORAGE ?? 'gnome_libsecret';
  if (!(SAFE_STORAGE_BACKENDS as readonly string[]).includes(backend)) {
    throw new Error(`ELECTRON_STANDIN_SAFE_STORAGE must be one of ${SAFE_STORAGE_BACKENDS.join(', ')} (got ${JSON.stringify(backend)})`);
  }
  const dataHome = env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/') ? env.XDG_DATA_HOME : join(env.HOME || homedir(), '.local', 'share');
  const isPackaged = env.ELECTRON_STANDIN_IS_PACKAGED === '1';
  const appPath = env.ELECTRON_STANDIN_APP_PATH || findAppPath(dirname(mainScript));
  return {
    browserWsEndpoint: env.ELECTRON_STANDIN_BROWSER_WS || undefined,
    chromiumPath: env.ELECTRON_STANDIN_CHROMIUM || DEFAULT_CHROMIUM,
    safeStorageBackend: backend as SafeStorageBackend,
    keyringDir: env.ELECTRON_STANDIN_KEYRING || join(dataHome, 'electron-standin-keyring'),
    isPackaged,
    appPath,
    resourcesPath: env.ELECTRON_STANDIN_RESOURCES_PATH || (isPackaged ? dirname(appPath) : electronResourcesPath()),
  };
}

/** Where `electron .` has its resources: the electron package's dist/resources (present or not). */
function electronResourcesPath(): string {
  return join(dirname(createRequire(import.meta.url).resolve('electron/package.json')), 'dist', 'resources');
}

/** name/productName/version of the app's package.json, as Electron reads them. */
export function readAppPackage(appPath: string): { name: string; version: string } {
  const pkg = JSON.parse(readFileSync(join(appPath, 'package.json'), 'utf8')) as { name?: string; productName?: string; version?: string };
  return { name: pkg.productName || pkg.name || 'Electron', version: pkg.version || '0.0.0' };
}
