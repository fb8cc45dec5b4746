// The pieces of Electron the shell uses, as plain types. Every main/ module
// takes these as parameters, so unit tests hand in small fakes; only index.ts
// imports `electron` itself (type imports here are erased at run time).
import type {
  App, BrowserWindow, BrowserWindowConstructorOptions, IpcMain, IpcMainInvokeEvent, Menu,
  MenuItemConstructorOptions, Net, PowerMonitor, SafeStorage, Session, Tray, WebContents,
} from 'electron';

export type { BrowserWindowConstructorOptions, MenuItemConstructorOptions };

export interface Logger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

export type AppSeam = Pick<App,
  'requestSingleInstanceLock' | 'on' | 'quit' | 'setLoginItemSettings' | 'getLoginItemSettings' | 'isPackaged' | 'getPath' | 'getAppPath' | 'getVersion'
> & { dock?: { hide(): void } | undefined };

export type IpcMainSeam = Pick<IpcMain, 'handle' | 'removeHandler'>;
export type IpcEventSeam = { senderFrame: { url: string } | null } & Partial<Pick<IpcMainInvokeEvent, 'sender'>>;
export type SafeStorageSeam = Pick<SafeStorage, 'encryptStringAsync' | 'decryptStringAsync' | 'isAsyncEncryptionAvailable' | 'getSelectedStorageBackend'>;
export type PowerMonitorSeam = Pick<PowerMonitor, 'on' | 'off'>;
export type NetSeam = Pick<Net, 'fetch' | 'request' | 'isOnline'>;
export type TraySeam = Pick<Tray, 'setImage' | 'setToolTip' | 'setContextMenu' | 'on' | 'destroy' | 'getBounds'>;
export type MenuSeam = Pick<typeof Menu, 'buildFromTemplate'>;
export type WebContentsSeam = Pick<WebContents, 'on' | 'setWindowOpenHandler' | 'send' | 'isDestroyed'> & {
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>;
};
export type BrowserWindowSeam = Pick<BrowserWindow, 'loadURL' | 'show' | 'focus' | 'moveTop' | 'isDestroyed' | 'on' | 'once' | 'isMinimized' | 'restore' | 'hide' | 'isVisible' | 'destroy' | 'setPosition'> & {
  webContents: WebContentsSeam;
};
export type BrowserWindowFactory = (options: BrowserWindowConstructorOptions) => BrowserWindowSeam;

/** A key/value store (electron-store in the app, conf or a Map in tests). */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}
