// The tray's context menu, as a template built from the tray state.
import type { MenuItemConstructorOptions } from './electron-seam.ts';
import type { TrayState } from './tray-state.ts';
import { PRODUCT_NAME } from '../app/branding/index.ts';

export interface TrayActions {
  syncNow(): void;
  setPaused(paused: boolean): void;
  openStatus(): void;
  setStartAtLogin(enabled: boolean): void;
  quit(): void;
  /** Installs the update that is ready (main/updater.ts); the item shows only then. */
  restartToUpdate?(): void;
}

export function trayMenuTemplate(state: TrayState, startAtLogin: boolean, actions: TrayActions): MenuItemConstructorOptions[] {
  return [
    { id: 'status', label: state.statusLine, enabled: false },
    { type: 'separator' },
    { id: 'sync-now', label: 'Sync now', enabled: !state.paused, click: () => actions.syncNow() },
    state.paused
      ? { id: 'pause', label: 'Resume', click: () => actions.setPaused(false) }
      : { id: 'pause', label: 'Pause', click: () => actions.setPaused(true) },
    { id: 'open-status', label: 'Open status…', click: () => actions.openStatus() },
    ...(state.updateReady && actions.restartToUpdate
      ? [{ id: 'restart-to-update', label: `Restart to update (version ${state.updateReady})`, click: () => actions.restartToUpdate?.() }]
      : []),
    { type: 'separator' },
    { id: 'start-at-login', label: 'Start at login', type: 'checkbox', checked: startAtLogin, click: (item) => actions.setStartAtLogin(item.checked) },
    { type: 'separator' },
    { id: 'quit', label: `Quit ${PRODUCT_NAME}`, role: undefined, click: () => actions.quit() },
  ];
}
