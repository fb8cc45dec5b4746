// What each IPC request does: the handlers behind the contract, over the
// agent host, the settings store, the secret vault and the OS integrations.
import type { ManagedConfig } from '../app/config/managed.ts';
import { SANDBOX_NOTICE } from './tray-state.ts';
import type { SettingsView, StatusView } from '../preload/contract.ts';
import type { AgentHost } from './agent-host.ts';
import type { Autostart } from './autostart.ts';
import { exportDiagnostics } from './diagnostics.ts';
import type { KeyValueStore, Logger } from './electron-seam.ts';
import { composeConfig, type ApplyOptions, type EngineRunner } from './engine-runner.ts';
import { UserFacingError, type ShellHandlers } from './ipc-handlers.ts';
import type { SecretVault } from './secrets.ts';
import { withShellProblems, type ShellProblem } from './shell-problems.ts';
import { applySettingsInput, readUserSettings, settingsView, userConfigValues, type UserSettings } from './settings-model.ts';

export const SETTINGS_KEY = 'settings';

export interface ShellServicesDeps {
  host: AgentHost;
  runner: EngineRunner;
  store: KeyValueStore;
  vault: SecretVault;
  autostart: Autostart;
  managed: ManagedConfig | undefined;
  /** Problems found at start (damaged settings file, unusable managed file); saving clears those marked so. */
  problems?: ShellProblem[];
  stateDir: string;
  /** Electron 45's clipboard.writeText returns a promise. */
  clipboard: { writeText(text: string): Promise<void> | void };
  diagnostics: { dir: string; logFiles(): string[]; appVersion: string; platform: string };
  log: Logger;
}

export interface ShellServices {
  handlers: ShellHandlers;
  statusView(): Promise<StatusView>;
  /** Converts an engine status into the window's view (adds shell warnings). */
  toStatusView(status: ReturnType<AgentHost['status']>, startAtLogin: boolean): StatusView;
  /** Starts (or restarts) the engine from the stored settings. */
  applySettings(options?: ApplyOptions): Promise<void>;
  startAtLogin(): Promise<boolean>;
}

export function createShellServices(deps: ShellServicesDeps): ShellServices {
  const { host, store, vault, managed, log } = deps;
  const user = (): UserSettings => readUserSettings(store.get(SETTINGS_KEY));
  const managedValues = (): Record<string, unknown> => (managed ? { ...managed.layer.values } : {});

  const view = async (): Promise<SettingsView> => settingsView({
    user: user(),
    managed: managedValues(),
    hasSharedKey: vault.has('sharedKey'),
    hasClientSecret: vault.has('clientSecret'),
    startAtLogin: await deps.autostart.isEnabled(),
  });

  const configValues = async (u: UserSettings) => userConfigValues(u, {
    sharedKey: await vault.reveal('sharedKey'),
    clientSecret: await vault.reveal('clientSecret'),
  });

  const applySettings = async (options: ApplyOptions = {}) => {
    await deps.runner.apply(await configValues(user()), managed, options);
  };

  const problems = deps.problems ?? [];

  const toStatusView = (engineStatus: ReturnType<AgentHost['status']>, startAtLogin: boolean): StatusView => {
    const status = withShellProblems(engineStatus, problems);
    const warnings = [...status.warnings];
    const storage = vault.storageWarning();
    if (storage) warnings.push(storage);
    if (status.usingSandbox && !warnings.some((w) => w.includes('sandbox'))) warnings.push(`${SANDBOX_NOTICE}: values go to a local test server, not to LicenseSpring.`);
    return { ...status, warnings, startAtLogin, ...(managed ? { managedConfigPath: managed.path } : {}) };
  };

  const statusView = async () => toStatusView(host.status(), await deps.autostart.isEnabled());

  const handlers: ShellHandlers = {
    'device-agent:get-status': () => statusView(),
    'device-agent:sync-now': async () => {
      if (host.status().phase === 'paused') throw new UserFacingError('', 'Syncing is paused; resume it first.');
      return host.syncNow('manual');
    },
    'device-agent:set-paused': async ({ paused }) => {
      host.setPaused(paused);
      return statusView();
    },
    'device-agent:get-settings': () => view(),
    'device-agent:save-settings': async (input) => {
      const current = await view();
      const next = applySettingsInput(user(), input, current.locked);
      // Validate the whole resulting configuration before storing anything.
      composeConfig(await configValues(next), managed, deps.stateDir);
      if (input.startAtLogin !== undefined) await deps.autostart.setEnabled(input.startAtLogin);
      store.set(SETTINGS_KEY, next);
      log.info(`settings saved (${Object.keys(input).join(', ') || 'nothing changed'})`);
      for (let i = problems.length - 1; i >= 0; i--) if (problems[i]?.clearsOnSave) problems.splice(i, 1);
      await applySettings({ saved: true });
      return view();
    },
    'device-agent:set-secret': async ({ name, value }) => {
      if ((await view()).locked.includes(name)) throw new UserFacingError(name, `${name} is set by your administrator (managed configuration)`);
      await vault.set(name, value);
      await applySettings({ saved: true });
      return view();
    },
    'device-agent:copy-hardware-id': async () => {
      const id = host.status().hardwareId;
      if (!id) throw new UserFacingError('', 'The hardware id is not known yet.');
      await deps.clipboard.writeText(id);
      return null;
    },
    'device-agent:deactivate': async () => {
      const result = await host.deactivate();
      if (!result.ok) {
        const error = result.error;
        throw new UserFacingError('', error ? `${error.summary} ${error.remedy}` : 'The device could not be deactivated.');
      }
      log.info('device deactivated from the window; syncing paused');
      return statusView();
    },
    'device-agent:export-diagnostics': async () => {
      const secrets = [await vault.reveal('sharedKey'), await vault.reveal('clientSecret'), user().licenseKey,
        ...Object.entries(managedValues()).filter(([k]) => k === 'sharedKey' || k === 'clientSecret').map(([, v]) => String(v))];
      const path = await exportDiagnostics(deps.diagnostics.dir, {
        status: await statusView(),
        settings: await view(),
        appVersion: deps.diagnostics.appVersion,
        platform: deps.diagnostics.platform,
        logFiles: deps.diagnostics.logFiles(),
        secrets,
      });
      log.info(`diagnostics written to ${path}`);
      return { path };
    },
  };

  return { handlers, statusView, toStatusView, applySettings, startAtLogin: () => deps.autostart.isEnabled() };
}
