// The Electron main process: a table of contents. Each line enables one
// concern from its own module; the engine itself lives in app/.
import { app, BrowserWindow, clipboard, dialog, ipcMain, Menu, net, Notification, powerMonitor, protocol, safeStorage, screen, Tray } from 'electron';
import Store from 'electron-store';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BRANDING } from '../app/branding/index.ts';
import { defaultStateDir, machineVariablesDir, readManagedConfig, type ManagedConfigResult } from '../app/config/index.ts';
import { translator, type Translator } from '../locales/i18n.ts';
import { CHANNELS } from '../preload/contract.ts';
import { createAgentHost } from './agent-host.ts';
import { appFolders } from './app-folders.ts';
import { applicationMenuTemplate } from './app-menu.ts';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, handleAppRequest } from './app-protocol.ts';
import { createAutostart, openWindowAtStart } from './autostart.ts';
import type { KeyValueStore } from './electron-seam.ts';
import { createEngine, sandboxStarter } from './engine-factory.ts';
import { createEngineRunner } from './engine-runner.ts';
import { createDispatcher, registerIpcHandlers } from './ipc-handlers.ts';
import { autostartEntryPath, desktopEntryFile, launchCommand, repointOwnEntrySync, systemAutostartEntryPaths } from './linux-desktop-entry.ts';
import { sandboxProblem } from './linux-sandbox.ts';
import { setUpLogging } from './logging.ts';
import { systemFetch } from './net-fetch.ts';
import { createNotifier } from './notifications.ts';
import { enablePowerEvents } from './power-events.ts';
import { createSecretVault } from './secrets.ts';
import { openSettingsStore } from './settings-store.ts';
import type { ShellProblem } from './shell-problems.ts';
import { createShellServices } from './shell-services.ts';
import { enableSingleInstance } from './single-instance.ts';
import { createTrayController } from './tray-controller.ts';
import { trayWanted } from './tray-policy.ts';
import { createQuitSequence, QUIT_BACKSTOP_MS, QUIT_GRACE_MS } from './quit-sequence.ts';
import { createUpdater, testUpdateTiming } from './updater.ts';
import { loadElectronUpdater, updatePolicyOf, updaterEnvironment } from './updater-environment.ts';
import { createStatusWindowManager, panelPosition, STATUS_WINDOW_SIZE } from './window-factory.ts';

const here = dirname(fileURLToPath(import.meta.url)); // dist/main
const rendererRoot = join(here, '..', 'renderer');
const preloadPath = join(here, '..', 'preload', 'index.cjs');
const trayIconDir = join(here, '..', 'assets', 'tray');
/** Set once the app has started for the first time (settings store). */
const FIRST_RUN_KEY = 'firstRunDone';
/** The branding's appId: the Windows AppUserModelID the installer gives the shortcuts (tools/builder-config.ts). */
const APP_USER_MODEL_ID = BRANDING.appId;
/** The development sandbox, bundled apart and never packaged (tools/build.ts). */
const devSandboxUrl = pathToFileURL(join(here, '..', 'dev', 'embedded-sandbox.js')).href;

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);

// Settings and log folders by the branding's names (tests and `npm run desktop:headless`
// keep them in a folder of their own).
const userDataOverride = process.env.DEVICE_AGENT_USER_DATA;
const folders = appFolders({
  platform: process.platform, appData: app.getPath('appData'), home: homedir(),
  userDataOverride: userDataOverride && isAbsolute(userDataOverride) ? userDataOverride : undefined,
});
app.setPath('userData', folders.userData);

// Logging first, so that whatever goes wrong next is in the log.
// Every line is redacted with the secret values the shell knows (set once the services exist).
let knownSecrets: () => readonly string[] = () => [];
const { log, files: logFiles } = setUpLogging(folders.logs, () => knownSecrets());

/** Problems found at start that a person must act on (the tray says attention while they stand). */
const problems: ShellProblem[] = [];
const settings = openSettingsStore({
  path: join(app.getPath('userData'), 'settings.json'),
  open: () => {
    // 0600: the file holds the secrets' ciphertext (every write keeps the mode).
    const s = new Store({ name: 'settings', configFileMode: 0o600 });
    return { get: (k) => s.get(k), set: (k, v) => s.set(k, v), delete: (k) => s.delete(k) };
  },
}, log);
const store: KeyValueStore = settings.store;
if (settings.problem) problems.push(settings.problem);
// Never without Chromium's sandbox silently (an AppImage's launcher turns it off where user namespaces are refused).
const sandbox = sandboxProblem({ platform: process.platform, argv: process.argv, env: process.env });
if (sandbox) {
  problems.push(sandbox);
  log.warn(`${sandbox.summary} ${sandbox.remedy}`);
}

