// What the app did to the desktop, as data a test can read: tray icons and
// their menus, windows, login items, notifications, the clipboard, shell calls,
// plus what went wrong in the main process or a preload. Every change is also
// an event on `recorder.events`, which the control channel (control.ts) and
// `npm run desktop:headless` forward.
import { EventEmitter } from 'node:events';

export interface MenuItemSnapshot {
  id?: string;
  label: string;
  type: string;
  role?: string;
  enabled: boolean;
  visible: boolean;
  checked: boolean;
  submenu?: MenuItemSnapshot[];
}

export interface TraySnapshot {
  index: number;
  image: string;
  tooltip: string;
  title: string;
  destroyed: boolean;
  menu: MenuItemSnapshot[] | null;
}

export interface WindowSnapshot {
  id: number;
  title: string;
  /** The page's URL as the app sees it (app://… for a mapped custom scheme). */
  url: string;
  visible: boolean;
  focused: boolean;
  minimized: boolean;
  destroyed: boolean;
  bounds: { x: number; y: number; width: number; height: number };
  /** How often moveTop() raised it. */
  raised: number;
}

export interface ConsoleEntry { windowId: number; level: string; text: string }

export interface StandinSnapshot {
  ready: boolean;
  quitting: boolean;
  trays: TraySnapshot[];
  windows: WindowSnapshot[];
  /** The application menu: Electron's default until the app sets one (or null). */
  applicationMenu: MenuItemSnapshot[] | null;
  loginItemSettings: unknown[];
  notifications: { title: string; body: string; shown: boolean; clicked: boolean }[];
  clipboard: string;
  shell: { op: string; arg: string }[];
  dialogs: { op: string; title: string; content: string }[];
  console: ConsoleEntry[];
  preloadErrors: { windowId: number; message: string }[];
  mainErrors: string[];
  secondInstances: { argv: string[]; workingDirectory: string }[];
  /** Every event emitted on Electron's autoUpdater (electron-updater emits 'before-quit-for-update' before quitting to install). */
  autoUpdaterEvents: string[];
}

class Recorder {
  readonly events = new EventEmitter();
  readonly snapshotParts: Omit<StandinSnapshot, 'ready' | 'quitting' | 'trays' | 'windows'> = {
    applicationMenu: null,
    loginItemSettings: [],
    notifications: [],
    clipboard: '',
    shell: [],
    dialogs: [],
    console: [],
    preloadErrors: [],
    mainErrors: [],
    secondInstances: [],
    autoUpdaterEvents: [],
  };
  /** Filled in by the modules that own the data (tray.ts, browser-window.ts, app.ts). */
  sources: { ready(): boolean; quitting(): boolean; trays(): TraySnapshot[]; windows(): WindowSnapshot[] } = {
    ready: () => false, quitting: () => false, trays: () => [], windows: () => [],
  };

  snapshot(): StandinSnapshot {
    return { ready: this.sources.ready(), quitting: this.sources.quitting(), trays: this.sources.trays(), windows: this.sources.windows(), ...structuredClone(this.snapshotParts) };
  }

  emit(kind: string, data: unknown): void {
    this.events.emit('event', kind, data);
  }
}

export const recorder = new Recorder();
