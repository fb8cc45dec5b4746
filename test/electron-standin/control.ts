// The test's side door into a running app, over the Node IPC channel the test
// opened when it spawned the process (JSON messages; nothing listens on a
// port). Requests read what the app did (snapshot), act like the person at the
// desktop (click a tray menu item, act in a window, switch the OS to dark mode,
// suspend/resume) or take a screenshot; every recorder event is pushed as it
// happens. See driver.ts for the test side.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Page } from 'playwright-core';
import { app } from './app.ts';
import { BrowserWindow, WebContents, windowList } from './browser-window.ts';
import { createEvent } from './event.ts';
import { Notification, setSystemDark } from './desktop-services.ts';
import type { MenuItem } from './menu.ts';
import { powerMonitor } from './power-monitor.ts';
import { recorder } from './recorder.ts';
import { runtime } from './runtime.ts';
import { setOnline } from './session.ts';
import { Tray } from './tray.ts';

export type PageAction =
  | { action: 'click' | 'check' | 'uncheck' | 'textContent' | 'innerText' | 'count'; selector: string }
  | { action: 'fill'; selector: string; value: string }
  | { action: 'getAttribute'; selector: string; name: string }
  | { action: 'waitForSelector'; selector: string; state?: 'attached' | 'detached' | 'visible' | 'hidden'; timeout?: number }
  | { action: 'evaluate'; fn: string; arg?: unknown }
  | { action: 'waitForFunction'; fn: string; arg?: unknown; timeout?: number }
  | { action: 'screenshot'; path: string; colorScheme?: 'light' | 'dark' };

export type ControlRequest =
  | { op: 'snapshot' }
  | { op: 'tray.click'; tray?: number }
  | { op: 'menu.click'; id: string; tray?: number }
  | { op: 'page'; window: number; step: PageAction }
  | { op: 'window.close'; window: number }
  | { op: 'theme'; dark: boolean }
  | { op: 'power'; event: 'suspend' | 'resume' | 'lock-screen' | 'unlock-screen' | 'shutdown' }
  | { op: 'online'; online: boolean }
  /** What macOS does when the person clicks the app in the Dock or opens it again from Finder while it runs. */
  | { op: 'app.activate' }
  /** The person clicks a shown notification (index in order of creation). */
  | { op: 'notification.click'; index: number };

function findItem(items: readonly MenuItem[], id: string): MenuItem | undefined {
  for (const item of items) {
    if (item.id === id) return item;
    const sub = item.submenu as unknown as { items: MenuItem[] } | undefined;
    const found = sub ? findItem(sub.items, id) : undefined;
    if (found) return found;
  }
  return undefined;
}

function trayAt(index = 0): Tray {
  const tray = Tray.all()[index];
  if (!tray || tray.isDestroyed()) throw new Error(`no tray #${index}`);
  return tray;
}

async function pageOf(windowId: number): Promise<Page> {
  const win = windowList.find((w) => w.id === windowId && !w.isDestroyed());
  if (!win) throw new Error(`no window #${windowId}`);
  const wc = win.webContents as unknown as WebContents;
  await WebContents.opened(wc);
  const page = WebContents.page(wc);
  if (!page) throw new Error(`window #${windowId} has no page`);
  return page;
}

/** Runs `fn` (a function's source) in the page's main world, like the person at the window would. */
const asFunction = (source: string) => `(${source})`;

async function pageStep(page: Page, step: PageAction): Promise<unknown> {
  switch (step.action) {
    case 'click': return page.click(step.selector, { timeout: 10_000 });
    case 'check': return page.check(step.selector, { timeout: 10_000 });
    case 'uncheck': return page.uncheck(step.selector, { timeout: 10_000 });
    case 'fill': return page.fill(step.selector, step.value, { timeout: 10_000 });
    case 'textContent': return page.textContent(step.selector, { timeout: 10_000 });
    case 'innerText': return page.innerText(step.selector, { timeout: 10_000 });
    case 'count': return page.locator(step.selector).count();
    case 'getAttribute': return page.getAttribute(step.selector, step.name, { timeout: 10_000 });
    case 'waitForSelector': await page.waitForSelector(step.selector, { state: step.state ?? 'visible', timeout: step.timeout ?? 15_000 }); return null;
    case 'evaluate': return page.evaluate(`${asFunction(step.fn)}(${JSON.stringify(step.arg ?? null)})`);
    case 'waitForFunction': {
      // Polled from here through CDP: Playwright's in-page polling compiles the
      // predicate with eval, which the app's CSP (rightly) refuses.
      const expression = `(async () => (${step.fn})(${JSON.stringify(step.arg ?? null)}))()`;
      const deadline = Date.now() + (step.timeout ?? 15_000);
      for (;;) {
        if (await page.evaluate(expression).catch(() => false)) return null;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${step.fn}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    case 'screenshot': {
      mkdirSync(dirname(step.path), { recursive: true });
      if (step.colorScheme) await page.emulateMedia({ colorScheme: step.colorScheme });
      await page.screenshot({ path: step.path, type: 'png' });
      return step.path;
    }
  }
}

async function handle(request: ControlRequest): Promise<unknown> {
  switch (request.op) {
    case 'snapshot':
      return recorder.snapshot();
    case 'tray.click':
      Tray.click(trayAt(request.tray));
      return null;
    case 'menu.click': {
      const menu = Tray.contextMenuOf(trayAt(request.tray));
      const item = menu ? findItem(menu.items as unknown as MenuItem[], request.id) : undefined;
      if (!item) throw new Error(`the tray menu has no item "${request.id}"`);
      if (!item.enabled || !item.visible) throw new Error(`the tray menu item "${request.id}" is ${item.enabled ? 'hidden' : 'disabled'}`);
      const focused = BrowserWindow.getFocusedWindow();
      item.click(undefined, focused as never, focused?.webContents);
      return null;
    }
    case 'page':
      return pageStep(await pageOf(request.window), request.step);
    case 'window.close': {
      // The window's close button: 'close' (which the app may prevent), then 'closed'.
      const win = BrowserWindow.fromId(request.window);
      if (!win || win.isDestroyed()) throw new Error(`no window #${request.window}`);
      win.close();
      return null;
    }
    case 'theme':
      setSystemDark(request.dark);
      await Promise.all(windowList.filter((w) => !w.isDestroyed()).map(async (w) => (await pageOf(w.id)).emulateMedia({ colorScheme: request.dark ? 'dark' : 'light' })));
      return null;
    case 'power':
      powerMonitor.emit(request.event, { preventDefault() {}, defaultPrevented: false });
      return null;
    case 'online':
      setOnline(request.online);
      return null;
    case 'app.activate':
      app.emit('activate', createEvent(), BrowserWindow.getAllWindows().some((w) => w.isVisible()));
      return null;
    case 'notification.click':
      Notification.click(request.index);
      return null;
  }
}

/** Listens on the IPC channel when the process has one (spawned by a test). */
export function enableControl(): void {
  const send = process.send?.bind(process);
  if (!send) return;
  recorder.events.on('event', (kind: string, data: unknown) => {
    if (process.connected && !runtime.exiting) send({ event: kind, data });
  });
  process.on('message', (message: { id: number; request: ControlRequest }) => {
    void handle(message.request).then(
      (value) => { if (process.connected) send({ id: message.id, ok: true, value: value ?? null }); },
      (error: unknown) => { if (process.connected) send({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) }); },
    );
  });
  // The channel must not keep the app alive by itself, nor end it: the app quits when it quits.
  process.channel?.unref();
}
