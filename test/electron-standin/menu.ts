// Menu and MenuItem as Electron 45 builds them (lib/browser/api/menu.ts,
// menu-item.ts): template validation with Electron's messages, extra
// separators removed, and a click that flips a checkbox before the app's
// handler runs. Nothing is drawn: menus are data a test reads and clicks.
import type { BaseWindow, KeyboardEvent, Menu as ElectronMenu, MenuItem as ElectronMenuItem, MenuItemConstructorOptions, PopupOptions } from 'electron';
import { EventEmitter } from 'node:events';
import type { OnlyElectronKeys } from './exact.ts';
import { recorder, type MenuItemSnapshot } from './recorder.ts';

const TYPES = ['normal', 'separator', 'submenu', 'checkbox', 'radio', 'header', 'palette'] as const;
type ItemType = (typeof TYPES)[number];
let nextCommandId = 0;

/** Roles the stand-in carries out; other roles are accepted and do nothing here. */
const roleActions: Partial<Record<string, () => void>> = {};
export function setRoleAction(role: string, action: () => void): void {
  roleActions[role] = action;
}

/**
 * The submenus Electron gives a role item that has none (menu-item-roles.ts,
 * Linux forms), so a default or role-built menu shows what it really offers.
 */
const ROLE_SUBMENUS: Partial<Record<string, MenuItemConstructorOptions[]>> = {
  filemenu: [{ role: 'quit' }],
  editmenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'delete' }, { type: 'separator' }, { role: 'selectAll' }],
  viewmenu: [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
  windowmenu: [{ role: 'minimize' }, { role: 'zoom' }, { role: 'close' }],
};

type MenuItemMembers = 'checked' | 'click' | 'commandId' | 'enabled' | 'id' | 'label' | 'menu' | 'role' | 'sublabel' | 'submenu' | 'toolTip' | 'type' | 'visible' | 'accelerator' | 'accessibilityLabel' | 'registerAccelerator';

export class MenuItem implements Pick<ElectronMenuItem, MenuItemMembers> {
  checked: boolean;
  click: (event?: KeyboardEvent, focusedWindow?: BaseWindow, focusedWebContents?: unknown) => void;
  readonly commandId: number;
  enabled: boolean;
  id: string;
  label: string;
  menu!: ElectronMenu;
  role?: ElectronMenuItem['role'];
  sublabel: string;
  submenu?: ElectronMenu;
  toolTip: string;
  type: ItemType;
  visible: boolean;
  accelerator: ElectronMenuItem['accelerator'];
  accessibilityLabel: string;
  registerAccelerator: boolean;

  constructor(options: MenuItemConstructorOptions) {
    const role = typeof options.role === 'string' ? (options.role.toLowerCase() as ElectronMenuItem['role']) : undefined;
    if (role !== undefined) this.role = role;
    let submenu: ElectronMenu | undefined;
    if (options.submenu !== undefined && options.submenu !== null) {
      submenu = options.submenu instanceof Menu ? options.submenu as unknown as ElectronMenu : Menu.buildFromTemplate(options.submenu as MenuItemConstructorOptions[]) as unknown as ElectronMenu;
    } else if (role !== undefined && ROLE_SUBMENUS[role]) {
      submenu = Menu.buildFromTemplate(ROLE_SUBMENUS[role]) as unknown as ElectronMenu;
    }
    let type = (options.type ?? (submenu ? 'submenu' : 'normal')) as ItemType;
    if (type === 'submenu' && !submenu) throw new Error('Invalid submenu');
    if (!TYPES.includes(type)) throw new Error(`Unknown menu item type: ${String(type)}`);
    if (submenu) this.submenu = submenu;
    if (options.type === undefined && role === undefined && submenu) type = 'submenu';
    this.type = type;
    this.id = options.id ?? '';
    this.label = options.label ?? '';
    this.sublabel = options.sublabel ?? '';
    this.toolTip = options.toolTip ?? '';
    this.enabled = options.enabled ?? true;
    this.visible = options.visible ?? true;
    this.checked = options.checked ?? false;
    this.accelerator = (options.accelerator as ElectronMenuItem['accelerator']) ?? null;
    this.accessibilityLabel = options.accessibilityLabel ?? '';
    this.registerAccelerator = options.registerAccelerator ?? true;
    this.commandId = ++nextCommandId;
    const userClick = options.click;
    this.click = (event?: KeyboardEvent, focusedWindow?: BaseWindow) => {
      // Electron flips checkbox and radio items itself before calling the handler.
      if (this.type === 'checkbox' || this.type === 'radio') this.checked = !this.checked;
      const action = this.role ? roleActions[this.role] : undefined;
      if (action) action();
      else if (typeof userClick === 'function') userClick(this as unknown as ElectronMenuItem, focusedWindow, event ?? ({} as KeyboardEvent));
    };
  }
}

