// The application menu. Electron sets a default one (File, Edit, View with Reload
// and Toggle Developer Tools, Window) unless the app sets its own: on Windows and
// Linux its shortcuts work in the status window even with the bar hidden, so the
// app sets none. macOS keeps a minimal one: its shortcuts for copy and paste in
// the settings fields come from an Edit menu, and Quit from the app menu.
import type { MenuItemConstructorOptions } from './electron-seam.ts';

export function applicationMenuTemplate(platform: NodeJS.Platform, appName: string): MenuItemConstructorOptions[] | null {
  if (platform !== 'darwin') return null;
  return [
    { label: appName, submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }] },
    { role: 'editMenu' },
    { label: 'Window', submenu: [{ role: 'minimize' }, { role: 'close' }] },
  ];
}

/** Roles that reload the page or open developer tools: never in a production menu. */
export const DEVELOPER_ROLES = ['reload', 'forceReload', 'toggleDevTools', 'viewMenu'] as const;
