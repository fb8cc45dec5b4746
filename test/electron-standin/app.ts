// `app`: lifecycle (ready, the quit sequence), paths, name and version from the
// app's package.json, the single-instance lock across processes, login items.
// Linux behaviour of Electron 45 (shell/browser/browser.cc, browser_linux.cc,
// api/electron_api_app.cc); messages copied from there.
import { standinLocale } from './locale.ts';
import type { App, LoginItemSettings, LoginItemSettingsOptions, Settings } from 'electron';
import { EventEmitter } from 'node:events';
import { homedir, tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { createEvent } from './event.ts';
import { setDefaultApplicationMenu } from './menu.ts';
import type { OnlyElectronKeys } from './exact.ts';
import { readAppPackage } from './options.ts';
import { recorder } from './recorder.ts';
import { runtime } from './runtime.ts';
import { SingleInstanceLock } from './single-instance.ts';
import { windowRegistry } from './window-registry.ts';

type PathName = Parameters<App['getPath']>[0];
const PATH_NAMES: readonly PathName[] = ['home', 'appData', 'assets', 'userData', 'sessionData', 'temp', 'exe', 'module', 'desktop', 'documents', 'downloads', 'music', 'pictures', 'videos', 'logs', 'crashDumps'];

type AppMembers =
  | 'whenReady' | 'isReady' | 'quit' | 'exit' | 'relaunch' | 'focus'
  | 'getPath' | 'setPath' | 'getName' | 'setName' | 'getVersion' | 'getAppPath' | 'getLocale' | 'getSystemLocale'
  | 'requestSingleInstanceLock' | 'hasSingleInstanceLock' | 'releaseSingleInstanceLock'
  | 'setLoginItemSettings' | 'getLoginItemSettings' | 'setAppUserModelId' | 'disableHardwareAcceleration'
  | 'isPackaged' | 'name' | 'commandLine';

class StandinApp extends EventEmitter implements Pick<App, AppMembers> {
  #name: string | undefined;
  #version: string | undefined;
  readonly #paths = new Map<string, string>();
  #quitting = false;
  #lock: SingleInstanceLock | undefined;
  #resolveReady!: () => void;
  readonly #ready = new Promise<void>((resolve) => { this.#resolveReady = resolve; });
  readonly #switches = new Map<string, string>();

  readonly commandLine: App['commandLine'] = {
    appendSwitch: (name: string, value?: string) => { this.#switches.set(name, value ?? ''); },
    appendArgument: () => undefined,
    hasSwitch: (name: string) => this.#switches.has(name),
    getSwitchValue: (name: string) => this.#switches.get(name) ?? '',
    removeSwitch: (name: string) => { this.#switches.delete(name); },
  };

  get isPackaged(): boolean { return runtime.options.isPackaged; }

  get name(): string { return this.getName(); }
  set name(value: string) { this.setName(value); }

  getName(): string {
    this.#name ??= readAppPackage(runtime.options.appPath).name;
    return this.#name;
  }
  setName(name: string): void { this.#name = name; }
  getVersion(): string {
    this.#version ??= readAppPackage(runtime.options.appPath).version;
    return this.#version;
  }
  getAppPath(): string { return runtime.options.appPath; }
  getLocale(): string { return standinLocale(); }
  getSystemLocale(): string {
    if (!runtime.ready) throw new Error('app.getSystemLocale() can only be called after app is ready');
    return 'en-US';
  }

  getPath(name: PathName): string {
    const set = this.#paths.get(name);
    if (set) return set;
    const home = homedir();
    const configHome = process.env.XDG_CONFIG_HOME && isAbsolute(process.env.XDG_CONFIG_HOME) ? process.env.XDG_CONFIG_HOME : join(home, '.config');
    switch (name) {
      case 'home': return home;
      case 'appData': return configHome;
      case 'userData': return join(this.getPath('appData'), this.getName());
      case 'sessionData': return this.getPath('userData');
      case 'temp': return tmpdir();
      case 'exe': case 'module': return process.execPath;
      case 'assets': return runtime.options.appPath;
      case 'desktop': return join(home, 'Desktop');
      case 'documents': return join(home, 'Documents');
      case 'downloads': return join(home, 'Downloads');
      case 'music': return join(home, 'Music');
      case 'pictures': return join(home, 'Pictures');
      case 'videos': return join(home, 'Videos');
      case 'logs': return join(this.getPath('userData'), 'logs');
      case 'crashDumps': return join(this.getPath('userData'), 'Crashpad');
      default: throw new Error(`Failed to get '${String(name)}' path`);
    }
  }

  setPath(name: PathName, path: string): void {
    if (!isAbsolute(path)) throw new Error('Path must be absolute');
    if (!PATH_NAMES.includes(name)) throw new Error('Failed to set path');
    this.#paths.set(name, path);
  }

  isReady(): boolean { return runtime.ready; }
  whenReady(): Promise<void> { return this.#ready; }

  // Internals for the rest of the stand-in are static, so that the instance shows
  // Electron's members only (OnlyElectronKeys below).

  /** Called by the boot once Chromium runs: will-finish-launching, ready, and the single-instance messages. */
  static becomeReady(a: StandinApp): void {
    runtime.markReady();
    a.#lock?.startWatching((m) => a.#secondInstance(m.argv, m.workingDirectory, m.additionalData));
    a.emit('will-finish-launching');
    setDefaultApplicationMenu(); // lib/browser/init.ts: app.once('will-finish-launching', setDefaultApplicationMenu)
    a.emit('ready', createEvent(), {});
    a.#resolveReady();
    recorder.emit('ready', {});
  }

  static isQuitting(a: StandinApp): boolean { return a.#quitting; }

  /** BrowserWindow calls this when its last window has gone (not while quitting). */
  static allWindowsClosed(a: StandinApp): void {
    if (a.#quitting) return;
    if (a.listenerCount('window-all-closed') > 0) a.emit('window-all-closed');
    else a.quit();
  }

  #secondInstance(argv: string[], workingDirectory: string, additionalData: unknown): void {
    recorder.snapshotParts.secondInstances.push({ argv, workingDirectory });
    recorder.emit('second-instance', { argv, workingDirectory });
    this.emit('second-instance', createEvent(), argv, workingDirectory, additionalData);
  }

  quit(): void {
    if (this.#quitting) return; // Browser::Quit: is_quitting_
    const before = createEvent();
    this.emit('before-quit', before);
    if (before.defaultPrevented) return;
    this.#quitting = true;
    recorder.emit('quitting', {});
    setImmediate(() => {
      for (const w of [...windowRegistry.all]) {
        if (!w.requestClose()) {
          this.#quitting = false; // a window refused to close: quitting is cancelled
          return;
        }
      }
      this.#notifyAndShutdown();
    });
  }

  #notifyAndShutdown(): void {
    const willQuit = createEvent();
    this.emit('will-quit', willQuit);
    if (willQuit.defaultPrevented) {
      this.#quitting = false;
      return;
    }
    this.emit('quit', createEvent(), 0);
    void runtime.exit(0);
  }

  exit(exitCode = 0): void {
    this.#quitting = true;
    for (const w of [...windowRegistry.all]) w.destroy();
    void runtime.exit(exitCode);
  }

  relaunch(options?: Parameters<App['relaunch']>[0]): void {
    recorder.snapshotParts.shell.push({ op: 'relaunch', arg: JSON.stringify(options ?? {}) });
  }

  focus(): void { /* no windowing system to raise */ }

  setAppUserModelId(): void { /* Windows only */ }

  disableHardwareAcceleration(): void {
    if (runtime.ready) throw new Error('app.disableHardwareAcceleration() can only be called before app is ready');
  }

  requestSingleInstanceLock(additionalData?: Record<string, unknown>): boolean {
    if (this.#lock) return true;
    const lock = SingleInstanceLock.acquire(this.getPath('userData'), { argv: process.argv, workingDirectory: process.cwd(), additionalData: additionalData ?? null });
    if (!lock) return false;
    this.#lock = lock;
    runtime.onExit(() => lock.release());
    if (runtime.ready) lock.startWatching((m) => this.#secondInstance(m.argv, m.workingDirectory, m.additionalData));
    return true;
  }

  hasSingleInstanceLock(): boolean { return this.#lock !== undefined; }

  releaseSingleInstanceLock(): void {
    this.#lock?.release();
    this.#lock = undefined;
  }

  /** On Linux Electron ignores this (browser_linux.cc); the calls are recorded for tests. */
  setLoginItemSettings(settings: Settings): void {
    recorder.snapshotParts.loginItemSettings.push(structuredClone(settings));
    recorder.emit('login-item-settings', settings);
  }

  /** On Linux Electron returns the defaults. */
  getLoginItemSettings(_options?: LoginItemSettingsOptions): LoginItemSettings {
    return { openAtLogin: false, openAsHidden: false, wasOpenedAtLogin: false, wasOpenedAsHidden: false, restoreState: false, status: 'not-registered', executableWillLaunchAtLogin: false, launchItems: [] } as LoginItemSettings;
  }
}

const exact: OnlyElectronKeys<StandinApp, App> = true;
void exact;

export const app = new StandinApp();
export const appInternals = {
  becomeReady: () => StandinApp.becomeReady(app),
  isQuitting: () => StandinApp.isQuitting(app),
  allWindowsClosed: () => StandinApp.allWindowsClosed(app),
};
recorder.sources.ready = () => runtime.ready;
recorder.sources.quitting = () => StandinApp.isQuitting(app);
