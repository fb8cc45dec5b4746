// The Electron main process: a table of contents. Each line enables one
// concern from its own module; the engine itself lives in app/.
import { app, BrowserWindow, clipboard, ipcMain, Menu, net, powerMonitor, protocol, safeStorage, Tray } from 'electron';
import Store from 'electron-store';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultStateDir, loadManagedConfig } from '../app/config/index.ts';
import { CHANNELS } from '../preload/contract.ts';
import { createAgentHost } from './agent-host.ts';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, handleAppRequest } from './app-protocol.ts';
import { createAutostart, startedHidden } from './autostart.ts';
import type { KeyValueStore } from './electron-seam.ts';
import { createEngine, sandboxStarter } from './engine-factory.ts';
import { createEngineRunner } from './engine-runner.ts';
import { createDispatcher, registerIpcHandlers } from './ipc-handlers.ts';
import { autostartEntryPath, desktopEntryFile, launchCommand } from './linux-desktop-entry.ts';
import { setUpLogging } from './logging.ts';
import { systemFetch } from './net-fetch.ts';
import { enablePowerEvents } from './power-events.ts';
import { createSecretVault } from './secrets.ts';
import { createShellServices } from './shell-services.ts';
import { enableSingleInstance } from './single-instance.ts';
import { createTrayController } from './tray-controller.ts';
import { createStatusWindowManager } from './window-factory.ts';

const here = dirname(fileURLToPath(import.meta.url)); // dist/main
const rendererRoot = join(here, '..', 'renderer');
const preloadPath = join(here, '..', 'preload', 'index.cjs');
const trayIconDir = join(here, '..', 'assets', 'tray');

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);

const settingsStore = new Store({ name: 'settings' });
const store: KeyValueStore = {
  get: (k) => settingsStore.get(k),
  set: (k, v) => settingsStore.set(k, v),
  delete: (k) => settingsStore.delete(k),
};
let knownSecrets: (string | undefined)[] = [];
const { log, files: logFiles } = setUpLogging(() => knownSecrets);

const statusWindow = createStatusWindowManager((options) => new BrowserWindow(options), preloadPath, log);

if (!enableSingleInstance(app, () => statusWindow.show())) {
  app.quit();
} else {
  app.on('window-all-closed', () => { /* a tray app stays alive without windows; Quit is explicit */ });
  void app.whenReady().then(start).catch((error: unknown) => {
    log.error(`start-up failed: ${error instanceof Error ? error.message : String(error)}`);
    app.quit();
  });
}

async function start(): Promise<void> {
  app.dock?.hide();
  protocol.handle(APP_SCHEME, (request) => handleAppRequest(request, rendererRoot));

  const vault = createSecretVault(safeStorage, store, process.platform, log);
  const refreshSecrets = async () => { knownSecrets = [await vault.reveal('sharedKey'), await vault.reveal('clientSecret')]; };
  await refreshSecrets();
  const storageWarning = vault.storageWarning();
  if (storageWarning) log.warn(storageWarning);

  const autostart = createAutostart({
    platform: process.platform,
    app,
    desktopEntry: desktopEntryFile(autostartEntryPath(process.env, homedir())),
    launchArgv: launchCommand({ execPath: process.execPath, isPackaged: app.isPackaged, appPath: app.getAppPath(), appImage: process.env.APPIMAGE }),
  });

  let managed;
  let managedProblem: string | undefined;
  try {
    managed = loadManagedConfig();
  } catch (error) {
    managedProblem = (error as Error).message;
    log.error(`managed configuration ignored: ${managedProblem}`);
  }
  const stateDir = defaultStateDir();
  const host = createAgentHost(log);
  const runner = createEngineRunner({
    host, log, stateDir,
    createAgent: createEngine,
    startSandbox: sandboxStarter(stateDir),
    isPackaged: app.isPackaged,
    appVersion: app.getVersion(),
    fetch: systemFetch(net),
  });
  const services = createShellServices({
    host, runner, store, vault, autostart, managed, managedProblem, stateDir, clipboard, log,
    diagnostics: { dir: app.getPath('downloads'), logFiles: () => [...logFiles(), join(stateDir, 'logs', 'agent.log')], appVersion: app.getVersion(), platform: `${process.platform} ${process.arch}` },
  });

  let startAtLogin = await autostart.isEnabled();
  const tray = createTrayController({
    createTray: (icon) => new Tray(icon),
    menu: Menu,
    iconDir: trayIconDir,
    platform: process.platform,
    isStartAtLogin: () => startAtLogin,
    actions: {
      syncNow: () => void host.syncNow('manual'),
      setPaused: (paused) => host.setPaused(paused),
      openStatus: () => statusWindow.show(),
      setStartAtLogin: (enabled) => void autostart.setEnabled(enabled).then(async () => {
        startAtLogin = await autostart.isEnabled();
        tray.refresh();
      }),
      quit: () => void quit(),
    },
  });
  // Two handlers also refresh what main caches: the secrets the log redacts, the tray's checkbox.
  registerIpcHandlers(ipcMain, createDispatcher({
    ...services.handlers,
    'device-agent:set-secret': async (input) => {
      const view = await services.handlers['device-agent:set-secret'](input);
      await refreshSecrets();
      return view;
    },
    'device-agent:save-settings': async (input) => {
      const view = await services.handlers['device-agent:save-settings'](input);
      startAtLogin = view.startAtLogin;
      tray.refresh();
      return view;
    },
  }, log));

  host.onStatus((status) => {
    tray.update(status);
    const win = statusWindow.current();
    if (win && !win.webContents.isDestroyed()) win.webContents.send(CHANNELS.statusChanged, services.toStatusView(status, startAtLogin));
  });

  const stopPowerEvents = enablePowerEvents({ powerMonitor, isOnline: () => net.isOnline(), trigger: (t) => host.trigger(t) });

  await services.applySettings();
  tray.update(host.status());
  if (!startedHidden(process.argv, app, process.platform) || runner.mode() !== 'configured') statusWindow.show();

  let quitting = false;
  async function quit(): Promise<void> {
    if (quitting) return;
    quitting = true;
    stopPowerEvents();
    await runner.close().catch((error: unknown) => log.error(`stopping the agent: ${String(error)}`));
    tray.destroy();
    app.quit();
  }
  app.on('before-quit', (event) => {
    if (!quitting) {
      event.preventDefault();
      void quit();
    }
  });
  // SIGTERM (logout, service stop, kill) quits like the menu does, finishing a write in
  // flight. electron-store → conf → atomically → when-exit hooks these signals at import
  // and re-raises them at the process, which would kill it mid-write (found in the CLI).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void quit());
  }
}
