// Where the desktop app keeps its own files, from the branding's folder names:
// the settings (Electron's userData) and its log. The default branding's names are
// what Electron and electron-log chose before branding existed (the package name,
// "device-agent"), so an existing install finds its settings, secrets and log.
import { join } from 'node:path';
import { BRANDING, brandingPlatform, type Branding } from '../app/branding/index.ts';

export interface AppFoldersInput {
  platform: NodeJS.Platform;
  /** Electron's appData: $XDG_CONFIG_HOME or ~/.config, ~/Library/Application Support, %APPDATA%. */
  appData: string;
  home: string;
  /** DEVICE_AGENT_USER_DATA (tests, `npm run desktop:headless`): settings and log live there. */
  userDataOverride?: string | undefined;
}

export interface AppFolders {
  userData: string;
  /** The folder electron-log writes main.log into. */
  logs: string;
}

export function appFolders(input: AppFoldersInput, branding: Branding = BRANDING): AppFolders {
  const os = brandingPlatform(input.platform);
  if (input.userDataOverride) return { userData: input.userDataOverride, logs: join(input.userDataOverride, 'logs') };
  const userData = join(input.appData, branding.folders.userData[os]);
  const logs = os === 'darwin' ? join(input.home, 'Library', 'Logs', branding.folders.logs.darwin) : join(input.appData, branding.folders.logs[os], 'logs');
  return { userData, logs };
}
