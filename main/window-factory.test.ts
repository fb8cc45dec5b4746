import { describe, expect, it, vi } from 'vitest';
import { STATUS_PAGE_URL } from './app-protocol.ts';
import type { BrowserWindowConstructorOptions } from './electron-seam.ts';
import { createStatusWindowManager, hardenWebContents, HIDDEN_WINDOW_TTL_MS, isAppUrl, panelPosition, statusWindowOptions } from './window-factory.ts';

const log = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };

function fakeContents() {
  const handlers = new Map<string, (...a: unknown[]) => void>();
  let openHandler: ((d: { url: string }) => { action: string }) | undefined;
  let permissionRequest: ((wc: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
  let permissionCheck: (() => boolean) | undefined;
  const contents = {
    on: vi.fn((event: string, h: (...a: unknown[]) => void) => { handlers.set(event, h); return contents; }),
    setWindowOpenHandler: vi.fn((h: typeof openHandler) => { openHandler = h; }),
    send: vi.fn(),
    isDestroyed: () => false,
    session: {
      setPermissionRequestHandler: vi.fn((h: typeof permissionRequest) => { permissionRequest = h; }),
      setPermissionCheckHandler: vi.fn((h: typeof permissionCheck) => { permissionCheck = h; }),
    },
  };
  // Electron 45: the details object (an Event with url) first, then the deprecated positional url.
  const fire = (event: string, url?: string, positional: string | undefined = url) => {
    const e = { url, preventDefault: vi.fn() };
    handlers.get(event)?.(e, positional);
    return e.preventDefault.mock.calls.length > 0;
  };
  return { contents, fire, open: (url: string) => openHandler?.({ url }), request: (p: string) => new Promise<boolean>((r) => permissionRequest?.({}, p, r)), check: () => permissionCheck?.() };
}

describe('statusWindowOptions', () => {
  it('turns on every isolation and security flag', () => {
    const o = statusWindowOptions('/app/dist/preload/index.cjs');
    expect(o.webPreferences).toMatchObject({
      preload: '/app/dist/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
    expect(o.show).toBe(false);
  });
  it('is tray-panel sized (about 400 × 560)', () => {
    const o = statusWindowOptions('/p.cjs');
    expect([o.width, o.height]).toEqual([400, 560]);
  });
});

describe('panelPosition', () => {
  const size = { width: 400, height: 560 };
  const area = { x: 0, y: 0, width: 1920, height: 1040 };
  it('opens above a tray icon in a bottom taskbar (Windows), kept inside the work area', () => {
    expect(panelPosition(size, area, { x: 1700, y: 1044, width: 24, height: 24 })).toEqual({ x: 1512, y: 480 });
    expect(panelPosition(size, area, { x: 1900, y: 1044, width: 24, height: 24 })).toEqual({ x: 1520, y: 480 });
  });
  it('opens below an icon in a top menu bar (macOS)', () => {
    expect(panelPosition(size, { x: 0, y: 25, width: 1440, height: 875 }, { x: 1200, y: 0, width: 22, height: 24 })).toEqual({ x: 1011, y: 28 });
  });
  it('opens beside an icon in a vertical taskbar', () => {
    expect(panelPosition(size, { x: 60, y: 0, width: 1860, height: 1080 }, { x: 18, y: 900, width: 24, height: 24 })).toEqual({ x: 60, y: 520 });
    expect(panelPosition(size, { x: 0, y: 0, width: 1860, height: 1080 }, { x: 1878, y: 100, width: 24, height: 24 })).toEqual({ x: 1460, y: 0 });
  });
  it('is centred when the platform does not say where the icon is (Linux: an empty rectangle)', () => {
    expect(panelPosition(size, area, undefined)).toEqual({ x: 760, y: 240 });
    expect(panelPosition(size, area, { x: 0, y: 0, width: 0, height: 0 })).toEqual({ x: 760, y: 240 });
    expect(panelPosition(size, { x: 0, y: 0, width: 300, height: 400 }, undefined)).toEqual({ x: 0, y: 0 });
  });
});

describe('hardenWebContents', () => {
  it('denies navigation away from app://, window.open, webviews and every permission', async () => {
    const f = fakeContents();
    hardenWebContents(f.contents as never, log);
    expect(f.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(f.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(f.fire('will-navigate', 'app://ui/index.html')).toBe(false);
    expect(f.fire('will-redirect', 'http://127.0.0.1/')).toBe(true);
    expect(f.fire('will-attach-webview')).toBe(true);
    expect(f.open('https://example.com')).toEqual({ action: 'deny' });
    expect(f.open('app://ui/index.html')).toEqual({ action: 'deny' });
    expect(await f.request('media')).toBe(false);
    expect(await f.request('clipboard-read')).toBe(false);
    expect(f.check()).toBe(false);
  });

  it('reads the target from details.url (the positional url is deprecated in Electron 45 and may go)', () => {
    const f = fakeContents();
    hardenWebContents(f.contents as never, log);
    expect(f.fire('will-navigate', 'app://ui/index.html#settings', undefined)).toBe(false);
    expect(f.fire('will-navigate', 'https://evil.example/', undefined)).toBe(true);
    expect(f.fire('will-navigate', 'https://evil.example/', 'app://ui/index.html')).toBe(true);
    expect(f.fire('will-redirect', 'app://ui/index.html', undefined)).toBe(false);
    expect(f.fire('will-redirect', 'https://evil.example/', 'app://ui/index.html')).toBe(true);
  });

  it('never logs a query string (it may hold a token)', () => {
    const f = fakeContents();
    const warn = vi.fn();
    hardenWebContents(f.contents as never, { ...log, warn });
    f.fire('will-navigate', 'https://x.example/cb?access_token=SECRET123');
    expect(warn.mock.calls.flat().join(' ')).not.toContain('SECRET123');
  });
});

describe('isAppUrl', () => {
  it('accepts only the app://ui origin', () => {
    expect(isAppUrl('app://ui/index.html')).toBe(true);
    expect(isAppUrl('app://other/index.html')).toBe(false);
    expect(isAppUrl('http://ui/index.html')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});

describe('createStatusWindowManager', () => {
  it('creates one hardened window loading the app:// page, and re-shows it after that', () => {
    const made: BrowserWindowConstructorOptions[] = [];
    const f = fakeContents();
    const win = { loadURL: vi.fn(async () => undefined), show: vi.fn(), focus: vi.fn(), moveTop: vi.fn(), isDestroyed: () => false, on: vi.fn(), once: vi.fn(), isMinimized: () => false, restore: vi.fn(), isVisible: () => true, hide: vi.fn(), destroy: vi.fn(), setPosition: vi.fn(), webContents: f.contents };
    const m = createStatusWindowManager((o) => { made.push(o); return win as never; }, '/p.cjs', log);
    m.show();
    m.show();
    expect(made).toHaveLength(1);
    expect(win.loadURL).toHaveBeenCalledWith(STATUS_PAGE_URL);
    expect(f.contents.setWindowOpenHandler).toHaveBeenCalled();
    expect(win.show).toHaveBeenCalledOnce();
    expect(m.current()).toBe(win);
  });

  it('brings an open window to the front: the app activated, restored, shown, raised, focused — in that order', () => {
    const calls: string[] = [];
    const f = fakeContents();
    const rec = (name: string) => vi.fn(() => { calls.push(name); });
    const win = { loadURL: vi.fn(async () => undefined), show: rec('show'), focus: rec('focus'), moveTop: rec('moveTop'), isDestroyed: () => false, on: vi.fn(), once: vi.fn(), isMinimized: () => true, restore: rec('restore'), isVisible: () => true, hide: vi.fn(), destroy: vi.fn(), setPosition: vi.fn(), webContents: f.contents };
    const m = createStatusWindowManager(() => win as never, '/p.cjs', log, () => { calls.push('focusApp'); });
    m.show();
    calls.length = 0;
    m.show();
    expect(calls).toEqual(['focusApp', 'restore', 'show', 'moveTop', 'focus']);
  });

  function popoverWindow() {
    const handlers = new Map<string, ((...a: unknown[]) => void)[]>();
    let visible = false;
    let destroyed = false;
    const emit = (e: string) => { for (const h of handlers.get(e) ?? []) h(); };
    const win = {
      loadURL: vi.fn(async () => undefined), focus: vi.fn(), moveTop: vi.fn(), isMinimized: () => false, restore: vi.fn(), setPosition: vi.fn(),
      show: vi.fn(() => { visible = true; emit('show'); }),
      hide: vi.fn(() => { visible = false; emit('hide'); }),
      destroy: vi.fn(() => { destroyed = true; emit('closed'); }),
      isVisible: () => visible,
      isDestroyed: () => destroyed,
      on: vi.fn((e: string, h: () => void) => { handlers.set(e, [...(handlers.get(e) ?? []), h]); }),
      once: vi.fn((e: string, h: () => void) => { handlers.set(e, [...(handlers.get(e) ?? []), h]); }),
      webContents: fakeContents().contents,
    };
    return { win, emit };
  }

  it('loads the page in the app\'s language and opens where it is told (beside the tray icon)', () => {
    const made: BrowserWindowConstructorOptions[] = [];
    const { win } = popoverWindow();
    const m = createStatusWindowManager((o) => { made.push(o); return win as never; }, '/p.cjs', log, undefined, { locale: 'de-DE', title: 'Geräteagent', position: () => ({ x: 12, y: 34 }) });
    m.show();
    expect(win.loadURL).toHaveBeenCalledWith(`${STATUS_PAGE_URL}?lang=de-DE`);
    expect(made[0]).toMatchObject({ x: 12, y: 34, width: 400, height: 560, title: 'Geräteagent' });
  });

  it('hides on blur like a popover where asked, and is destroyed after a while hidden (no renderer held by an idle agent)', () => {
    vi.useFakeTimers();
    try {
      const { win, emit } = popoverWindow();
      const m = createStatusWindowManager(() => win as never, '/p.cjs', log, undefined, { hideOnBlur: true });
      m.show();
      emit('ready-to-show');
      expect(win.isVisible()).toBe(true);
      emit('blur');
      expect(win.hide).toHaveBeenCalledOnce();
      vi.advanceTimersByTime(HIDDEN_WINDOW_TTL_MS - 1000);
      m.show(); // opened again in time: the same window, and the countdown is off
      expect(win.isVisible()).toBe(true);
      vi.advanceTimersByTime(HIDDEN_WINDOW_TTL_MS * 2);
      expect(win.destroy).not.toHaveBeenCalled();
      win.hide();
      vi.advanceTimersByTime(HIDDEN_WINDOW_TTL_MS);
      expect(win.destroy).toHaveBeenCalledOnce();
      expect(m.current()).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not hide on blur where that is not the platform\'s habit (Linux)', () => {
    const { win, emit } = popoverWindow();
    createStatusWindowManager(() => win as never, '/p.cjs', log).show();
    emit('ready-to-show');
    emit('blur');
    expect(win.hide).not.toHaveBeenCalled();
  });
});
