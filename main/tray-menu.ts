// The tray's context menu, as a template built from the tray state.
import type { MenuItemConstructorOptions } from './electron-seam.ts';
import { translator, type Translator } from '../locales/i18n.ts';
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

export function trayMenuTemplate(state: TrayState, startAtLogin: boolean, actions: TrayActions, tr: Translator = translator('en')): MenuItemConstructorOptions[] {
  return [
    { id: 'status', label: state.statusLine, enabled: false },
    { type: 'separator' },
    { id: 'sync-now', label: tr.t('tray.syncNow'), enabled: !state.paused, click: () => actions.syncNow() },
    state.paused
      ? { id: 'pause', label: tr.t('tray.resume'), click: () => actions.setPaused(false) }
      : { id: 'pause', label: tr.t('tray.pause'), click: () => actions.setPaused(true) },
    { id: 'open-status', label: tr.t('tray.open'), click: () => actions.openStatus() },
    ...(state.updateReady && actions.restartToUpdate
      ? [{ id: 'restart-to-update', label: tr.t('tray.restartToUpdate', { version: state.updateReady }), click: () => actions.restartToUpdate?.() }]
      : []),
    { type: 'separator' },
    { id: 'start-at-login', label: tr.t('tray.startAtLogin'), type: 'checkbox', checked: startAtLogin, click: (item) => actions.setStartAtLogin(item.checked) },
    { type: 'separator' },
    { id: 'quit', label: tr.t('tray.quit', { app: PRODUCT_NAME }), role: undefined, click: () => actions.quit() },
  ];
}