/** The app's language, known once ready (app.getLocale() follows the OS); English until then. */
let tr: Translator = translator('en');
/** Quits once the start has built what quitting needs; until then a signal is remembered here. */
let quitNow: (() => void) | undefined;
let quitAsked = false;
function requestQuit(): void {
  if (quitNow) { quitNow(); return; }
  if (quitAsked) return;
  quitAsked = true;
  log.info('asked to quit while starting: quitting once the start is done');
  setTimeout(() => {
    log.error(`the start did not finish within ${(QUIT_GRACE_MS + QUIT_BACKSTOP_MS) / 1000} s of the request to quit; exiting`);
    app.exit(0);
  }, QUIT_GRACE_MS + QUIT_BACKSTOP_MS).unref();
}
/** Where the tray icon is (macOS, Windows), for the status panel's position. */
let trayBounds: () => { x: number; y: number; width: number; height: number } | undefined = () => undefined;
/** Popovers hide when they lose focus on macOS and Windows; on Linux the panel is an ordinary window. */
const popover = process.platform === 'darwin' || process.platform === 'win32';

// macOS: an agent app (no Dock icon) is not made active by showing a window; it is asked to be.
const statusWindow = createStatusWindowManager((options) => new BrowserWindow(options), preloadPath, log,
  process.platform === 'darwin' ? () => app.focus({ steal: true }) : undefined, {
    get locale() { return tr.locale; },
    hideOnBlur: popover,
    position: () => {
      if (!app.isReady()) return undefined;
      const icon = popover ? trayBounds() : undefined;
      const display = icon ? screen.getDisplayNearestPoint({ x: icon.x, y: icon.y }) : screen.getPrimaryDisplay();
      return panelPosition(STATUS_WINDOW_SIZE, display.workArea, icon);
    },
  });

if (!enableSingleInstance(app, () => statusWindow.show())) {
  app.quit();
} else {
  app.on('window-all-closed', () => { /* a tray app stays alive without windows; Quit is explicit */ });
  // macOS: the app opened again from Finder or the Dock while it runs (no second instance is started there).
  app.on('activate', () => { if (app.isReady()) statusWindow.show(); });
  // SIGTERM (logout, service stop, kill) and SIGINT quit like the menu does, finishing a write
  // in flight — also when they come while the app is still starting (a login that ends at
  // once, a service stopped during its start): then the quit waits for the start to have its
  // parts, and a backstop ends the process if the start never gets there. electron-store →
  // conf → atomically → when-exit hooks these signals at import and re-raises them at the
  // process, which would kill it mid-write (found in the CLI): its handlers go.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => requestQuit());
  }
  void app.whenReady().then(start).catch((error: unknown) => {
    // Only the shell itself failing gets here (the engine's failures are shown in the tray and window).
    const message = error instanceof Error ? error.message : String(error);
    log.error(`start-up failed: ${message}`);
    dialog.showErrorBox(`${BRANDING.productName} could not start`, `${message}\n\nDetails are in ${logFiles()[0] ?? 'the log'}.`);
    app.quit();
  });
}

/**
 * The administrator's file (app/config/managed.ts decides what a broken one means).
 * DEVICE_AGENT_MANAGED_CONFIG points elsewhere only in development: a user cannot swap IT's policy.
 */
function readManaged(): ManagedConfigResult {
  const { DEVICE_AGENT_MANAGED_CONFIG: override, ...rest } = process.env;
  return readManagedConfig(app.isPackaged || !override ? rest : { ...rest, DEVICE_AGENT_MANAGED_CONFIG: override });
}

