// Where IT puts the machine-wide ("managed") configuration file, per OS. The folder
// holding it also holds the per-machine `variables.d/` drop-in folder (issue 15).
import { dirname, join } from 'node:path';
import { BRANDING, brandingPlatform } from '../branding/index.ts';

export function managedConfigPath(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  const folder = BRANDING.folders.managed[brandingPlatform(platform)];
  if (platform === 'win32') return join(env.ProgramData || env.PROGRAMDATA || 'C:\\ProgramData', folder, 'config.json');
  if (platform === 'darwin') return `/Library/Application Support/${folder}/config.json`;
  return `/etc/${folder}/config.json`;
}

/** The per-machine drop-in folder beside a managed file (app/collect/drop-in.ts). */
export function machineVariablesDir(managedPath: string): string {
  return join(dirname(managedPath), 'variables.d');
}
