// The stand-in's "browser process": its options, whether the app is ready, the
// real Chromium behind every BrowserWindow (one browser context = Electron's
// default session), and how the process ends.
import { standinLocale } from './locale.ts';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import type { StandinOptions } from './options.ts';

/** Chromium flags for a headless, quiet browser (no background traffic, no GPU). */
export function chromiumArgs(): string[] {
  const args = ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-default-apps', '--disable-features=Translate,MediaRouter'];
  if (process.getuid?.() === 0) args.unshift('--no-sandbox');
  return args;
}

class Runtime {
  #options: StandinOptions | undefined;
  #ready = false;
  #exiting = false;
  #browser: Browser | undefined;
  #context: BrowserContext | undefined;
  readonly #exitHooks: (() => void | Promise<void>)[] = [];
  #keepAlive: ReturnType<typeof setInterval> | undefined;

  configure(options: StandinOptions): void {
    this.#options = options;
    // Electron runs until it quits, whatever Node's event loop holds.
    this.#keepAlive = setInterval(() => undefined, 1 << 30);
  }

  get options(): StandinOptions {
    if (!this.#options) throw new Error('the Electron stand-in is not configured (start the app with test/electron-standin/boot.ts)');
    return this.#options;
  }

  get ready(): boolean { return this.#ready; }
  get exiting(): boolean { return this.#exiting; }

  markReady(): void { this.#ready = true; }

  /** Launches Chromium (or connects to the shared one) and opens the default session's context. */
  async startBrowser(): Promise<void> {
    const o = this.options;
    this.#browser = o.browserWsEndpoint
      ? await chromium.connect(o.browserWsEndpoint)
      : await chromium.launch({ executablePath: o.chromiumPath, args: chromiumArgs() });
    this.#context = await this.#browser.newContext({ viewport: { width: 800, height: 600 }, deviceScaleFactor: 1, colorScheme: 'light', locale: standinLocale(), acceptDownloads: false, serviceWorkers: 'block' });
  }

  get context(): BrowserContext {
    if (!this.#context) throw new Error('Chromium is not running yet (the app is not ready)');
    return this.#context;
  }

  onExit(hook: () => void | Promise<void>): void {
    this.#exitHooks.push(hook);
  }

  /** Ends the process like Electron does after `quit`: windows and browser go, pending Node work is dropped. */
  async exit(code: number): Promise<void> {
    if (this.#exiting) return;
    this.#exiting = true;
    const bounded = (p: Promise<unknown>) => Promise.race([p.catch(() => undefined), new Promise((r) => setTimeout(r, 3000).unref())]);
    for (const hook of this.#exitHooks) await bounded(Promise.resolve().then(hook));
    if (this.#context) await bounded(this.#context.close());
    if (this.#browser) await bounded(this.#browser.close());
    clearInterval(this.#keepAlive);
    process.removeAllListeners('exit'); // Electron emitted 'exit' on quit already
    process.exit(code);
  }
}

export const runtime = new Runtime();
