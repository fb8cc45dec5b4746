// The one BrowserWindow factory: every window the app opens is made here,
// locked down the same way. The status window is a compact panel beside the
// tray icon (where the platform says where that is), hidden on blur where that
// is the platform's habit, and destroyed after a while hidden so an idle agent
// holds no renderer.
import { APP_ORIGIN, STATUS_PAGE_URL } from './app-protocol.ts';
import type { BrowserWindowConstructorOptions, BrowserWindowFactory, BrowserWindowSeam, Logger, WebContentsSeam } from './electron-seam.ts';
import { PRODUCT_NAME } from '../app/branding/index.ts';

/** The status window's size: tray-panel sized, like comparable tray agents' popovers. */
export const STATUS_WINDOW_SIZE = { width: 400, height: 560 } as const;
/** A hidden status window is destroyed after this long (opening it again takes a fraction of a second). */
export const HIDDEN_WINDOW_TTL_MS = 2 * 60_000;

export interface Rect { x: number; y: number; width: number; height: number }

export function statusWindowOptions(preloadPath: string, title = PRODUCT_NAME, at?: { x: number; y: number }): BrowserWindowConstructorOptions {
  return {
    ...STATUS_WINDOW_SIZE,
    ...(at ?? {}),
    minWidth: 360,
    minHeight: 440,
    show: false,
    title,
    autoHideMenuBar: true,
    backgroundColor: '#1d2127',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      experimentalFeatures: false,
      enableWebSQL: false,
      safeDialogs: true,
    },
  };
}

/** True only for URLs of our own app:// origin. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/** Denies navigation away, new windows, webviews and every permission request. */
export function hardenWebContents(contents: WebContentsSeam, log: Logger): void {
  const refuse = (what: string) => (event: { preventDefault(): void }, url?: string) => {
    event.preventDefault();
    log.warn(`refused ${what}${url ? ` to ${safeUrl(url)}` : ''}`);
  };
  // The target is details.url (the positional url argument is deprecated in Electron 45).
  contents.on('will-navigate', (details) => {
    if (!isAppUrl(details.url)) refuse('navigation')(details, details.url);
  });
  contents.on('will-redirect', (details) => {
    if (!isAppUrl(details.url)) refuse('redirect')(details, details.url);
  });
  contents.on('will-attach-webview', (event) => refuse('webview')(event));
  contents.setWindowOpenHandler(({ url }) => {
    log.warn(`refused window.open to ${safeUrl(url)}`);
    return { action: 'deny' };
  });
  contents.session.setPermissionRequestHandler((_wc, permission, callback) => {
    log.warn(`refused permission ${permission}`);
    callback(false);
  });
  contents.session.setPermissionCheckHandler(() => false);
}

/** Origin and path only: query strings may carry tokens. */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid url)';
  }
}

/**
 * Where the panel goes: beside the tray icon when its bounds are known (macOS,
 * Windows; Linux trays do not say), on the side of the icon that faces the work
 * area's middle, kept inside the work area; centred in the work area otherwise.
 */
export function panelPosition(size: { width: number; height: number }, workArea: Rect, tray: Rect | undefined): { x: number; y: number } {
  const clamp = (v: number, min: number, max: number) => Math.round(Math.min(Math.max(v, min), Math.max(min, max)));
  const maxX = workArea.x + workArea.width - size.width;
  const maxY = workArea.y + workArea.height - size.height;
  if (!tray || tray.width <= 0 || tray.height <= 0) {
    return { x: clamp(workArea.x + (workArea.width - size.width) / 2, workArea.x, maxX), y: clamp(workArea.y + (workArea.height - size.height) / 2, workArea.y, maxY) };
  }
  const gap = 4;
  const trayMidX = tray.x + tray.width / 2;
  const trayMidY = tray.y + tray.height / 2;
  const areaMidX = workArea.x + workArea.width / 2;
  const areaMidY = workArea.y + workArea.height / 2;
  // A vertical taskbar (left or right edge) puts the icon beside the panel; a horizontal one above or below it.
  const onSide = tray.x + tray.width <= workArea.x || tray.x >= workArea.x + workArea.width;
  if (onSide) {
    const x = trayMidX < areaMidX ? tray.x + tray.width + gap : tray.x - size.width - gap;
    return { x: clamp(x, workArea.x, maxX), y: clamp(trayMidY - size.height / 2, workArea.y, maxY) };
  }
  const y = trayMidY < areaMidY ? tray.y + tray.height + gap : tray.y - size.height - gap;
  return { x: clamp(trayMidX - size.width / 2, workArea.x, maxX), y: clamp(y, workArea.y, maxY) };
}

