// The XDG autostart entry (~/.config/autostart/device-agent.desktop) that
// starts the agent at login on Linux desktops.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export const DESKTOP_FILE_NAME = 'device-agent.desktop';
export const HIDDEN_ARG = '--hidden';

/** `$XDG_CONFIG_HOME/autostart/device-agent.desktop` (default `~/.config`). */
export function autostartEntryPath(env: NodeJS.ProcessEnv, home: string): string {
  const configHome = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(configHome, 'autostart', DESKTOP_FILE_NAME);
}

export interface LaunchCommandInput {
  execPath: string;
  isPackaged: boolean;
  /** The app directory, passed to a development Electron binary. */
  appPath: string;
  /** `process.env.APPIMAGE`: the AppImage file, when running from one. */
  appImage?: string | undefined;
}

/** The argv that starts this app hidden at login. */
export function launchCommand({ execPath, isPackaged, appPath, appImage }: LaunchCommandInput): string[] {
  if (appImage) return [appImage, HIDDEN_ARG];
  if (isPackaged) return [execPath, HIDDEN_ARG];
  return [execPath, appPath, HIDDEN_ARG];
}

const RESERVED = /[\s"'\\><~|&;$*?#()`]/;

/**
 * One Exec argument per the Desktop Entry spec: arguments with reserved
 * characters are double-quoted with `"`, `` ` ``, `$` and `\` backslash-escaped;
 * `%` is doubled (field codes). The whole value is then escaped as a desktop
 * entry string, where a backslash is written `\\`.
 */
export function quoteExecArg(arg: string): string {
  if (/[\n\r\t\0]/.test(arg)) throw new Error('Exec arguments may not contain control characters');
  const percent = arg.replace(/%/g, '%%');
  const quoted = arg === '' || RESERVED.test(percent) ? `"${percent.replace(/["`$\\]/g, (c) => `\\${c}`)}"` : percent;
  return quoted.replace(/\\/g, '\\\\');
}

export function desktopEntryContents(argv: readonly string[], appName = 'Device Agent'): string {
  if (argv.length === 0) throw new Error('launch command is empty');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    `Name=${appName}`,
    'Comment=Keeps this computer\'s facts up to date with its license server',
    `Exec=${argv.map(quoteExecArg).join(' ')}`,
    'Icon=device-agent',
    'Terminal=false',
    'NoDisplay=true',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export interface DesktopEntryFile {
  isEnabled(): Promise<boolean>;
  enable(argv: readonly string[]): Promise<void>;
  disable(): Promise<void>;
}

export function desktopEntryFile(path: string): DesktopEntryFile {
  return {
    async isEnabled() {
      try {
        const text = await readFile(path, 'utf8');
        return !/^Hidden=true$/m.test(text) && !/^X-GNOME-Autostart-enabled=false$/m.test(text);
      } catch {
        return false;
      }
    },
    async enable(argv) {
      await mkdir(dirname(path), { recursive: true });
      const temp = `${path}.${process.pid}.tmp`;
      await writeFile(temp, desktopEntryContents(argv), { mode: 0o644 });
      await rename(temp, path);
    },
    async disable() {
      await rm(path, { force: true });
    },
  };
}
