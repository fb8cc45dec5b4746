// What each IPC request does: the handlers behind the contract, over the
// agent host, the settings store, the secret vault and the OS integrations —
// and when the engine may start at all: not while the administrator's managed
// file is broken, not with secrets the keyring cannot give yet (both are shown,
// and tried again: Sync now, the triggers, and for the keyring a timer).
import { SECRET_KEYS } from '../app/config/fields.ts';
import type { ManagedConfig, ManagedConfigResult } from '../app/config/managed.ts';
import type { SyncResult, SyncTrigger } from '../app/agent-api.ts';
import { fieldLabel, type SecretName, type SettingsInput, type SettingsView, type StatusView, type UpdateView } from '../preload/contract.ts';
import type { AgentHost } from './agent-host.ts';
import type { Autostart } from './autostart.ts';
import { exportDiagnostics } from './diagnostics.ts';
import type { KeyValueStore, Logger } from './electron-seam.ts';
import { composeConfig, type ApplyOptions, type EngineRunner } from './engine-runner.ts';
import { UserFacingError } from '../app/errors/user-facing-error.ts';
import type { ShellHandlers } from './ipc-handlers.ts';
import { secretBindingFor } from './secret-binding.ts';
import { secretsLeavingTheirServer, type SecretBinding, type SecretVault } from './secrets.ts';
import { settingsFormView } from './settings-fields.ts';
import { applySettingsInput, lockedFields, readUserSettings, settingsView, userConfigValues, type UserSettings } from './settings-model.ts';
import { errorFix } from './error-fix.ts';
import { withShellProblems, type ShellProblem } from './shell-problems.ts';
import { keyringUnavailableStatus, keyringWaitingStatus, managedBrokenStatus } from './start-blockers.ts';
import { localizeError } from '../app/licenseapi/error-text.ts';
import { translator, type Translator } from '../locales/i18n.ts';
import { viewHeadline } from './view-headline.ts';
import { appearanceView, desktopPolicy, type DesktopPolicy } from './tray-policy.ts';

export const SETTINGS_KEY = 'settings';
/** The first wait before a failing keyring is asked again; it doubles up to KEYRING_RETRY_MAX_MS. */
export const KEYRING_RETRY_MS = 30_000;
const KEYRING_RETRY_MAX_MS = 10 * 60_000;

export interface ShellServicesDeps {
  host: AgentHost;
  runner: EngineRunner;
  store: KeyValueStore;
  vault: SecretVault;
  autostart: Autostart;
  /** The administrator's managed file as read at start (app/config/managed.ts decides what "broken" is). */
  managed: ManagedConfigResult;
  /** Reads it again: while it is broken, Sync now, the triggers and a save do (a fixed file is taken at once). */
  readManaged?: () => ManagedConfigResult;
  /** Problems found at start (a damaged settings file); saving clears those marked so. */
  problems?: ShellProblem[];
  stateDir: string;
  /** Electron 45's clipboard.writeText returns a promise. */
  clipboard: { writeText(text: string): Promise<void> | void };
  diagnostics: { dir: string; logFiles(): string[]; appVersion: string; platform: string };
  log: Logger;
  keyringRetryMs?: number;
  /** The app's language for what the shell itself words (English when not given). */
  tr?: Translator;
  /** The app's own updates (main/updater.ts): shown in the status; "Restart to update" asks for the install. */
  updates?: { view(): UpdateView; restartToUpdate(): void };
}

export interface ShellServices {
  handlers: ShellHandlers;
  statusView(): Promise<StatusView>;
  /** Converts an engine status into the window's view (adds shell warnings). */
  toStatusView(status: ReturnType<AgentHost['status']>, startAtLogin: boolean): StatusView;
  /** Starts (or restarts) the engine from the stored settings, unless something must be fixed first (then says what). */
  applySettings(options?: ApplyOptions): Promise<void>;
  /** Sync now from the tray or the window: first tries again what held the start back. */
  syncNow(trigger?: SyncTrigger): Promise<SyncResult>;
  /** A trigger (resume, network back): likewise. */
  trigger(trigger: SyncTrigger): void;
  startAtLogin(): Promise<boolean>;
  /** The tray icon and notifications policy the managed file sets (the defaults while it is broken or absent). */
  policy(): DesktopPolicy;
  /**
   * Every secret value this shell knows — the stored ones (as far as read this
   * session), the administrator's (managed file) and the license keys — for the
   * log's and the diagnostics' redaction lists.
   */
  secretValues(): string[];
  close(): void;
}

