// The module the app gets for `import … from 'electron'` (and require('electron'))
// when it runs on the stand-in: the main-process subset of Electron 45 that
// main/, electron-store, electron-log and electron-updater use. Anything else is absent, so an app
// that starts using it fails here loudly rather than passing untested.
import type * as ElectronModule from 'electron';
import { app } from './app.ts';
import { autoUpdater } from './auto-updater.ts';
import { BrowserWindow, webContents } from './browser-window.ts';
import { clipboard, dialog, nativeTheme, Notification, shell } from './desktop-services.ts';
import { ipcMain } from './ipc-main.ts';
import { Menu, MenuItem, setRoleAction } from './menu.ts';
import { powerMonitor } from './power-monitor.ts';
import { safeStorage } from './safe-storage.ts';
import { screen } from './screen.ts';
import { net, protocol, session } from './session.ts';
import { Tray } from './tray.ts';

setRoleAction('quit', () => app.quit());

const electron = {
  app, autoUpdater, BrowserWindow, clipboard, dialog, ipcMain, Menu, MenuItem, nativeTheme, net, Notification, powerMonitor, protocol,
  safeStorage, screen, session, shell, Tray, webContents,
} satisfies { [K in keyof typeof ElectronModule]?: unknown };

export {
  app, autoUpdater, BrowserWindow, clipboard, dialog, ipcMain, Menu, MenuItem, nativeTheme, net, Notification, powerMonitor, protocol,
  safeStorage, screen, session, shell, Tray, webContents,
};
export default electron;