async function start(): Promise<void> {
  tr = translator(app.getLocale());
  app.dock?.hide();
  // No default menu (its Reload and Developer Tools shortcuts work even with the bar hidden).
  const menuTemplate = applicationMenuTemplate(process.platform, BRANDING.productName);
  Menu.setApplicationMenu(menuTemplate ? Menu.buildFromTemplate(menuTemplate) : null);
  // Windows: the login item's registry value and the notifications carry the installer's id.
  if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
  protocol.handle(APP_SCHEME, (request) => handleAppRequest(request, rendererRoot));

  // The keyring is never waited for here: one that asks for its password would hold
  // the whole app (no tray) until answered. The services wait for it (bounded) and say so.
  const vault = createSecretVault(safeStorage, store, process.platform, log);

  const autostart = createAutostart({
    platform: process.platform,
    app,
    desktopEntry: desktopEntryFile(autostartEntryPath(process.env, homedir()), systemAutostartEntryPaths(process.env)),
    launchArgv: launchCommand({ execPath: process.execPath, isPackaged: app.isPackaged, appPath: app.getAppPath(), appImage: process.env.APPIMAGE }),
  });

  const managed = readManaged();
  const stateDir = defaultStateDir();
  const host = createAgentHost(log);
  const runner = createEngineRunner({
    host, log, stateDir,
    // Other programs' variables: beside the administrator's file, and in the person's state folder (app/collect/drop-in.ts).
    variablesDirs: { machine: machineVariablesDir(managed.state === 'ok' ? managed.managed.path : managed.path), user: join(stateDir, 'variables.d') },
    createAgent: createEngine,
    ...(app.isPackaged ? {} : { startSandbox: sandboxStarter(stateDir, devSandboxUrl) }),
    isPackaged: app.isPackaged,
    appVersion: app.getVersion(),
    fetch: systemFetch(net),
  });
  // The app's own updates: electron-updater under the managed file's policy (read again before each check).
  const updater = createUpdater({
    load: loadElectronUpdater,
    policy: () => updatePolicyOf(readManaged()),
    currentVersion: app.getVersion(),
    isPackaged: app.isPackaged,
    ...updaterEnvironment({ platform: process.platform, resourcesPath: process.resourcesPath, appPath: app.getAppPath(), execPath: process.execPath, env: process.env }),
    host, store, log,
    timing: testUpdateTiming(process.env, app.isPackaged, log),
    // A new AppImage under a new name: the login entry follows it (the old file is gone).
    onAppImageMoved: (path) => repointOwnEntrySync(autostartEntryPath(process.env, homedir()), launchCommand({ execPath: process.execPath, isPackaged: true, appPath: '', appImage: path })),
  });
  const services = createShellServices({
    host, runner, store, vault, autostart, managed, readManaged, problems, stateDir, clipboard, log, tr,
    updates: { view: () => updater.view(), restartToUpdate: () => void quit({ forUpdate: true }) },
    diagnostics: { dir: app.getPath('downloads'), logFiles: () => [...logFiles(), join(stateDir, 'logs', 'agent.log')], appVersion: app.getVersion(), platform: `${process.platform} ${process.arch}` },
  });
  knownSecrets = () => services.secretValues();

  let startAtLogin = await autostart.isEnabled();
  const tray = createTrayController({
    createTray: (icon) => new Tray(icon),
    menu: Menu,
    iconDir: trayIconDir,
    platform: process.platform,
    isStartAtLogin: () => startAtLogin,
    tr,
    actions: {
      syncNow: () => void services.syncNow('manual'),
      setPaused: (paused) => host.setPaused(paused),
      openStatus: () => statusWindow.show(),
      setStartAtLogin: (enabled) => void autostart.setEnabled(enabled).then(async () => {
        startAtLogin = await autostart.isEnabled();
        tray.refresh();
      }),
      quit: () => void quit(),
      restartToUpdate: () => void quit({ forUpdate: true }),
    },
  });
  trayBounds = () => tray.bounds();
  // Two handlers also refresh what main caches: the secrets the log redacts, the tray's checkbox.
  registerIpcHandlers(ipcMain, createDispatcher({
    ...services.handlers,
    'device-agent:save-settings': async (input) => {
      const view = await services.handlers['device-agent:save-settings'](input);
      startAtLogin = view.startAtLogin;
      tray.refresh();
      return view;
    },
  }, log));

  // Notifications when the person must act, once per problem (main/notifications.ts); a click opens the window.
  const notifier = createNotifier({
    store, log,
    create: (options) => new Notification({ title: options.title, body: options.body }),
    isSupported: () => Notification.isSupported(),
    enabled: () => services.policy().notifications,
    openWindow: () => statusWindow.show(),
    tr,
  });
  /** The tray (as the managed trayIcon policy wants it), the window and the notifications show one view. */
  const present = (view: ReturnType<typeof services.toStatusView>) => {
    tray.update({ ...view, errorSummary: view.error?.summary }, trayWanted(services.policy().trayIcon, view, Date.now()));
    notifier.update(view);
  };

  // The tray and the window show one view: the engine's status with the shell's problems and the update.
  const publish = (status: ReturnType<typeof host.status>) => {
    const view = services.toStatusView(status, startAtLogin);
    present(view);
    const win = statusWindow.current();
    if (win && !win.webContents.isDestroyed()) win.webContents.send(CHANNELS.statusChanged, view);
  };
  host.onStatus(publish);
  updater.onChange(() => publish(host.status()));

  const stopPowerEvents = enablePowerEvents({ powerMonitor, isOnline: () => net.isOnline(), trigger: (t) => services.trigger(t) });

  // The first run syncs at once (a person is probably watching); later starts wait
  // a random part of the interval, so that a fleet starting together is spread out.
  const firstRun = store.get(FIRST_RUN_KEY) !== true;
  await services.applySettings({ startImmediately: firstRun });
  const view = services.toStatusView(host.status(), startAtLogin);
  present(view);
  // The window opens on the first run, when a person must act, and when started
  // by hand; a start at login (--hidden) is tray-only.
  if (openWindowAtStart({ firstRun, attention: view.phase === 'attention', argv: process.argv, platform: process.platform })) statusWindow.show();
  if (firstRun) store.set(FIRST_RUN_KEY, true);
  updater.start();

  const quitSequence = createQuitSequence({ log, app, stopPowerEvents, services, updater, runner, tray });
  function quit(options?: { forUpdate?: boolean }): Promise<void> {
    return quitSequence.quit(options);
  }
  app.on('before-quit', (event) => {
    if (!quitSequence.quitting()) {
      event.preventDefault();
      void quit();
    }
  });
  quitNow = () => void quit();
  if (quitAsked) quitNow();
}
