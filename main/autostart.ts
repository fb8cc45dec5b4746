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
      // Windows: the --hidden argument; macOS ignores arguments (see openWindowAtStart).
      app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_ARG] });
    },
  };
}

export interface WindowAtStartInput {
  /** No start before this one (the persisted first-run flag). */
  firstRun: boolean;
  /** The tray says attention: a person must act. */
  attention: boolean;
  argv: readonly string[];
  platform: NodeJS.Platform;
}

/**
 * Whether the status window opens at start. Always on the first run and when a
 * person must act. Otherwise it is a tray app: a start at login opens none. On
 * Windows and Linux a login start is known by --hidden (the login item and the
 * autostart entries pass it), so a start by hand shows the window. On macOS 13+
 * a login start cannot be told from one by hand (the login item takes no
 * arguments and wasOpenedAtLogin is not reported for it): later starts are
 * tray-only there, and opening the app again (Finder, Dock: 'activate') shows it.
 */
export function openWindowAtStart({ firstRun, attention, argv, platform }: WindowAtStartInput): boolean {
  if (firstRun || attention) return true;
  if (platform === 'darwin') return false;
  return !argv.includes(HIDDEN_ARG);
}
