// Start at login: the OS login items on Windows and macOS (started hidden),
// an XDG autostart entry on Linux.
import type { AppSeam } from './electron-seam.ts';
import { HIDDEN_ARG, type DesktopEntryFile } from './linux-desktop-entry.ts';

export interface Autostart {
  isEnabled(): Promise<boolean>;
  setEnabled(enabled: boolean): Promise<void>;
}

export interface AutostartDeps {
  platform: NodeJS.Platform;
  app: Pick<AppSeam, 'setLoginItemSettings' | 'getLoginItemSettings'>;
  /** Linux only: the autostart entry and the command it runs. */
  desktopEntry?: DesktopEntryFile;
  launchArgv?: readonly string[];
}

export function createAutostart({ platform, app, desktopEntry, launchArgv }: AutostartDeps): Autostart {
  if (platform === 'linux') {
    if (!desktopEntry || !launchArgv) throw new Error('Linux autostart needs the desktop entry file and the launch command');
    return {
      isEnabled: () => desktopEntry.isEnabled(),
      setEnabled: (enabled) => (enabled ? desktopEntry.enable(launchArgv) : desktopEntry.disable()),
    };
  }
  return {
    async isEnabled() {
      return app.getLoginItemSettings({ args: [HIDDEN_ARG] }).openAtLogin;
    },
    async setEnabled(enabled) {
      // Windows: the --hidden argument; macOS: the app has no window at start anyway
      // and startedHidden() also reads wasOpenedAtLogin.
      app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_ARG] });
    },
  };
}

/** True when this launch came from the login item (start without a window). */
export function startedHidden(argv: readonly string[], app: Pick<AppSeam, 'getLoginItemSettings'>, platform: NodeJS.Platform): boolean {
  if (argv.includes(HIDDEN_ARG)) return true;
  if (platform === 'darwin') {
    const s = app.getLoginItemSettings();
    return Boolean(s.wasOpenedAtLogin);
  }
  return false;
}
