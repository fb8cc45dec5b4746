// The stand-in fails where Electron 45 fails, with Electron's messages (read from
// electron/electron: lib/browser/api/*.ts, lib/sandboxed_renderer/, the
// "before ready" checks in shell/browser/api/*.cc, ipc-dispatch.ts), and works
// where it works. A probe app (fixtures/probe) pokes at it and reports.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserServer } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchStandin, startBrowserServer } from './driver.ts';
import { DEFAULT_CHROMIUM, type SafeStorageBackend } from './options.ts';

type Outcome = { ok: true; value: unknown } | { ok: false; error: string };
const PROBE = join(import.meta.dirname, 'fixtures', 'probe', 'main.mjs');

describe.skipIf(!existsSync(DEFAULT_CHROMIUM))('the Electron stand-in', () => {
  let browser: BrowserServer;
  let dir = '';
  const results: Partial<Record<SafeStorageBackend, Record<string, Outcome>>> = {};

  async function probe(backend: SafeStorageBackend): Promise<Record<string, Outcome>> {
    const home = join(dir, backend);
    const app = launchStandin({
      main: PROBE,
      env: { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local', 'share'), ELECTRON_STANDIN_BROWSER_WS: browser.wsEndpoint(), ELECTRON_STANDIN_SAFE_STORAGE: backend },
    });
    const exit = await app.exited;
    const line = app.stdout().split('\n').find((l) => l.startsWith('PROBE '));
    if (exit.code !== 0 || !line) throw new Error(`the probe failed (exit ${exit.code}):\n${app.stdout()}\n${app.stderr()}`);
    return JSON.parse(line.slice('PROBE '.length)) as Record<string, Outcome>;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'da-standin-'));
    browser = await startBrowserServer();
    const backends: SafeStorageBackend[] = ['gnome_libsecret', 'basic_text', 'basic_text_secret_service', 'unavailable'];
    const outcomes = await Promise.all(backends.map(probe));
    backends.forEach((b, i) => { results[b] = outcomes[i]; });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const r = (key: string, backend: SafeStorageBackend = 'gnome_libsecret') => results[backend]?.[key];
  const error = (message: string) => ({ ok: false, error: message });
  const value = (v: unknown) => ({ ok: true, value: v });

  it('refuses what Electron refuses before ready, with its messages', () => {
    expect(r('beforeReady.BrowserWindow')).toEqual(error('Cannot create BrowserWindow before app is ready'));
    expect(r('beforeReady.Tray')).toEqual(error('Cannot create Tray before app is ready'));
    expect(r('beforeReady.Notification')).toEqual(error('Cannot create Notification before app is ready'));
    expect(r('beforeReady.protocol.handle')).toEqual(error('Session can only be received when app is ready'));
    expect(r('beforeReady.net.fetch')).toEqual(error('Session can only be received when app is ready'));
    expect(r('beforeReady.screen')).toEqual(error("The 'screen' module can't be used before the app 'ready' event"));
    expect(r('beforeReady.safeStorage.encryptString')).toEqual(error('safeStorage cannot be used before app is ready'));
    expect(r('beforeReady.safeStorage.encryptStringAsync')).toEqual(error('safeStorage cannot be used before app is ready'));
    expect(r('beforeReady.safeStorage.isEncryptionAvailable')).toEqual(value(false));
    expect(r('beforeReady.safeStorage.backend')).toEqual(value('unknown'));
  });

  it('allows what Electron 45 allows before ready (powerMonitor listeners since #37937) and reads name and version from package.json', () => {
    expect(r('beforeReady.powerMonitor.on')).toEqual(value('listening'));
    expect(r('name')).toEqual(value('Standin Probe 1.2.3'));
  });

  it('refuses registering privileged schemes after ready', () => {
    expect(r('afterReady.registerSchemesAsPrivileged')).toEqual(error('protocol.registerSchemesAsPrivileged should be called before app is ready'));
    expect(r('afterReady.screen')).toEqual(value(1920));
  });

  it('refuses tray images Electron cannot load on Linux, and a destroyed tray', () => {
    expect(r('tray.missingImage')).toMatchObject({ ok: false, error: expect.stringMatching(/^Failed to load image from path '.*no-such-icon\.png'$/) });
    expect(r('tray.icoOnLinux')).toMatchObject({ ok: false, error: expect.stringMatching(/^Failed to load image from path '.*\.ico'$/) });
    expect(r('tray.destroyed')).toEqual(error('Tray is destroyed'));
  });

  it('validates menu templates and ticks a checkbox before its handler runs', () => {
    expect(r('menu.notArray')).toEqual(error('Invalid template for Menu: Menu template must be an array'));
    expect(r('menu.noLabel')).toEqual(error('Invalid template for MenuItem: must have at least one of label, role or type'));
    expect(r('menu.checkbox')).toEqual(value('1 items, handler saw checked=true'));
    expect(r('ipcMain.secondHandler')).toEqual(error("Attempted to register a second handler for 'echo'"));
  });

  it('net.fetch refuses the request headers Chromium refuses, and keeps Date and Authorization', () => {
    for (const header of ['Host', 'Content-Length', 'Transfer-Encoding', 'Keep-Alive', 'Upgrade', 'Trailer', 'Te', 'Cookie2', 'Set-Cookie']) {
      expect(r(`net.fetch.header.${header}`), header).toEqual(error('net::ERR_INVALID_ARGUMENT'));
    }
    expect(r('net.fetch.allowedHeaders')).toEqual(value('Mon, 01 Jan 2024 00:00:00 GMT x'));
  });

  it("net.fetch handles redirects and network errors as Electron's ClientRequest does", () => {
    expect(r('net.fetch.redirect.manual')).toEqual(error('Redirect was cancelled'));
    expect(r('net.fetch.redirect.error')).toEqual(error("Attempted to redirect, but redirect policy was 'error'"));
    expect(r('net.fetch.redirect.follow')).toEqual(value(200));
    expect(r('net.fetch.refused')).toEqual(error('net::ERR_CONNECTION_REFUSED'));
  });

  it('net.request reports a redirect (status, method, target, headers as lists) and dies unless followed, as Electron\'s ClientRequest', () => {
    expect(r('beforeReady.net.request')).toEqual(error('Session can only be received when app is ready'));
    expect(r('net.request.redirect.manual')).toEqual(value('redirect 302 GET /echo location=true; error Redirect was cancelled'));
    expect(r('net.request.redirect.manual.follow')).toEqual(value('redirect 302 GET /echo location=true; response 200'));
    expect(r('net.request.redirect.error')).toEqual(value("error Attempted to redirect, but redirect policy was 'error'"));
    expect(r('net.request.header.Host')).toEqual(value('error net::ERR_INVALID_ARGUMENT'));
  });

  it('net.request takes electron-updater\'s options (URL in parts, headers, its own partition\'s session) and refuses what Electron refuses', () => {
    expect(r('beforeReady.session.fromPartition')).toEqual(error('Session can only be received when app is ready'));
    expect(r('net.request.options')).toEqual(value('200 yes string same-session=true'));
    expect(r('net.request.badSession')).toEqual(error('`session` should be an instance of the Session class'));
    expect(r('net.request.pathWithSpace')).toEqual(error('Request path contains unescaped characters'));
    expect(r('net.request.ftp')).toEqual(error('ClientRequest only supports http: and https: protocols'));
  });

  it('net.request: a body cut short destroys the response and fails the request with the net error', () => {
    // Electron: URLLoader 'error' → response.destroy(error) (emitted on the next tick), then _die(error),
    // which emits at once on a request already destroyed (autoDestroy after its body was sent).
    expect(r('net.request.cutBody')).toEqual(value('response 200; data 10; error net::ERR_CONTENT_LENGTH_MISMATCH; response error net::ERR_CONTENT_LENGTH_MISMATCH'));
  });

  it('has Electron\'s autoUpdater as on Linux (no feed, no check; quitAndInstall only emits before-quit-for-update) and process.resourcesPath', () => {
    expect(r('autoUpdater')).toEqual(value('feed="" before-quit-for-update'));
    expect(r('resourcesPath')).toEqual(value(true));
  });

  it('loads the page through protocol.handle at its app URL, with the handler\'s CSP enforced by Chromium', () => {
    const good = r('good')?.ok ? (r('good') as { value: Record<string, unknown> }).value : {};
    expect(good.url).toBe('probe://t/index.html');
    expect(good.dataset).toEqual({ script: 'ran' }); // the inline script was blocked by script-src 'self'
  });

  it('runs the preload before the page in an isolated world, and contextBridge copies, freezes and proxies', () => {
    const good = (r('good') as { value: Record<string, unknown> }).value;
    expect(good.preloadError).toBeNull();
    expect(good.page).toEqual({ hasApi: true, keys: ['add', 'invoke', 'onPush', 'urlHost', 'processType', 'canRequire'], frozen: true, syncAdd: 5, preloadGlobal: 'undefined', require: 'undefined', process: 'undefined' });
    expect(good.typeofUnsubscribe).toBe('function'); // a function returned synchronously across worlds
    expect(good.exposeOverExisting).toBe('Cannot bind an API on top of an existing property on the window object');
    expect(good.processType).toBe('renderer sandboxed=true isolated=true');
    expect(good.urlHost).toBe('example.com:8443');
  });

  it("allows a sandboxed preload only Electron's module list", () => {
    const good = (r('good') as { value: Record<string, unknown> }).value;
    expect(good.requireFs).toBe('module not found: fs');
    expect(good.requireTimers).toBe('ok');
    expect(r('localRequire')).toEqual(value({ preloadError: 'module not found: ./helper.cjs', hasApi: 'undefined' }));
    expect(r('esm')).toEqual(value({ preloadError: 'Cannot use import statement outside a module', hasApi: 'undefined' }));
  });

  it('crosses IPC with structured clones, the real page URL as sender, and Electron\'s rejection without a handler', () => {
    const good = (r('good') as { value: Record<string, unknown> }).value;
    expect(good.echo).toEqual({ n: 42, at: true, senderUrl: 'probe://t/index.html' });
    expect(good.noHandler).toBe("Error invoking remote method 'nope': Error: No handler registered for 'nope'");
    expect(good.received).toEqual(['hello']);
    expect(good.receivedAfterUnsubscribe).toEqual(['hello']);
  });

  it('safeStorage with a working keyring: Chromium\'s v11 under the keyring key, sync and async', () => {
    expect(r('afterReady.safeStorage.backend')).toEqual(value('gnome_libsecret'));
    expect(r('afterReady.safeStorage.isEncryptionAvailable')).toEqual(value(true));
    expect(r('afterReady.safeStorage.encryptString')).toEqual(value('v11'));
    expect(r('afterReady.safeStorage.encryptStringAsync')).toEqual(value('v11 secret reencrypt=false'));
  });

  it('safeStorage without a keyring (basic_text): the backend shows right after ready, sync refuses, async uses the fixed v10 key', () => {
    const b = 'basic_text';
    expect(r('afterReady.safeStorage.backend', b)).toEqual(value('basic_text'));
    expect(r('afterReady.safeStorage.isEncryptionAvailable', b)).toEqual(value(false));
    expect(r('afterReady.safeStorage.encryptString', b)).toEqual(error('Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.'));
    expect(r('afterReady.safeStorage.isAsyncEncryptionAvailable', b)).toEqual(value(true));
    expect(r('afterReady.safeStorage.encryptStringAsync', b)).toEqual(value('v10 secret reencrypt=false'));
    expect(r('afterReady.safeStorage.plainTextEncryption', b)).toEqual(value('v10'));
    // No keyring answered the async API either: keyring ciphertext has no key this session.
    expect(r('afterReady.safeStorage.decryptKeyringCipher', b)).toEqual(error('safeStorage.decryptStringAsync is temporarily unavailable. Please try again.'));
  });

  it('safeStorage on a desktop Chromium does not know, with a Secret Service: the sync API says basic_text, the async API uses the keyring (v11)', () => {
    const b = 'basic_text_secret_service';
    expect(r('afterReady.safeStorage.backend', b)).toEqual(value('basic_text'));
    expect(r('afterReady.safeStorage.isEncryptionAvailable', b)).toEqual(value(false));
    expect(r('afterReady.safeStorage.encryptStringAsync', b)).toEqual(value('v11 secret reencrypt=false'));
  });

  it('safeStorage with a keyring that does not answer: keyring ciphertext is "temporarily unavailable"', () => {
    const b = 'unavailable';
    expect(r('afterReady.safeStorage.backend', b)).toEqual(value('gnome_libsecret'));
    expect(r('afterReady.safeStorage.isEncryptionAvailable', b)).toEqual(value(false));
    expect(r('afterReady.safeStorage.encryptStringAsync', b)).toEqual(value('v10 secret reencrypt=false'));
    expect(r('afterReady.safeStorage.decryptKeyringCipher', b)).toEqual(error('safeStorage.decryptStringAsync is temporarily unavailable. Please try again.'));
  });
});
