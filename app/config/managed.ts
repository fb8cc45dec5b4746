// Machine-wide ("managed") configuration that IT deploys. It overrides what a
// user sets; the fields it sets are shown as locked in the status window.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { layerFromFile } from './load.ts';

export function managedConfigPath(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (platform === 'win32') return join(env.ProgramData || env.PROGRAMDATA || 'C:\\ProgramData', 'DeviceAgent', 'config.json');
  if (platform === 'darwin') return '/Library/Application Support/DeviceAgent/config.json';
  return '/etc/device-agent/config.json';
}

export interface ManagedConfig {
  path: string;
  layer: ReturnType<typeof layerFromFile>;
  /** Setting keys the managed file fixes (the user cannot change them). */
  locked: string[];
}

/** Reads the managed file if there is one. Throws ConfigError if it exists but is invalid. */
export function loadManagedConfig(path: string = managedConfigPath()): ManagedConfig | undefined {
  if (!existsSync(path)) return undefined;
  const layer = layerFromFile(path, `managed config ${path}`);
  return { path, layer, locked: Object.keys(layer.values) };
}
