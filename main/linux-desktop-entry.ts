// The XDG autostart entry that starts the agent at login on Linux desktops.
// Per the XDG Autostart spec, the user's own entry ($XDG_CONFIG_HOME/autostart)
// overrides one of the same name in a system folder ($XDG_CONFIG_DIRS/autostart,
// /etc/xdg/autostart where the .deb installs one for every user): the system entry
// counts as "on" unless the user's says Hidden=true, and turning it off writes
// exactly that.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AUTOSTART_MARKER_KEY, BRANDING, DESKTOP_FILE_NAME } from '../app/branding/index.ts';

export { DESKTOP_FILE_NAME };
export const HIDDEN_ARG = '--hidden';

/** `$XDG_CONFIG_HOME/autostart/<executableName>.desktop` (default `~/.config`). */
export function autostartEntryPath(env: NodeJS.ProcessEnv, home: string): string {
  const configHome = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(configHome, 'autostart', DESKTOP_FILE_NAME);
}

/** The same entry in each system autostart folder ($XDG_CONFIG_DIRS, default /etc/xdg), most important first. */
export function systemAutostartEntryPaths(env: NodeJS.ProcessEnv): string[] {
  const dirs = (env.XDG_CONFIG_DIRS ?? '').split(':').filter((d) => d.startsWith('/'));
  return (dirs.length ? dirs : ['/etc/xdg']).map((d) => join(d, 'autostart', DESKTOP_FILE_NAME));
}

/** The key our entries carry, so that the package's uninstall can tell them from a user's own (X-<shortName>-Autostart). */
export const OWN_ENTRY_KEY = AUTOSTART_MARKER_KEY;

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

/** A desktop entry string value: backslash and control characters escaped (spec: "Possible value types"). */
function entryString(value: string): string {
  if (/[\n\r\t\0]/.test(value)) throw new Error('desktop entry values may not contain control characters');
  return value.replace(/\\/g, '\\\\');
}

export function desktopEntryContents(argv: readonly string[], appName = BRANDING.productName): string {
  if (argv.length === 0) throw new Error('launch command is empty');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    `Name=${appName}`,
    `Comment=${entryString(BRANDING.description)}`,
    `Exec=${argv.map(quoteExecArg).join(' ')}`,
    // Once the program is gone (uninstalled, an AppImage deleted), the entry is ignored.
    `TryExec=${entryString(argv[0] as string)}`,
    `Icon=${BRANDING.executableName}`,
    'Terminal=false',
    'NoDisplay=true',
    'X-GNOME-Autostart-enabled=true',
    `${OWN_ENTRY_KEY}=true`,
    '',
  ].join('\n');
}

/** The entry that turns a system autostart entry off for this user (XDG Autostart spec). */
export function hiddenEntryContents(appName = BRANDING.productName): string {
  return ['[Desktop Entry]', 'Type=Application', `Name=${appName}`, 'Hidden=true', `${OWN_ENTRY_KEY}=true`, ''].join('\n');
}

/** Whether an entry's text starts the program: not Hidden, not disabled for GNOME. */
function entryStarts(text: string): boolean {
  return !/^Hidden\s*=\s*true\s*$/m.test(text) && !/^X-GNOME-Autostart-enabled\s*=\s*false\s*$/m.test(text);
}

export interface DesktopEntryFile {
  isEnabled(): Promise<boolean>;
  enable(argv: readonly string[]): Promise<void>;
  disable(): Promise<void>;
}

async function readEntry(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

async function writeEntry(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text, { mode: 0o644 });
  await rename(temp, path);
}

/**
 * The user's autostart entry at `path`, over the system entries at `systemPaths`
 * (the first that exists applies): the user's entry, if there is one, decides;
 * else a system entry does.
 */
export function desktopEntryFile(path: string, systemPaths: readonly string[] = []): DesktopEntryFile {
  const systemEntry = async (): Promise<string | undefined> => {
    for (const p of systemPaths) {
      const text = await readEntry(p);
      if (text !== undefined) return text;
    }
    return undefined;
  };
  return {
    async isEnabled() {
      const own = await readEntry(path);
      if (own !== undefined) return entryStarts(own);
      const system = await systemEntry();
      return system !== undefined && entryStarts(system);
    },
    async enable(argv) {
      const system = await systemEntry();
      // The system entry (kept up to date by the package) applies once the user's override is gone.
      if (system !== undefined && entryStarts(system)) await rm(path, { force: true });
      else await writeEntry(path, desktopEntryContents(argv));
    },
    async disable() {
      // A system entry is turned off for this user by an entry of the same name with Hidden=true.
      if ((await systemEntry()) !== undefined) await writeEntry(path, hiddenEntryContents());
      else await rm(path, { force: true });
    },
  };
}

/**
 * Points the user's own autostart entry at another command, at once (synchronously: it runs
 * while the app quits, when electron-updater has just installed the AppImage under a new
 * name — the old file is gone, and an entry naming it would start nothing at the next login).
 * Only an entry of ours that starts the app is rewritten; true when one was.
 */
export function repointOwnEntrySync(path: string, argv: readonly string[]): boolean {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return false;
  }
  if (!text.includes(`${OWN_ENTRY_KEY}=true`) || !entryStarts(text)) return false;
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, desktopEntryContents(argv), { mode: 0o644 });
  renameSync(temp, path);
  return true;
}
