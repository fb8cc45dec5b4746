// Serves the built status window over loopback HTTP (with the app:// CSP) and
// gives it a test bridge of the contract's exact shape, wired to the REAL
// shell services (IPC validation, settings, vault, engine runner) driving the
// REAL engine against the REAL sandbox. Only the OS keyring (safeStorage) and
// the clipboard are stand-ins.
import Conf from 'conf';
import { build } from 'esbuild';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startSandbox, type Sandbox } from '../../sandbox/server.ts';
import { createAgentHost, type AgentHost } from '../../main/agent-host.ts';
import { handleAppRequest } from '../../main/app-protocol.ts';
import { createAutostart } from '../../main/autostart.ts';
import type { KeyValueStore } from '../../main/electron-seam.ts';
import { createEngine } from '../../main/engine-factory.ts';
import { createEngineRunner } from '../../main/engine-runner.ts';
import { createDispatcher, type Dispatch } from '../../main/ipc-handlers.ts';
import { desktopEntryFile } from '../../main/linux-desktop-entry.ts';
import { createSecretVault } from '../../main/secrets.ts';
import { createShellServices, SETTINGS_KEY, type ShellServices } from '../../main/shell-services.ts';
import { aesSafeStorage, recordingLog } from '../support/electron-fakes.ts';
import { buildApp } from '../../tools/build.ts';

export interface Harness {
  origin: string;
  sandbox: Sandbox;
  host: AgentHost;
  services: ShellServices;
  dispatch: Dispatch;
  clipboard: string[];
  dir: string;
  settingsFile: string;
  log: ReturnType<typeof recordingLog>;
  attach(context: BrowserContext): Promise<void>;
  close(): Promise<void>;
}

/** The page's bridge: test/renderer/page-bridge.ts bundled for the browser (the contract's createBridge). */
async function pageBridgeScript(): Promise<string> {
  const built = await build({ entryPoints: [join(import.meta.dirname, 'page-bridge.ts')], bundle: true, format: 'iife', platform: 'browser', write: false });
  return built.outputFiles[0]!.text;
}

/** `managed`: values of a machine-wide managed configuration (they win and are locked). */
export async function startHarness(managedValues?: Record<string, unknown>): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'da-renderer-'));
  const dist = join(dir, 'dist');
  await buildApp(dist);
  const bridgeScript = await pageBridgeScript();
  const sandbox = await startSandbox({ port: 0, rsaBits: 1024 });
  const log = recordingLog();

  const conf = new Conf<Record<string, unknown>>({ cwd: join(dir, 'settings'), projectName: 'device-agent-test', configName: 'settings' });
  const store: KeyValueStore = { get: (k) => conf.get(k), set: (k, v) => conf.set(k, v), delete: (k) => conf.delete(k) };
  const vault = createSecretVault(aesSafeStorage(), store, 'linux', log);
  const autostart = createAutostart({ platform: 'linux', app: { setLoginItemSettings() {}, getLoginItemSettings: () => ({}) as never }, desktopEntry: desktopEntryFile(join(dir, 'autostart', 'device-agent.desktop')), launchArgv: ['/opt/Device Agent/device-agent', '--hidden'] });
  const host = createAgentHost(log);
  const stateDir = join(dir, 'state');
  const runner = createEngineRunner({ host, log, stateDir, createAgent: createEngine, isPackaged: true, appVersion: '0.1.0-test' });
  const clipboard: string[] = [];
  const managed = managedValues ? { state: 'ok' as const, managed: {
    path: '/etc/device-agent/config.json',
    locked: Object.keys(managedValues),
    layer: { values: { ...managedValues }, origin: Object.fromEntries(Object.keys(managedValues).map((k) => [k, 'managed config'])) },
  } } : { state: 'none' as const, path: '/etc/device-agent/config.json' };
  const services = createShellServices({
    host, runner, store, vault, autostart, managed, stateDir, log,
    clipboard: { writeText: (t) => { clipboard.push(t); } },
    diagnostics: { dir: join(dir, 'diagnostics'), logFiles: () => [join(stateDir, 'logs', 'agent.log')], appVersion: '0.1.0-test', platform: 'linux test' },
  });

  // What a person would have entered: the sandbox's demo product and license, HMAC credentials.
  store.set(SETTINGS_KEY, { authMethod: 'hmac', apiUrl: sandbox.url, apiKey: sandbox.demo.apiKey, product: sandbox.demo.product, licenseKey: sandbox.demo.licenseKey, autoActivate: true });
  await vault.set('sharedKey', sandbox.demo.sharedKey, { apiUrl: new URL(sandbox.url).origin, tokenUrl: 'https://auth.licensespring.com' });
  await services.applySettings();

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    void handleAppRequest({ url: `app://ui${url.pathname}`, method: req.method ?? 'GET' }, join(dist, 'renderer')).then(async (r) => {
      res.writeHead(r.status, Object.fromEntries(r.headers));
      res.end(Buffer.from(await r.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const dispatch = createDispatcher(services.handlers, log, (url) => url.startsWith(`${origin}/`));

  const pages = new Set<Page>();
  // Pushed in order, one after the other (as webContents.send delivers them): a
  // status that overtook a later one would leave the window showing the past.
  let pushes: Promise<unknown> = Promise.resolve();
  host.onStatus((status) => {
    pushes = pushes.then(async () => {
      const view = services.toStatusView(status, await services.startAtLogin());
      for (const p of pages) if (!p.isClosed()) await p.evaluate((s) => (window as unknown as { __deviceAgentPush?: (x: unknown) => void }).__deviceAgentPush?.(s), view).catch(() => undefined);
    });
  });

  return {
    origin, sandbox, host, services, dispatch, clipboard, dir, log,
    settingsFile: conf.path,
    async attach(context) {
      await context.exposeBinding('__deviceAgentInvoke', (source, channel: string, payload: unknown) =>
        dispatch(channel, source.frame.url(), payload === undefined ? [] : [payload]));
      await context.addInitScript({ content: bridgeScript });
      context.on('page', (p) => { pages.add(p); p.on('close', () => pages.delete(p)); });
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runner.close();
      await sandbox.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