export function createShellServices(deps: ShellServicesDeps): ShellServices {
  const tr = deps.tr ?? translator('en');
  const { host, store, vault, log } = deps;
  let managedState = deps.managed;
  const managed = (): ManagedConfig | undefined => (managedState.state === 'ok' ? managedState.managed : undefined);
  const user = (): UserSettings => readUserSettings(store.get(SETTINGS_KEY));
  const managedValues = (): Record<string, unknown> => ({ ...managed()?.layer.values });
  const problems = deps.problems ?? [];
  /** What the window says about stored secrets that were not used (entered for another server, unreadable). */
  let secretNotes: string[] = [];
  /** What holds the engine back, if anything. */
  let blocked: 'managed' | 'keyring' | undefined;
  let lastApply: ApplyOptions = {};
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  const firstRetryMs = deps.keyringRetryMs ?? KEYRING_RETRY_MS;
  let retryMs = firstRetryMs;
  let closed = false;

  /** The servers a secret entered now would be for (the managed file's, else the person's, else LicenseSpring's). */
  const binding = (u: UserSettings): SecretBinding => secretBindingFor(managedValues(), u);

  const view = async (): Promise<SettingsView> => settingsView({
    user: user(),
    managed: managedValues(),
    hasSharedKey: vault.has('sharedKey'),
    hasClientSecret: vault.has('clientSecret'),
    startAtLogin: await deps.autostart.isEnabled(),
  });

  /** The stored secret the engine needs (the one of the chosen authorization, unless the managed file sets it). */
  const secretsForEngine = async (u: UserSettings): Promise<{ sharedKey?: string; clientSecret?: string } | 'keyring'> => {
    const name: SecretName = (u.authMethod ?? 'hmac') === 'hmac' ? 'sharedKey' : 'clientSecret';
    secretNotes = [];
    if (name in managedValues()) return {};
    const revealed = await vault.reveal(name, binding(u));
    const label = fieldLabel(name).toLowerCase();
    switch (revealed.state) {
      case 'ok': return { [name]: revealed.value };
      case 'keyring-unavailable': return 'keyring';
      case 'other-server':
        secretNotes = [`The saved ${label} was entered for ${revealed.enteredFor}, not for the server set now, so it is not sent there. Enter it again for this server.`];
        return {};
      case 'unreadable':
        secretNotes = [`The saved ${label} cannot be read with this computer's keyring as it is now (was the keyring replaced?). Enter it again.`];
        return {};
      default: return {};
    }
  };

  const stopRetry = () => {
    clearTimeout(retryTimer);
    retryTimer = undefined;
  };

  /** Asks the keyring again later (doubling waits); at once when a keyring that was asking for its password answers. */
  const scheduleKeyringRetry = (waitingForAnswer: boolean) => {
    if (retryTimer || closed) return;
    const fire = () => {
      if (!retryTimer) return;
      stopRetry();
      if (!closed) void applySettings(lastApply).catch((error: unknown) => log.error(`trying the keyring again: ${String(error)}`));
    };
    retryTimer = setTimeout(fire, retryMs);
    retryTimer.unref?.();
    retryMs = Math.min(retryMs * 2, KEYRING_RETRY_MAX_MS);
    if (waitingForAnswer) void vault.answered().then(fire);
  };

  const applySettings = async (options: ApplyOptions = {}): Promise<void> => {
    lastApply = options;
    if (managedState.state === 'broken' && deps.readManaged) managedState = deps.readManaged();
    if (managedState.state === 'broken') {
      blocked = 'managed';
      stopRetry();
      log.error(`managed configuration ${managedState.path} cannot be used (${managedState.problems.map((p) => `${p.field}: ${p.message}`).join('; ')}); not syncing until it is fixed`);
      await host.replace(undefined, managedBrokenStatus(managedState.path, managedState.problems));
      return;
    }
    const u = user();
    const secrets = await secretsForEngine(u);
    if (secrets === 'keyring') {
      blocked = 'keyring';
      const waiting = (await vault.protection(0)) === 'not-answering';
      await host.replace(undefined, waiting ? keyringWaitingStatus() : keyringUnavailableStatus());
      scheduleKeyringRetry(waiting);
      return;
    }
    blocked = undefined;
    stopRetry();
    retryMs = firstRetryMs;
    await deps.runner.apply(userConfigValues(u, secrets), managed(), options);
  };

  const toStatusView = (engineStatus: ReturnType<AgentHost['status']>, startAtLogin: boolean): StatusView => {
    const status = withShellProblems(engineStatus, problems);
    const warnings = [...status.warnings, ...secretNotes];
    // Said once: when the keyring is what holds the engine back, the error says it.
    const storage = vault.storageWarning();
    if (storage && !status.error?.code.startsWith('keyring_')) warnings.push(storage);
    if (status.usingSandbox && !warnings.some((w) => /sandbox/i.test(w))) warnings.push(tr.t('status.sandboxWarning', { notice: tr.t('tray.sandbox') }));
    const managedPath = managedState.state === 'none' ? undefined : managedState.state === 'ok' ? managedState.managed.path : managedState.path;
    // The error's words in the app's language (the code stays; a text with the engine's own detail stays as it is).
    const error = status.error && localizeError(status.error, tr);
    const headlineMessage = viewHeadline(status, error);
    const update = deps.updates?.view();
    const errorFixView = error && errorFix(error.code, new Set(lockedFields(Object.keys(managedValues()))));
    return { ...status, ...(error ? { error } : {}), ...(errorFixView ? { errorFix: errorFixView } : {}), ...(headlineMessage ? { headlineMessage } : {}), warnings, startAtLogin, ...(managedPath ? { managedConfigPath: managedPath } : {}), appearance: appearanceView(desktopPolicy(managedState)), ...(update ? { update } : {}) };
  };

  const statusView = async () => toStatusView(host.status(), await deps.autostart.isEnabled());

  const syncNow = async (trigger: SyncTrigger = 'manual'): Promise<SyncResult> => {
    if (blocked) await applySettings(lastApply);
    return host.syncNow(trigger);
  };

  const secretValues = (): string[] => {
    const fromManaged = Object.entries(managedValues()).filter(([k]) => SECRET_KEYS.has(k) || k === 'licenseKey').map(([, v]) => String(v));
    const values = [...vault.knownValues(), user().licenseKey, ...fromManaged];
    return [...new Set(values.filter((v): v is string => typeof v === 'string' && v !== ''))];
  };

  const handlers: ShellHandlers = {
    'device-agent:get-status': () => statusView(),
    'device-agent:sync-now': async () => {
      if (host.status().phase === 'paused') throw new UserFacingError('', 'Syncing is paused; resume it first.');
      return syncNow('manual');
    },
    'device-agent:set-paused': async ({ paused }) => {
      host.setPaused(paused);
      return statusView();
    },
    'device-agent:get-settings': () => {
      // Where secrets are typed, find out (without waiting) whether they can be kept safely:
      // the window shows the answer. Not at start: a locked keyring would ask for its
      // password at login although no secret may ever be needed.
      void vault.protection();
      return view();
    },
    'device-agent:get-settings-form': async () => settingsFormView(),
    'device-agent:save-settings': async (payload) => {
      // The dispatcher has checked it field by field (main/settings-input.ts).
      const input = payload as SettingsInput;
      const current = await view();
      const before = user();
      const next = applySettingsInput(before, input, current.locked);
      // Validate the whole resulting configuration before storing anything (secrets are checked when set).
      composeConfig(userConfigValues(next, {}), managed(), deps.stateDir);
      // A secret is bound to the servers it was entered for: another server, and it is gone.
      const cleared = secretsLeavingTheirServer(binding(before), binding(next)).filter((name) => vault.has(name) && !(name in managedValues()));
      if (typeof input.startAtLogin === 'boolean') await deps.autostart.setEnabled(input.startAtLogin);
      store.set(SETTINGS_KEY, next);
      for (const name of cleared) vault.clear(name);
      log.info(`settings saved (${Object.keys(input).join(', ') || 'nothing changed'})${cleared.length ? `; ${cleared.join(' and ')} cleared: the server changed` : ''}`);
      for (let i = problems.length - 1; i >= 0; i--) if (problems[i]?.clearsOnSave) problems.splice(i, 1);
      await applySettings({ saved: true });
      const saved = await view();
      return cleared.length ? { ...saved, secretsCleared: cleared } : saved;
    },
    'device-agent:set-secret': async ({ name, value }) => {
      if ((await view()).locked.includes(name)) throw new UserFacingError(name, `${fieldLabel(name)} is set by your administrator (managed configuration)`);
      await vault.set(name, value, binding(user()));
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
      const path = await exportDiagnostics(deps.diagnostics.dir, {
        status: await statusView(),
        settings: await view(),
        appVersion: deps.diagnostics.appVersion,
        platform: deps.diagnostics.platform,
        logFiles: deps.diagnostics.logFiles(),
        secrets: secretValues(),
      });
      log.info(`diagnostics written to ${path}`);
      return { path };
    },
    'device-agent:restart-to-update': async () => {
      const update = deps.updates?.view();
      if (!deps.updates || !update?.canRestart) throw new UserFacingError('', 'No update is ready to install.');
      deps.updates.restartToUpdate();
      return null;
    },
  };

  return {
    handlers, statusView, toStatusView, applySettings, syncNow, secretValues,
    trigger(trigger) {
      if (blocked) void applySettings(lastApply).catch((error: unknown) => log.error(`starting again after ${trigger}: ${String(error)}`));
      else host.trigger(trigger);
    },
    startAtLogin: () => deps.autostart.isEnabled(),
    policy: () => desktopPolicy(managedState),
    close() {
      closed = true;
      stopRetry();
    },
  };
}
