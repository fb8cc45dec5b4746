// Finds a runnable Electron binary WITHOUT importing 'electron' (whose index
// downloads the binary on first use): $ELECTRON_OVERRIDE_DIST_PATH, else the
// binary a previous download left in node_modules/electron/dist.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function exeName(platform: NodeJS.Platform): string {
  if (platform === 'win32') return 'electron.exe';
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  return 'electron';
}

export type ElectronLookup = { found: true; path: string } | { found: false; why: string };

export function findElectronBinary(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, moduleDir = join(root, 'node_modules', 'electron')): ElectronLookup {
  const pathFile = join(moduleDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : exeName(platform);
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(env.ELECTRON_OVERRIDE_DIST_PATH, relative);
    return existsSync(p) ? { found: true, path: p } : { found: false, why: `ELECTRON_OVERRIDE_DIST_PATH is set but ${p} does not exist` };
  }
  const downloaded = join(moduleDir, 'dist', relative);
  if (existsSync(downloaded)) return { found: true, path: downloaded };
  return { found: false, why: "Electron's binary is not downloaded (node_modules/electron/dist is missing) and ELECTRON_OVERRIDE_DIST_PATH is not set" };
}