function areValidTemplateItems(template: readonly unknown[]): boolean {
  return template.every((item) => item != null && typeof item === 'object'
    && (Object.hasOwn(item, 'label') || Object.hasOwn(item, 'role') || (item as { type?: string }).type === 'separator'));
}

/** Electron drops leading, trailing and doubled separators. */
function removeExtraSeparators<T extends { type?: string; visible?: boolean }>(items: T[]): T[] {
  const visible = items.filter((i) => i.visible !== false);
  const out: T[] = [];
  for (const item of visible) {
    const isSeparator = item.type === 'separator';
    if (isSeparator && (out.length === 0 || out[out.length - 1]?.type === 'separator')) continue;
    out.push(item);
  }
  while (out.length && out[out.length - 1]?.type === 'separator') out.pop();
  // Hidden items stay in the menu (Electron keeps them, only not shown).
  return items.filter((i) => i.visible === false || out.includes(i));
}

let applicationMenu: Menu | null | undefined;
let applicationMenuWasSet = false;

/**
 * lib/browser/default-menu.ts: at will-finish-launching Electron sets File, Edit,
 * View (Reload, Toggle Developer Tools…) and Window — unless the app set a menu
 * (or null) before.
 */
export function setDefaultApplicationMenu(): void {
  if (applicationMenuWasSet) return;
  Menu.setApplicationMenu(Menu.buildFromTemplate([{ role: 'fileMenu' }, { role: 'editMenu' }, { role: 'viewMenu' }, { role: 'windowMenu' }]));
}

type MenuMembers = 'append' | 'insert' | 'getMenuItemById' | 'popup' | 'closePopup' | 'items';

export class Menu extends EventEmitter implements Pick<ElectronMenu, MenuMembers> {
  items: ElectronMenuItem[] = [];

  static buildFromTemplate(template: Array<MenuItemConstructorOptions | ElectronMenuItem>): Menu {
    if (!Array.isArray(template)) throw new TypeError('Invalid template for Menu: Menu template must be an array');
    if (!areValidTemplateItems(template)) throw new TypeError('Invalid template for MenuItem: must have at least one of label, role or type');
    const menu = new Menu();
    for (const item of removeExtraSeparators(template as MenuItemConstructorOptions[])) {
      menu.append((item instanceof MenuItem ? item : new MenuItem(item)) as unknown as ElectronMenuItem);
    }
    return menu;
  }

  static setApplicationMenu(menu: Menu | null): void {
    if (menu && !(menu instanceof Menu)) throw new TypeError('Invalid menu');
    applicationMenu = menu;
    applicationMenuWasSet = true;
    recorder.snapshotParts.applicationMenu = menu ? snapshotMenu(menu) : null;
    recorder.emit('application-menu', recorder.snapshotParts.applicationMenu);
  }

  static getApplicationMenu(): Menu | null {
    return applicationMenu ?? null;
  }

  static sendActionToFirstResponder(): void { /* macOS only */ }
  static setHighlightColors(): void { /* macOS only */ }

  append(menuItem: ElectronMenuItem): void {
    this.insert(this.items.length, menuItem);
  }

  insert(pos: number, menuItem: ElectronMenuItem): void {
    (menuItem as unknown as MenuItem).menu = this as unknown as ElectronMenu;
    this.items.splice(pos, 0, menuItem);
  }

  getMenuItemById(id: string): ElectronMenuItem | null {
    for (const item of this.items) {
      if (item.id === id) return item;
      const found = (item.submenu as unknown as Menu | undefined)?.getMenuItemById(id);
      if (found) return found;
    }
    return null;
  }

  popup(_options?: PopupOptions): void { this.emit('menu-will-show', {}); }
  closePopup(): void { this.emit('menu-will-close', {}); }
}

export function snapshotMenu(menu: Menu): MenuItemSnapshot[] {
  return menu.items.map((item) => ({
    ...(item.id ? { id: item.id } : {}),
    label: item.label,
    type: item.type,
    ...(item.role ? { role: item.role } : {}),
    enabled: item.enabled,
    visible: item.visible,
    checked: item.checked,
    ...(item.submenu ? { submenu: snapshotMenu(item.submenu as unknown as Menu) } : {}),
  }));
}

const exactItem: OnlyElectronKeys<MenuItem, ElectronMenuItem> = true;
const exactMenu: OnlyElectronKeys<Menu, ElectronMenu> = true;
const exactMenuStatics: OnlyElectronKeys<typeof Menu, typeof ElectronMenu> = true;
void exactItem; void exactMenu; void exactMenuStatics;
