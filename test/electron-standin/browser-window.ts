// BrowserWindow and WebContents over a real headless Chromium page
// (playwright-core + the Chrome DevTools Protocol):
// - the page loads the real files through the app's protocol.handle handler
//   (session.ts maps app:// to a stand-in origin), so Chromium enforces the
//   handler's CSP and runs the real renderer bundle;
// - the real preload runs in a real isolated world of that page before any page
//   script, in Electron's sandboxed-preload environment (renderer/world-scripts.ts);
// - ipcRenderer reaches ipcMain/webContents.ipc through a CDP binding that
//   exists only in that world; events carry senderFrame.url = the page's URL;
// - will-navigate is raised for navigations the page starts (not loadURL's) and
//   a preventDefault aborts them; window.open asks the window-open handler.
// The window itself (frame, position, native visibility) is data: a shown
// window is a flag, its size is the page's viewport.
import type {
  BrowserWindow as ElectronBrowserWindow, BrowserWindowConstructorOptions, HandlerDetails, IpcMainEvent, IpcMainInvokeEvent,
  LoadURLOptions, Rectangle, Session as ElectronSession, WebContents as ElectronWebContents, WebPreferences, WindowOpenHandlerResponse,
} from 'electron';
import { readFileSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { compileFunction } from 'node:vm';
import type { CDPSession, Page, Route } from 'playwright-core';
import { app, appInternals } from './app.ts';
import { createEvent } from './event.ts';
import type { OnlyElectronKeys } from './exact.ts';
import { dispatchInvoke, ipcMain, IpcMainImpl } from './ipc-main.ts';
import { imageSize } from './native-image.ts';
import { recorder, type WindowSnapshot } from './recorder.ts';
import { createCodec } from './renderer/codec.ts';
import {
  IPC_BINDING, IPC_RECEIVE, PRELOAD_PARAMS, PRELOAD_WORLD, isolatedWorldScript, mainWorldScript,
  type IsolatedWorldConfig, type IsolatedWorldMessage, type MainProcessMessage,
} from './renderer/world-scripts.ts';
import { runtime } from './runtime.ts';
import { fromChromiumUrl, getDefaultSession, Session, toChromiumUrl, type HandlerOutcome } from './session.ts';
import { windowRegistry } from './window-registry.ts';

/** Chromium's net error numbers for the names the stand-in can produce. */
const NET_ERRNO: Record<string, number> = {
  ERR_FAILED: -2, ERR_ABORTED: -3, ERR_INVALID_ARGUMENT: -4, ERR_FILE_NOT_FOUND: -6, ERR_TIMED_OUT: -7, ERR_UNEXPECTED: -9,
  ERR_ACCESS_DENIED: -10, ERR_BLOCKED_BY_CLIENT: -20, ERR_BLOCKED_BY_RESPONSE: -27, ERR_CONNECTION_CLOSED: -100,
  ERR_CONNECTION_RESET: -101, ERR_CONNECTION_REFUSED: -102, ERR_CONNECTION_ABORTED: -103, ERR_CONNECTION_FAILED: -104,
  ERR_NAME_NOT_RESOLVED: -105, ERR_INTERNET_DISCONNECTED: -106, ERR_ADDRESS_UNREACHABLE: -109, ERR_CONNECTION_TIMED_OUT: -118,
  ERR_INVALID_URL: -300, ERR_UNKNOWN_URL_SCHEME: -302,
};

const ipcCodec = createCodec();
let nextWebContentsId = 1;
let nextWindowId = 1;
const allWebContents: WebContents[] = [];

/** What Electron lets through a sandboxed, isolated renderer; the stand-in emulates nothing else. */
function checkWebPreferences(prefs: WebPreferences): void {
  const refuse = (what: string) => { throw new Error(`BrowserWindow with ${what} is not emulated by the Electron stand-in: it runs preloads only sandboxed and context-isolated`); };
  if (prefs.sandbox === false) refuse('webPreferences.sandbox = false');
  if (prefs.contextIsolation === false) refuse('webPreferences.contextIsolation = false');
  if (prefs.nodeIntegration === true) refuse('webPreferences.nodeIntegration = true');
}

interface PreloadCode { path: string; source?: string; error?: { message: string; stack?: string } }

/** Reads and compiles the preload as Electron does (a CommonJS function body); an ESM preload fails here like there. */
function readPreload(path: string): PreloadCode {
  try {
    const source = readFileSync(path, 'utf8');
    compileFunction(source, [...PRELOAD_PARAMS], { filename: path });
    return { path, source };
  } catch (error) {
    const e = error as Error;
    return { path, error: { message: e.message, ...(e.stack ? { stack: e.stack } : {}) } };
  }
}

type WebContentsMembers =
  | 'id' | 'session' | 'ipc' | 'send' | 'loadURL' | 'getURL' | 'getTitle' | 'isDestroyed' | 'isLoading' | 'setWindowOpenHandler'
  | 'executeJavaScript' | 'focus' | 'isFocused' | 'openDevTools' | 'closeDevTools' | 'isDevToolsOpened' | 'reload' | 'getOSProcessId' | 'getProcessId'
  | 'isCrashed';

export class WebContents extends EventEmitter implements Pick<ElectronWebContents, WebContentsMembers> {
  readonly id = nextWebContentsId++;
  readonly ipc = new IpcMainImpl() as unknown as ElectronWebContents['ipc'];
  readonly #window: BrowserWindow;
  readonly #preload: PreloadCode | undefined;
  readonly #token = randomBytes(12).toString('hex');
  #page: Page | undefined;
  #cdp: CDPSession | undefined;
  readonly #opened: Promise<void>;
  #destroyed = false;
  #loading = false;
  #mainFrameId = '';
  #isolatedContext: number | undefined;
  #expectedNavigation: string | undefined;
  #lastHandlerError: string | undefined;
  #openHandler: ((details: HandlerDetails) => WindowOpenHandlerResponse) | undefined;
  #finishedFirstLoad = false;
  #crashed = false;

  constructor(window: BrowserWindow, prefs: WebPreferences, size: { width: number; height: number }) {
    super();
    this.#window = window;
    if (prefs.preload) this.#preload = readPreload(prefs.preload);
    allWebContents.push(this);
    this.#opened = this.#open(size);
    this.#opened.catch((error: unknown) => WebContents.mainError(`could not open the window's page: ${(error as Error).message}`));
  }

  static mainError(text: string): void {
    recorder.snapshotParts.mainErrors.push(text);
    recorder.emit('main-error', text);
    process.stderr.write(`[electron-standin] ${text}\n`);
  }

  /** Whether the page's renderer crashed (electron-log asks before it sends a window the main log in development). */
  isCrashed(): boolean { return this.#crashed; }

  get session(): ElectronSession {
    return getDefaultSession() as unknown as ElectronSession;
  }

  async #open(size: { width: number; height: number }): Promise<void> {
    const page = await runtime.context.newPage();
    this.#page = page;
    await page.setViewportSize(size);
    const cdp = await runtime.context.newCDPSession(page);
    this.#cdp = cdp;
    await cdp.send('Page.enable');
    this.#mainFrameId = (await cdp.send('Page.getFrameTree')).frameTree.frame.id;
    cdp.on('Runtime.executionContextCreated', ({ context }) => {
      const aux = context.auxData as { frameId?: string } | undefined;
      if (context.name === PRELOAD_WORLD && aux?.frameId === this.#mainFrameId) this.#isolatedContext = context.id;
    });
    cdp.on('Runtime.executionContextDestroyed', ({ executionContextId }) => {
      if (executionContextId === this.#isolatedContext) this.#isolatedContext = undefined;
    });
    cdp.on('Runtime.executionContextsCleared', () => { this.#isolatedContext = undefined; });
    cdp.on('Runtime.bindingCalled', ({ name, payload, executionContextId }) => {
      if (name === IPC_BINDING) void this.#onRendererMessage(JSON.parse(payload) as IsolatedWorldMessage, executionContextId);
    });
    await cdp.send('Runtime.enable');
    if (this.#preload) {
      await cdp.send('Runtime.addBinding', { name: IPC_BINDING, executionContextName: PRELOAD_WORLD });
      await cdp.send('Page.addScriptToEvaluateOnNewDocument', { source: mainWorldScript(this.#token) });
      const config: IsolatedWorldConfig = {
        token: this.#token,
        preloadPath: this.#preload.path,
        ...(this.#preload.error ? { preloadError: this.#preload.error } : {}),
        process: {
          platform: process.platform, arch: process.arch, pid: process.pid, versions: { ...process.versions } as Record<string, string>,
          version: process.version, env: { ...process.env } as Record<string, string>, execPath: process.execPath, argv: [process.execPath],
        },
      };
      await cdp.send('Page.addScriptToEvaluateOnNewDocument', { source: isolatedWorldScript(config, this.#preload.source), worldName: PRELOAD_WORLD });
    }
    await page.route('**/*', (route) => this.#route(route));
    page.on('domcontentloaded', () => this.emit('dom-ready', createEvent()));
    page.on('load', () => {
      this.#loading = false;
      this.emit('did-finish-load', createEvent());
      if (!this.#finishedFirstLoad) {
        this.#finishedFirstLoad = true;
        this.#window.emit('ready-to-show', createEvent());
      }
    });
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) this.emit('did-navigate', createEvent(), fromChromiumUrl(frame.url()), 200, 'OK');
    });
    page.on('console', (message) => {
      const level = message.type();
      const text = message.text();
      recorder.snapshotParts.console.push({ windowId: this.#window.id, level, text });
      recorder.emit('console', { windowId: this.#window.id, level, text });
      const location = message.location();
      this.emit('console-message', createEvent({ level: level === 'error' ? 'error' : level === 'warning' ? 'warning' : level === 'debug' ? 'debug' : 'info', message: text, lineNumber: location.lineNumber, sourceId: location.url, frame: null }));
    });
    page.on('pageerror', (error) => {
      const text = `Uncaught ${error.name}: ${error.message}`;
      recorder.snapshotParts.console.push({ windowId: this.#window.id, level: 'error', text });
      recorder.emit('console', { windowId: this.#window.id, level: 'error', text });
    });
    page.on('popup', (popup) => void this.#onPopup(popup));
    page.on('crash', () => {
      this.#crashed = true;
      this.emit('render-process-gone', createEvent(), { reason: 'crashed', exitCode: -1 });
    });
  }

  async #route(route: Route): Promise<void> {
    const request = route.request();
    const page = this.#page!;
    const url = request.url();
    const appUrl = fromChromiumUrl(url);
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) {
      if (this.#expectedNavigation === url) {
        this.#expectedNavigation = undefined;
      } else {
        const event = createEvent({ url: appUrl, isSameDocument: false, isMainFrame: true, frame: null, initiator: null });
        this.emit('will-navigate', event, appUrl, false, true, -1, -1);
        if (event.defaultPrevented) return route.abort('aborted');
      }
    }
    if (appUrl === url) return route.continue();
    const body = request.postDataBuffer();
    const appRequest = new Request(appUrl, { method: request.method(), headers: request.headers(), ...(body && request.method() !== 'GET' && request.method() !== 'HEAD' ? { body: new Uint8Array(body) } : {}) });
    const outcome: HandlerOutcome = await Session.answer(getDefaultSession(), appRequest);
    if ('error' in outcome) {
      this.#lastHandlerError = outcome.error;
      return route.abort('failed');
    }
    const response = outcome.response;
    return route.fulfill({ status: response.status, headers: Object.fromEntries(response.headers), body: Buffer.from(await response.arrayBuffer()) });
  }

  #frameUrl(): string {
    return fromChromiumUrl(this.#page?.mainFrame().url() ?? '');
  }

  #senderFrame() {
    const url = this.#frameUrl();
    let origin = '';
    try { origin = new URL(url).origin; } catch { /* about:blank */ }
    return { url, origin, name: '', top: null, parent: null, frames: [], framesInSubtree: [], processId: 1, routingId: 1, frameTreeNodeId: 1, isDestroyed: () => false };
  }

  async #deliver(contextId: number | undefined, message: MainProcessMessage): Promise<void> {
    if (contextId === undefined || !this.#cdp || this.#destroyed) return;
    const payload = JSON.stringify(JSON.stringify(message));
    await this.#cdp.send('Runtime.evaluate', { contextId, expression: `globalThis.${IPC_RECEIVE}(${payload})` }).catch(() => undefined);
  }

  async #onRendererMessage(message: IsolatedWorldMessage, contextId: number): Promise<void> {
    const senderFrame = this.#senderFrame();
    if (message.op === 'preload-error') {
      recorder.snapshotParts.preloadErrors.push({ windowId: this.#window.id, message: message.message });
      recorder.emit('preload-error', { windowId: this.#window.id, message: message.message });
      const error = new Error(message.message);
      if (message.stack) error.stack = message.stack;
      this.emit('preload-error', createEvent(), this.#preload?.path ?? '', error);
      return;
    }
    const args = ipcCodec.decode(message.args) as unknown[];
    if (message.op === 'send') {
      const event = createEvent({ type: 'frame', processId: 1, frameId: 1, sender: this, senderFrame, ports: [], returnValue: undefined, reply: (channel: string, ...a: unknown[]) => this.send(channel, ...a) }) as unknown as IpcMainEvent;
      this.emit('ipc-message', event, message.channel, ...args);
      (this.ipc as unknown as IpcMainImpl).emit(message.channel, event, ...args);
      ipcMain.emit(message.channel, event, ...args);
      return;
    }
    const event = createEvent({ type: 'frame', processId: 1, frameId: 1, sender: this, senderFrame }) as unknown as IpcMainInvokeEvent;
    const reply = await dispatchInvoke([this.ipc as unknown as IpcMainImpl, ipcMain], event, message.channel, args);
    let out: MainProcessMessage;
    try {
      out = reply.error !== undefined ? { op: 'reply', id: message.id, error: reply.error } : { op: 'reply', id: message.id, result: ipcCodec.encode(reply.result) };
    } catch (error) {
      out = { op: 'reply', id: message.id, error: String(error) };
    }
    await this.#deliver(contextId, out);
  }

  async #onPopup(popup: Page): Promise<void> {
    const details = { url: fromChromiumUrl(popup.url()), frameName: '', features: '', disposition: 'new-window', referrer: { url: this.#frameUrl(), policy: 'strict-origin-when-cross-origin' } } as unknown as HandlerDetails;
    const answer = this.#openHandler ? this.#openHandler(details) : { action: 'allow' as const };
    if (answer.action === 'allow') WebContents.mainError('window.open was allowed, but new windows are not emulated by the Electron stand-in; it was closed');
    await popup.close().catch(() => undefined);
  }

  send(channel: string, ...args: unknown[]): void {
    if (typeof channel !== 'string') throw new Error('Missing required channel argument');
    let encoded: unknown;
    try {
      encoded = ipcCodec.encode(args);
    } catch {
      throw new Error('Failed to serialize arguments');
    }
    void this.#deliver(this.#isolatedContext, { op: 'message', channel, args: encoded });
  }

  async loadURL(url: string, _options?: LoadURLOptions): Promise<void> {
    await this.#opened;
    const page = this.#page!;
    const target = toChromiumUrl(url);
    this.#expectedNavigation = target;
    this.#lastHandlerError = undefined;
    this.#loading = true;
    this.emit('did-start-loading');
    try {
      await page.goto(target, { waitUntil: 'load' });
    } catch (error) {
      this.#loading = false;
      const name = this.#lastHandlerError ?? /net::(ERR_[A-Z_]+)/.exec((error as Error).message)?.[1] ?? 'ERR_FAILED';
      const errno = NET_ERRNO[name] ?? -2;
      this.emit('did-fail-load', createEvent(), errno, name, url, true, 1, 1);
      throw Object.assign(new Error(`${name} (${errno}) loading '${url.slice(0, 2048)}'`), { errno, code: name, url });
    }
  }

  reload(): void {
    void this.#page?.reload();
  }

  getURL(): string { return this.#frameUrl(); }
  getTitle(): string { return this.#window.getTitle(); }
  isLoading(): boolean { return this.#loading; }
  isDestroyed(): boolean { return this.#destroyed; }
  focus(): void { this.#window.focus(); }
  isFocused(): boolean { return this.#window.isFocused(); }
  openDevTools(): void { /* headless: nothing to open */ }
  closeDevTools(): void { /* headless */ }
  isDevToolsOpened(): boolean { return false; }
  getOSProcessId(): number { return 0; }
  getProcessId(): number { return 1; }

  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void {
    this.#openHandler = handler;
  }

  async executeJavaScript(code: string): Promise<unknown> {
    await this.#opened;
    return this.#page!.evaluate(code);
  }

  static page(wc: WebContents): Page | undefined {
    return wc.#page;
  }

  static opened(wc: WebContents): Promise<void> {
    return wc.#opened;
  }

  static destroy(wc: WebContents): void {
    if (wc.#destroyed) return;
    wc.#destroyed = true;
    const i = allWebContents.indexOf(wc);
    if (i >= 0) allWebContents.splice(i, 1);
    wc.emit('destroyed');
    void wc.#opened.then(() => wc.#page?.close({ runBeforeUnload: false })).catch(() => undefined);
  }
}

/** Every window ever made, in order (destroyed ones stay, marked so, for the recorder). */
const windows: BrowserWindow[] = [];

type BrowserWindowMembers =
  | 'id' | 'webContents' | 'loadURL' | 'show' | 'showInactive' | 'hide' | 'focus' | 'blur' | 'isVisible' | 'isFocused' | 'isDestroyed'
  | 'isMinimized' | 'minimize' | 'restore' | 'close' | 'destroy' | 'getTitle' | 'setTitle' | 'getBounds' | 'setBounds' | 'getSize'
  | 'setSize' | 'getContentSize' | 'setMenuBarVisibility' | 'setAutoHideMenuBar' | 'isMenuBarAutoHide' | 'setIcon' | 'moveTop';

export class BrowserWindow extends EventEmitter implements Pick<ElectronBrowserWindow, BrowserWindowMembers> {
  readonly id: number;
  readonly webContents: ElectronWebContents;
  #visible: boolean;
  #minimized = false;
  #destroyed = false;
  #title: string;
  #bounds: Rectangle;
  #autoHideMenuBar: boolean;
  /** How often the window was raised above the others (moveTop). */
  #raised = 0;

  constructor(options: BrowserWindowConstructorOptions = {}) {
    super();
    if (!runtime.ready) throw new Error('Cannot create BrowserWindow before app is ready');
    checkWebPreferences(options.webPreferences ?? {});
    if (typeof options.icon === 'string' && !imageSize(options.icon)) console.warn(`Failed to load image from path '${options.icon}'`);
    this.id = nextWindowId++;
    this.#title = options.title ?? app.getName();
    this.#bounds = { x: options.x ?? 0, y: options.y ?? 0, width: options.width ?? 800, height: options.height ?? 600 };
    this.#autoHideMenuBar = options.autoHideMenuBar ?? false;
    this.#visible = false;
    this.webContents = new WebContents(this, options.webPreferences ?? {}, { width: this.#bounds.width, height: this.#bounds.height }) as unknown as ElectronWebContents;
    windows.push(this);
    windowRegistry.add({ id: this.id, requestClose: () => this.#requestClose(), destroy: () => this.destroy() });
    app.emit('browser-window-created', createEvent(), this);
    app.emit('web-contents-created', createEvent(), this.webContents);
    if (options.show !== false) this.show();
    this.#changed('created');
  }

  static getAllWindows(): BrowserWindow[] {
    return windows.filter((w) => !w.isDestroyed());
  }

  static getFocusedWindow(): BrowserWindow | null {
    return windows.find((w) => w.id === windowRegistry.focusedId && !w.isDestroyed()) ?? null;
  }

  static fromWebContents(webContents: ElectronWebContents): BrowserWindow | null {
    return windows.find((w) => w.webContents === webContents) ?? null;
  }

  static fromId(id: number): BrowserWindow | null {
    return windows.find((w) => w.id === id) ?? null;
  }

  #alive(): void {
    if (this.#destroyed) throw new TypeError('Object has been destroyed');
  }

  #changed(what: string): void {
    recorder.emit('window', { what, window: BrowserWindow.snapshotOf(this) });
  }

  static snapshotOf(w: BrowserWindow): WindowSnapshot {
    return {
      id: w.id, title: w.#title, url: w.#destroyed ? '' : w.webContents.getURL(), visible: w.#visible && !w.#destroyed, focused: windowRegistry.focusedId === w.id,
      minimized: w.#minimized, destroyed: w.#destroyed, bounds: { ...w.#bounds }, raised: w.#raised,
    };
  }

  loadURL(url: string, options?: LoadURLOptions): Promise<void> {
    this.#alive();
    return this.webContents.loadURL(url, options);
  }

  show(): void {
    this.#alive();
    const wasVisible = this.#visible;
    this.#visible = true;
    this.#minimized = false;
    if (!wasVisible) this.emit('show', createEvent());
    this.focus();
    this.#changed('shown');
  }

  showInactive(): void {
    this.#alive();
    if (!this.#visible) {
      this.#visible = true;
      this.emit('show', createEvent());
      this.#changed('shown');
    }
  }

  hide(): void {
    this.#alive();
    if (!this.#visible) return;
    this.#visible = false;
    this.blur();
    this.emit('hide', createEvent());
    this.#changed('hidden');
  }

  focus(): void {
    this.#alive();
    if (windowRegistry.focusedId === this.id) return;
    const previous = BrowserWindow.getFocusedWindow();
    previous?.emit('blur', createEvent());
    windowRegistry.focusedId = this.id;
    this.emit('focus', createEvent());
    this.#changed('focused');
  }

  blur(): void {
    this.#alive();
    if (windowRegistry.focusedId !== this.id) return;
    windowRegistry.focusedId = undefined;
    this.emit('blur', createEvent());
  }

  /** Raised above the other windows (there is no window manager here to refuse it). */
  moveTop(): void {
    this.#alive();
    this.#raised++;
    this.#changed('raised');
  }

  isVisible(): boolean { this.#alive(); return this.#visible; }
  isFocused(): boolean { this.#alive(); return windowRegistry.focusedId === this.id; }
  isDestroyed(): boolean { return this.#destroyed; }
  isMinimized(): boolean { this.#alive(); return this.#minimized; }

  minimize(): void {
    this.#alive();
    this.#minimized = true;
    this.blur();
    this.emit('minimize', createEvent());
    this.#changed('minimized');
  }

  restore(): void {
    this.#alive();
    if (!this.#minimized) return;
    this.#minimized = false;
    this.emit('restore', createEvent());
    this.#changed('restored');
  }

  /** 'close' (preventable), then destroy. */
  #requestClose(): boolean {
    if (this.#destroyed) return true;
    const event = createEvent();
    this.emit('close', event);
    if (event.defaultPrevented) return false;
    this.destroy();
    return true;
  }

  close(): void {
    this.#alive();
    setImmediate(() => this.#requestClose());
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#visible = false;
    if (windowRegistry.focusedId === this.id) windowRegistry.focusedId = undefined;
    WebContents.destroy(this.webContents as unknown as WebContents);
    windowRegistry.all = windowRegistry.all.filter((w) => w.id !== this.id);
    this.emit('closed');
    this.#changed('closed');
    if (windowRegistry.all.length === 0) appInternals.allWindowsClosed();
  }

  getTitle(): string { this.#alive(); return this.#title; }
  setTitle(title: string): void { this.#alive(); this.#title = title; this.#changed('title'); }

  getBounds(): Rectangle { this.#alive(); return { ...this.#bounds }; }
  setBounds(bounds: Partial<Rectangle>): void {
    this.#alive();
    this.#bounds = { ...this.#bounds, ...bounds };
    void this.#resizePage();
  }
  getSize(): number[] { this.#alive(); return [this.#bounds.width, this.#bounds.height]; }
  setSize(width: number, height: number): void { this.setBounds({ width, height }); }
  getContentSize(): number[] { return this.getSize(); }

  async #resizePage(): Promise<void> {
    const wc = this.webContents as unknown as WebContents;
    await WebContents.opened(wc);
    await WebContents.page(wc)?.setViewportSize({ width: this.#bounds.width, height: this.#bounds.height });
    this.emit('resize', createEvent());
  }

  setMenuBarVisibility(): void { this.#alive(); }
  setAutoHideMenuBar(hide: boolean): void { this.#alive(); this.#autoHideMenuBar = hide; }
  isMenuBarAutoHide(): boolean { this.#alive(); return this.#autoHideMenuBar; }

  setIcon(icon: string): void {
    this.#alive();
    if (!imageSize(icon)) throw new Error(`Failed to load image from path '${icon}'`);
  }
}

recorder.sources.windows = () => windows.map((w) => BrowserWindow.snapshotOf(w));

export const webContents = {
  getAllWebContents: (): ElectronWebContents[] => allWebContents.slice() as unknown as ElectronWebContents[],
  fromId: (id: number): ElectronWebContents | undefined => allWebContents.find((w) => w.id === id) as unknown as ElectronWebContents | undefined,
  getFocusedWebContents: (): ElectronWebContents | null => (BrowserWindow.getFocusedWindow()?.webContents ?? null),
};

export { windows as windowList };

const exactWindow: OnlyElectronKeys<BrowserWindow, ElectronBrowserWindow> = true;
const exactWebContents: OnlyElectronKeys<WebContents, ElectronWebContents> = true;
const windowStatics: Pick<typeof ElectronBrowserWindow, 'getAllWindows' | 'getFocusedWindow' | 'fromWebContents' | 'fromId'> = BrowserWindow as unknown as typeof ElectronBrowserWindow;
void exactWindow; void exactWebContents; void windowStatics;