export interface StatusWindowOptions {
  /** The app's locale (app.getLocale()): the page's language, passed in its URL. */
  locale?: string;
  /** The window title (default: the branding's product name). */
  title?: string;
  /** Hide when the window loses focus, as popovers do (macOS, Windows). */
  hideOnBlur?: boolean;
  /** Where the panel should open (panelPosition with the tray's and the display's bounds); undefined: the platform decides. */
  position?: () => { x: number; y: number } | undefined;
  /** How long a hidden window lives (HIDDEN_WINDOW_TTL_MS). */
  hiddenTtlMs?: number;
  setTimer?: (fn: () => void, ms: number) => { unref?(): unknown };
  clearTimer?: (timer: unknown) => void;
}

/** The status page's URL for a locale (the renderer reads ?lang=). */
export function statusPageUrl(locale: string | undefined): string {
  return locale ? `${STATUS_PAGE_URL}?lang=${encodeURIComponent(locale)}` : STATUS_PAGE_URL;
}

export interface StatusWindow {
  /** Shows the window, creating it if needed. */
  show(): void;
  current(): BrowserWindowSeam | undefined;
}

/**
 * `focusApp`: makes the app the active one first (macOS: an agent app without a
 * Dock icon is not activated by showing a window, so its window would open behind).
 */
export function createStatusWindowManager(create: BrowserWindowFactory, preloadPath: string, log: Logger, focusApp: () => void = () => {}, options: StatusWindowOptions = {}): StatusWindow {
  let win: BrowserWindowSeam | undefined;
  let idle: unknown;
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
  const stopIdle = () => {
    if (idle !== undefined) clearTimer(idle);
    idle = undefined;
  };
  const place = (w: BrowserWindowSeam) => {
    const at = options.position?.();
    if (at) w.setPosition(at.x, at.y);
  };
  return {
    show() {
      stopIdle();
      if (win && !win.isDestroyed()) {
        // To the front: restored, placed by the tray again, shown, raised above the others, focused.
        focusApp();
        if (win.isMinimized()) win.restore();
        if (!win.isVisible()) place(win);
        win.show();
        win.moveTop();
        win.focus();
        return;
      }
      focusApp();
      const w = create(statusWindowOptions(preloadPath, options.title, options.position?.()));
      win = w;
      hardenWebContents(w.webContents, log);
      w.once('ready-to-show', () => w.show());
      if (options.hideOnBlur) w.on('blur', () => { if (!w.isDestroyed() && w.isVisible()) w.hide(); });
      // Hidden for a while: destroyed (its renderer's memory goes with it); shown again, it stays.
      w.on('hide', () => {
        stopIdle();
        const timer = setTimer(() => {
          idle = undefined;
          if (!w.isDestroyed() && !w.isVisible()) w.destroy();
        }, options.hiddenTtlMs ?? HIDDEN_WINDOW_TTL_MS);
        timer.unref?.();
        idle = timer;
      });
      w.on('show', stopIdle);
      w.on('closed', () => {
        if (win === w) {
          win = undefined;
          stopIdle();
        }
      });
      w.loadURL(statusPageUrl(options.locale)).catch((error: unknown) => log.error(`status window failed to load: ${String(error)}`));
    },
    current: () => (win && !win.isDestroyed() ? win : undefined),
  };
}
