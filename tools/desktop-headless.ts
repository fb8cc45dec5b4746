// `npm run desktop:headless`: the built desktop app (dist/main, dist/preload,
// dist/renderer — built first if stale) on the Electron stand-in, with no
// display. One line per tray change on stdout, `tray: <state> <tooltip>` (or
// `tray: hidden` under the managed trayIcon policy), one per notification; with
// DEVICE_AGENT_SCREENSHOTS=<dir>, a PNG of each window when it is shown, at its
// real size. Everything the app writes stays in its user-data folder
// (DEVICE_AGENT_USER_DATA, default a new temporary folder): settings, logs,
// engine state, the autostart entry, the stand-in's keyring. SIGTERM quits like
// the tray's Quit. DEVICE_AGENT_MANAGED_CONFIG points the app at a managed file.
//
//   npm run desktop:headless [-- --dist <folder>] [-- <app arguments, e.g. --hidden>]
import '../test/electron-standin/register.ts';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appBuildStaleness, buildApp, DEFAULT_OUT_DIR } from './build.ts';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');

/** The tray's state word from its tooltip ("<product name> — Needs attention: …" → attention), under any branding. */
export function trayStateOf(tooltip: string): string {
  const word = /^[^—]+ — ([^:—]+)/.exec(tooltip)?.[1]?.trim() ?? 'unknown';
  return word === 'Needs attention' ? 'attention' : word.toLowerCase();
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let dist = DEFAULT_OUT_DIR;
  const distAt = args.indexOf('--dist');
  if (distAt >= 0) {
    dist = resolve(args[distAt + 1] ?? '');
    args.splice(distAt, 2);
  } else {
    const stale = appBuildStaleness(dist);
    if (stale) {
      process.stderr.write(`desktop:headless: building the app first (${stale})\n`);
      await buildApp(dist, { cli: false });
    }
  }

  const given = process.env.DEVICE_AGENT_USER_DATA;
  const userData = given && isAbsolute(given) ? given : mkdtempSync(join(tmpdir(), 'device-agent-headless-'));
  mkdirSync(userData, { recursive: true });
  process.env.DEVICE_AGENT_USER_DATA = userData;
  process.env.XDG_STATE_HOME = join(userData, 'state');
  process.env.XDG_CONFIG_HOME = join(userData, 'xdg-config');
  process.env.ELECTRON_STANDIN_KEYRING ??= join(userData, 'keyring');
  process.env.ELECTRON_STANDIN_APP_PATH ??= root;
  process.stderr.write(`desktop:headless: user data in ${userData}\n`);

  const { recorder } = await import('../test/electron-standin/recorder.ts');
  const { startApp } = await import('../test/electron-standin/start.ts');
  const screenshots = process.env.DEVICE_AGENT_SCREENSHOTS;

  // stdout is this tool's output; when its reader is gone (a closed pipe), nobody is
  // watching the app any more: it quits as SIGTERM makes it.
  let readerGone = false;
  process.stdout.on('error', () => {
    if (readerGone) return;
    readerGone = true;
    process.kill(process.pid, 'SIGTERM');
  });

  let lastLine = '';
  recorder.events.on('event', (kind: string, data: unknown) => {
    if (kind === 'tray') {
      const tray = data as { tooltip: string; destroyed: boolean };
      const print = (line: string) => {
        if (line !== lastLine && !readerGone) process.stdout.write(`${line}\n`);
        lastLine = line;
      };
      if (!tray.destroyed && tray.tooltip !== '') print(`tray: ${trayStateOf(tray.tooltip)} ${tray.tooltip}`);
      // Removed while the app runs on: the managed trayIcon policy hides it. Quitting removes
      // it too, and asks the app to quit right after (the same tick): that is not printed.
      if (tray.destroyed) setImmediate(() => { if (!recorder.sources.quitting()) print('tray: hidden (trayIcon policy)'); });
    }
    if (kind === 'notification' && !readerGone) {
      const n = data as { title: string; body: string };
      process.stdout.write(`notification: ${n.title} — ${n.body}\n`);
    }
    if (kind === 'window' && screenshots) {
      const { what, window } = data as { what: string; window: { id: number } };
      if (what === 'shown') void screenshot(screenshots, window.id);
    }
    if (kind === 'main-error') process.stderr.write(`desktop:headless: main process error: ${String(data)}\n`);
  });

  let shots = 0;
  async function screenshot(dir: string, windowId: number): Promise<void> {
    const { windowList, WebContents } = await import('../test/electron-standin/browser-window.ts');
    const win = windowList.find((w) => w.id === windowId);
    if (!win) return;
    const wc = win.webContents as unknown as InstanceType<typeof WebContents>;
    await WebContents.opened(wc);
    const page = WebContents.page(wc);
    if (!page) return;
    // The window fills itself in from the bridge; wait for it (or at most 10 s).
    await page.waitForSelector('html[data-ready="true"]', { state: 'attached', timeout: 10_000 }).catch(() => undefined);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `window-${windowId}-${++shots}.png`);
    await page.screenshot({ path, type: 'png' }).then(
      () => process.stderr.write(`desktop:headless: screenshot ${path}\n`),
      (error: unknown) => process.stderr.write(`desktop:headless: screenshot failed: ${(error as Error).message}\n`),
    );
  }

  await startApp(join(dist, 'main', 'index.js'), args);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    process.stderr.write(`desktop:headless: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
