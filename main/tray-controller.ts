// Keeps the tray icon, tooltip and menu in step with the agent's status.
import { join } from 'node:path';
import type { Translator } from '../locales/i18n.ts';
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
  /** The app's language (tooltip and menu); English when not given. */
  tr?: Translator;
}

export interface TrayController {
  /** `visible` false (the managed trayIcon policy, main/tray-policy.ts) removes the icon until a status wants it again. */
  update(status: TrayStateInput, visible?: boolean): void;
  /** Rebuild the menu (e.g. after "Start at login" changed). */
  refresh(): void;
  /** Where the icon is on screen, when the platform says (macOS, Windows); undefined before it exists. */
  bounds(): { x: number; y: number; width: number; height: number } | undefined;
  destroy(): void;
}

/**
 * The tray appears with the first status it is given — the engine's, which at start is
 * the last known state ("Synced 3 h ago") — never with a placeholder: an icon that says
 * "starting" for a moment after every login would say what is not so.
 */
export function createTrayController(deps: TrayControllerDeps): TrayController {
  let last: TrayStateInput | undefined;
  let tray: TraySeam | undefined;
  let destroyed = false;
  let lastKey = '';
  let visible = true;

  const render = (force: boolean): void => {
    if (last === undefined || destroyed) return;
    if (!visible) {
      // Hidden by policy: no icon at all (an empty or transparent one would still take a place in the tray).
      tray?.destroy();
      tray = undefined;
      lastKey = '';
      return;
    }
    const state = trayStateFor(last, deps.tr);
    const startAtLogin = deps.isStartAtLogin();
    const key = JSON.stringify([state, startAtLogin]);
    if (!force && key === lastKey) return;
    lastKey = key;
    const icon = join(deps.iconDir, trayIconFile(state.icon, deps.platform));
    if (tray === undefined) {
      tray = deps.createTray(icon);
      // Linux desktops without a context-menu click event: a left click opens the status window.
      tray.on('click', () => deps.actions.openStatus());
    } else {
      tray.setImage(icon);
    }
    tray.setToolTip(state.tooltip);
    const template: MenuItemConstructorOptions[] = trayMenuTemplate(state, startAtLogin, deps.actions, deps.tr);
    tray.setContextMenu(deps.menu.buildFromTemplate(template));
  };

  return {
    update(status, show = true) {
      last = { phase: status.phase, headline: status.headline, usingSandbox: status.usingSandbox, update: status.update, ...(status.headlineMessage ? { headlineMessage: status.headlineMessage } : {}), ...(status.errorSummary ? { errorSummary: status.errorSummary } : {}) };
      visible = show;
      render(false);
    },
    refresh: () => render(true),
    bounds: () => (tray === undefined || destroyed ? undefined : tray.getBounds()),
    destroy: () => {
      destroyed = true;
      tray?.destroy();
    },
  };
}
