// The packaged-shape app in real Electron (Playwright _electron). Runs only
// where an Electron binary exists (ELECTRON_OVERRIDE_DIST_PATH or a downloaded
// node_modules/electron/dist); otherwise it says why it skipped.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../tools/build.ts';
import { findElectronBinary } from '../../tools/electron-binary.ts';

const root = join(import.meta.dirname, '..', '..');
const electron = findElectronBinary();
if (!electron.found) console.warn(`[electron e2e] skipped: ${electron.why}`);

describe.skipIf(!electron.found)('desktop app in Electron', () => {
  let app: ElectronApplication;
  let home = '';

  beforeAll(async () => {
    if (!electron.found) return;
    home = await mkdtemp(join(tmpdir(), 'da-electron-'));
    await buildApp();
    app = await _electron.launch({
      executablePath: electron.path,
      args: [root, '--no-sandbox'],
      env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_STATE_HOME: join(home, '.state'), ELECTRON_ENABLE_LOGGING: '1' },
    });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('opens the status window from app://, isolated, against the embedded sandbox', async () => {
    const win = await app.firstWindow();
    await win.waitForSelector('html[data-ready="true"]');
    expect(win.url()).toBe('app://ui/index.html');
    expect(await win.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await win.evaluate(() => Object.keys((window as unknown as { deviceAgent: object }).deviceAgent).length)).toBe(9);
    await win.waitForFunction(() => document.querySelector('#badge')?.textContent?.includes('sandbox'));
    // No Node in the page (nodeIntegration off, sandboxed preload, isolated world).
    expect(await win.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
    const csp = await win.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'));
    expect(csp).toContain("script-src 'self'");
  });

  it('refuses window.open and navigation away', async () => {
    const win = await app.firstWindow();
    expect(await win.evaluate(() => window.open('https://example.com'))).toBeNull();
    await win.evaluate(() => { location.href = 'https://example.com/'; });
    await new Promise((r) => setTimeout(r, 500));
    expect(win.url()).toBe('app://ui/index.html');
  });

  it('keeps running with no window (tray app)', async () => {
    const win = await app.firstWindow();
    await win.close();
    await new Promise((r) => setTimeout(r, 300));
    expect(await app.evaluate(({ app: a }) => a.isReady())).toBe(true);
  });
});
