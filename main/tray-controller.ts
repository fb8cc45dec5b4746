// Keeps the tray icon, tooltip and menu in step with the agent's status.
import { join } from 'node:path';
import type { MenuItemConstructorOptions, MenuSeam, TraySeam } from './electron-seam.ts';
import { trayMenuTemplate, type TrayActions } from './tray-menu.ts';
import { trayIconFile, trayStateFor, type TrayStateInput } from './tray-state.ts';

export interface TrayControllerDeps {
  createTray(iconPath: string): TraySeam;
  menu: MenuSeam;
  iconDir: string;
  platform: NodeJS.Platform;
  actions: TrayActions;
  isStartAtLogin(): boolean;
}

export interface TrayController {
  update(status: TrayStateInput): void;
  /** Rebuild the menu (e.g. after "Start at login" changed). */
  refresh(): void;
  destroy(): void;
}

export function createTrayController(deps: TrayControllerDeps): TrayController {
  let last: TrayStateInput = { phase: 'starting', headline: '', usingSandbox: false };
  let lastKey = '';
  const initial = trayStateFor(last);
  const tray = deps.createTray(join(deps.iconDir, trayIconFile(initial.icon, deps.platform)));
  // Linux desktops without a context-menu click event: a left click opens the status window.
  tray.on('click', () => deps.actions.openStatus());

  const render = (force: boolean): void => {
    const state = trayStateFor(last);
    const startAtLogin = deps.isStartAtLogin();
    const key = JSON.stringify([state, startAtLogin]);
    if (!force && key === lastKey) return;
    lastKey = key;
    tray.setImage(join(deps.iconDir, trayIconFile(state.icon, deps.platform)));
    tray.setToolTip(state.tooltip);
    const template: MenuItemConstructorOptions[] = trayMenuTemplate(state, startAtLogin, deps.actions);
    tray.setContextMenu(deps.menu.buildFromTemplate(template));
  };
  render(true);

  return {
    update(status) {
      last = { phase: status.phase, headline: status.headline, usingSandbox: status.usingSandbox };
      render(false);
    },
    refresh: () => render(true),
    destroy: () => tray.destroy(),
  };
}
