// Notification, clipboard, shell, dialog and nativeTheme: recorded as data a
// test can read (nothing is shown, launched or copied outside the process).
import type {
  Clipboard as ElectronClipboard, Dialog as ElectronDialog, MessageBoxOptions, MessageBoxReturnValue, NativeTheme as ElectronNativeTheme,
  Notification as ElectronNotification, NotificationConstructorOptions, OpenExternalOptions, Shell as ElectronShell,
} from 'electron';
import { EventEmitter } from 'node:events';
import type { OnlyElectronKeys } from './exact.ts';
import { recorder } from './recorder.ts';
import { runtime } from './runtime.ts';

type NotificationMembers = 'show' | 'close' | 'title' | 'body' | 'silent' | 'subtitle';

const notifications: Notification[] = [];

export class Notification extends EventEmitter implements Pick<ElectronNotification, NotificationMembers> {
  title: string;
  body: string;
  silent: boolean;
  subtitle: string;
  readonly #index: number;

  constructor(options: NotificationConstructorOptions = {}) {
    super();
    if (!runtime.ready) throw new Error('Cannot create Notification before app is ready');
    this.title = options.title ?? '';
    this.body = options.body ?? '';
    this.silent = options.silent ?? false;
    this.subtitle = options.subtitle ?? '';
    this.#index = recorder.snapshotParts.notifications.push({ title: this.title, body: this.body, shown: false, clicked: false }) - 1;
    notifications.push(this);
  }

  static isSupported(): boolean { return true; }

  /** The person clicks the shown notification number `index` (in order of creation): Electron emits 'click'. */
  static click(index: number): void {
    const n = notifications[index];
    const record = recorder.snapshotParts.notifications[index];
    if (!n || !record) throw new Error(`no notification #${index}`);
    if (!record.shown) throw new Error(`notification #${index} was never shown`);
    record.clicked = true;
    n.emit('click', {});
  }

  show(): void {
    const n = recorder.snapshotParts.notifications[this.#index];
    if (n) Object.assign(n, { title: this.title, body: this.body, shown: true });
    recorder.emit('notification', { title: this.title, body: this.body });
    this.emit('show', {});
  }

  close(): void { this.emit('close', {}); }
}

type ClipboardMembers = 'writeText' | 'readText' | 'clear';

/** Electron 45's clipboard is asynchronous (modelled on navigator.clipboard). */
class StandinClipboard implements Pick<ElectronClipboard, ClipboardMembers> {
  async writeText(text: string): Promise<void> {
    recorder.snapshotParts.clipboard = String(text);
    recorder.emit('clipboard', recorder.snapshotParts.clipboard);
  }
  async readText(): Promise<string> { return recorder.snapshotParts.clipboard; }
  clear(): void { recorder.snapshotParts.clipboard = ''; }
}

type ShellMembers = 'openExternal' | 'openPath' | 'showItemInFolder' | 'beep' | 'trashItem';

class StandinShell implements Pick<ElectronShell, ShellMembers> {
  #record(op: string, arg: string): void {
    recorder.snapshotParts.shell.push({ op, arg });
    recorder.emit('shell', { op, arg });
  }
  async openExternal(url: string, _options?: OpenExternalOptions): Promise<void> { this.#record('openExternal', url); }
  async openPath(path: string): Promise<string> { this.#record('openPath', path); return ''; }
  showItemInFolder(fullPath: string): void { this.#record('showItemInFolder', fullPath); }
  beep(): void { this.#record('beep', ''); }
  async trashItem(path: string): Promise<void> { this.#record('trashItem', path); }
}

type DialogMembers = 'showErrorBox' | 'showMessageBox';

class StandinDialog implements Pick<ElectronDialog, DialogMembers> {
  showErrorBox(title: string, content: string): void {
    recorder.snapshotParts.dialogs.push({ op: 'showErrorBox', title, content });
    recorder.emit('dialog', { title, content });
    process.stderr.write(`[electron-standin] error box: ${title}: ${content}\n`);
  }
  showMessageBox(...args: unknown[]): Promise<MessageBoxReturnValue> {
    const options = (args.length > 1 ? args[1] : args[0]) as MessageBoxOptions;
    recorder.snapshotParts.dialogs.push({ op: 'showMessageBox', title: options.title ?? '', content: options.message });
    return Promise.resolve({ response: options.defaultId ?? 0, checkboxChecked: false });
  }
}

type NativeThemeMembers = 'shouldUseDarkColors' | 'themeSource' | 'shouldUseHighContrastColors' | 'shouldUseInvertedColorScheme' | 'inForcedColorsMode' | 'prefersReducedTransparency';

/** The OS's light/dark setting; the control channel flips `systemDark`, themeSource overrides it. */
class StandinNativeTheme extends EventEmitter implements Pick<ElectronNativeTheme, NativeThemeMembers> {
  #source: 'system' | 'light' | 'dark' = 'system';
  #systemDark = false;
  readonly shouldUseHighContrastColors = false;
  readonly shouldUseInvertedColorScheme = false;
  readonly inForcedColorsMode = false;
  readonly prefersReducedTransparency = false;

  get shouldUseDarkColors(): boolean { return this.#source === 'dark' || (this.#source === 'system' && this.#systemDark); }
  get themeSource(): 'system' | 'light' | 'dark' { return this.#source; }
  set themeSource(value: 'system' | 'light' | 'dark') {
    this.#source = value;
    this.emit('updated');
  }
  static setSystemDark(t: StandinNativeTheme, dark: boolean): void {
    t.#systemDark = dark;
    t.emit('updated');
  }
}

const exactNotification: OnlyElectronKeys<Notification, ElectronNotification> = true;
const exactClipboard: OnlyElectronKeys<StandinClipboard, ElectronClipboard> = true;
const exactShell: OnlyElectronKeys<StandinShell, ElectronShell> = true;
const exactDialog: OnlyElectronKeys<StandinDialog, ElectronDialog> = true;
const exactTheme: OnlyElectronKeys<StandinNativeTheme, ElectronNativeTheme> = true;
void exactNotification; void exactClipboard; void exactShell; void exactDialog; void exactTheme;

export const clipboard = new StandinClipboard();
export const shell = new StandinShell();
export const dialog = new StandinDialog();
export const nativeTheme = new StandinNativeTheme();
export const setSystemDark = (dark: boolean) => StandinNativeTheme.setSystemDark(nativeTheme, dark);
