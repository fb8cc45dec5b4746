// The one BrowserWindow factory: every window the app opens is made here,
// locked down the same way.
import { APP_ORIGIN, STATUS_PAGE_URL } from './app-protocol.ts';
import type { BrowserWindowConstructorOptions, BrowserWindowFactory, BrowserWindowSeam, Logger, WebContentsSeam } from './electron-seam.ts';
import { PRODUCT_NAME } from '../app/branding/index.ts';

export function statusWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 980,
    height: 760,
    minWidth: 560,
    minHeight: 480,
    show: false,
    title: PRODUCT_NAME,
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

export interface StatusWindow {
  /** Shows the window, creating it if needed. */
  show(): void;
  current(): BrowserWindowSeam | undefined;
}

/**
 * `focusApp`: makes the app the active one first (macOS: an agent app without a
 * Dock icon is not activated by showing a window, so its window would open behind).
 */
export function createStatusWindowManager(create: BrowserWindowFactory, preloadPath: string, log: Logger, focusApp: () => void = () => {}): StatusWindow {
  let win: BrowserWindowSeam | undefined;
  return {
    show() {
      if (win && !win.isDestroyed()) {
        // To the front: restored, shown, raised above the others, focused.
        focusApp();
        if (win.isMinimized()) win.restore();
        win.show();
        win.moveTop();
        win.focus();
        return;
      }
      focusApp();
      const w = create(statusWindowOptions(preloadPath));
      win = w;
      hardenWebContents(w.webContents, log);
      w.once('ready-to-show', () => w.show());
      w.on('closed', () => {
        if (win === w) win = undefined;
      });
      w.loadURL(STATUS_PAGE_URL).catch((error: unknown) => log.error(`status window failed to load: ${String(error)}`));
    },
    current: () => (win && !win.isDestroyed() ? win : undefined),
  };
}
