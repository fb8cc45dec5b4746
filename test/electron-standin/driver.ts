// The test side of the stand-in: starts an Electron main script on it as a
// child process (so signals, exit codes, the single-instance lock and
// module-level side effects are real) and talks to it over the IPC channel
// (control.ts): read what the app did, click, act in its windows, screenshot.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { chromium, type BrowserServer } from 'playwright-core';
import type { ControlRequest, PageAction } from './control.ts';
import { DEFAULT_CHROMIUM } from './options.ts';
import type { StandinSnapshot, WindowSnapshot } from './recorder.ts';
import { chromiumArgs } from './runtime.ts';

const BOOT = join(import.meta.dirname, 'boot.ts');

/** One Chromium for many app processes (each gets its own browser context); a test file starts one. */
export function startBrowserServer(executablePath = DEFAULT_CHROMIUM): Promise<BrowserServer> {
  return chromium.launchServer({ executablePath, args: chromiumArgs() });
}

export interface StandinEvent { event: string; data: unknown }

export interface LaunchOptions {
  /** The Electron main script (e.g. a build's main/index.js). */
  main: string;
  args?: string[];
  /** The whole environment of the app (nothing is inherited). */
  env: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface StandinApp {
  readonly process: ChildProcess;
  readonly events: StandinEvent[];
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  request<T = unknown>(request: ControlRequest): Promise<T>;
  snapshot(): Promise<StandinSnapshot>;
  /** Polls the snapshot until `check` returns something other than undefined/false. */
  waitFor<T>(what: string, check: (s: StandinSnapshot) => T | undefined | false, timeoutMs?: number): Promise<T>;
  /** The first visible window (waits for one). */
  window(timeoutMs?: number): Promise<WindowSnapshot>;
  page<T = unknown>(windowId: number, step: PageAction): Promise<T>;
  clickMenuItem(id: string): Promise<void>;
  signal(signal: NodeJS.Signals): void;
  /** Ends the process if it still runs (SIGKILL after a grace period). */
  stop(): Promise<void>;
}

export function launchStandin(options: LaunchOptions): StandinApp {
  const child = spawn(process.execPath, [BOOT, options.main, ...(options.args ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: options.env,
    cwd: options.cwd ?? process.cwd(),
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => { out += d; });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => { err += d; });
  const events: StandinEvent[] = [];
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      for (const p of pending.values()) p.reject(new Error(`the app exited (code ${code}, signal ${signal}) before answering`));
      pending.clear();
      resolve({ code, signal });
    });
  });
  child.on('message', (message: { id?: number; ok?: boolean; value?: unknown; error?: string; event?: string; data?: unknown }) => {
    if (message.event) {
      events.push({ event: message.event, data: message.data });
      return;
    }
    const p = pending.get(message.id ?? -1);
    if (!p) return;
    pending.delete(message.id as number);
    if (message.ok) p.resolve(message.value);
    else p.reject(new Error(message.error));
  });

  const describe = () => `\n--- app stdout ---\n${out.slice(-4000)}\n--- app stderr ---\n${err.slice(-4000)}`;

  const app: StandinApp = {
    process: child,
    events,
    stdout: () => out,
    stderr: () => err,
    exited,
    request<T>(request: ControlRequest): Promise<T> {
      if (!child.connected) return Promise.reject(new Error(`the app is not running${describe()}`));
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, request });
      });
    },
    snapshot: () => app.request<StandinSnapshot>({ op: 'snapshot' }),
    async waitFor(what, check, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      let last: StandinSnapshot | undefined;
      while (Date.now() < deadline) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the app ended while waiting for ${what}${describe()}`);
        last = await app.snapshot();
        const result = check(last);
        if (result !== undefined && result !== false) return result;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last snapshot: ${JSON.stringify({ trays: last?.trays, windows: last?.windows, mainErrors: last?.mainErrors, preloadErrors: last?.preloadErrors, console: last?.console.slice(-10) })}${describe()}`);
    },
    window: (timeoutMs) => app.waitFor('a visible window', (s) => s.windows.find((w) => w.visible && !w.destroyed), timeoutMs),
    page: <T>(windowId: number, step: PageAction) => app.request<T>({ op: 'page', window: windowId, step }),
    clickMenuItem: async (id) => { await app.request({ op: 'menu.click', id }); },
    signal(signal) {
      child.kill(signal);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
      await exited;
      clearTimeout(timer);
    },
  };
  return app;
}
