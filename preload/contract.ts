// THE contract of what crosses main ↔ preload ↔ renderer, as one table keyed by
// channel: CHANNELS (bridge method → channel), PAYLOAD_SCHEMAS (channel → the zod
// schema of its one payload, checked by main), ReplyValues (channel → what it
// answers). From it are typed: the bridge (DeviceAgentBridge, built once by
// createBridge for the preload and the renderer tests), main's handler map
// (ShellHandlers in main/ipc-handlers.ts: one handler per channel, or the
// typecheck fails) and every reply (tagged with its channel, so a bridge method
// bound to another channel fails the typecheck: test/contract/). The renderer
// imports types only. Nothing else travels between them.
//
// A new window feature: a row in CHANNELS, PAYLOAD_SCHEMAS and ReplyValues, its
// method in DeviceAgentBridge and createBridge, its handler in main/shell-services.ts.
import { z } from 'zod';
import type { AgentStatus, SyncResult } from '../app/agent-api.ts';
import { PII_KINDS, type PiiKind } from '../app/config/pii-kinds.ts';
import { fieldLabel } from './field-labels.ts';
import { SECRET_NAMES, type SettingsFormView, type SettingsInput, type SettingsView } from './settings-view.ts';

export { fieldLabel } from './field-labels.ts';

/** Every IPC channel, in one place. */
export const CHANNELS = {
  getStatus: 'device-agent:get-status',
  /** main → renderer push; the only channel the renderer listens on. */
  statusChanged: 'device-agent:status-changed',
  syncNow: 'device-agent:sync-now',
  setPaused: 'device-agent:set-paused',
  getSettings: 'device-agent:get-settings',
  /** The Settings form's description (its fields, from the one settings table); the renderer builds the form from it. */
  getSettingsForm: 'device-agent:get-settings-form',
  saveSettings: 'device-agent:save-settings',
  setSecret: 'device-agent:set-secret',
  copyHardwareId: 'device-agent:copy-hardware-id',
  exportDiagnostics: 'device-agent:export-diagnostics',
  /** Deactivates this device on the license (the window asks the person to confirm first). */
  deactivate: 'device-agent:deactivate',
  /** Quits and installs the downloaded update (only when one is ready; main/updater.ts). */
  restartToUpdate: 'device-agent:restart-to-update',
} as const;

export type Channel = (typeof CHANNELS)[keyof typeof CHANNELS];
/** Channels the renderer invokes (everything but the push channel). */
export type InvokeChannel = Exclude<Channel, typeof CHANNELS.statusChanged>;

// ---------------------------------------------------------------------------
// Replies

export interface ReplyError {
  /** The payload field at fault (dotted path), or '' when no single field is. */
  field: string;
  message: string;
}

export type Reply<T> = { ok: true; value: T } | { ok: false; error: ReplyError };

/** How visible the app is (the managed file's trayIcon and notifications, issue 15). */
export interface AppearanceView {
  trayIcon: 'always' | 'attention' | 'never';
  notifications: boolean;
  /** In words for the Overview, saying when the administrator set it. */
  trayIconText: string;
  notificationsText: string;
}

/**
 * Where the app's own update stands (main/updater.ts): off (and why), up to date, checking,
 * a version found, downloading, downloaded and verified (ready), held back by the
 * administrator's pin, or a failure (and when it tries again).
 */
export type UpdateState = 'off' | 'idle' | 'checking' | 'available' | 'downloading' | 'ready' | 'held' | 'failed';

export interface UpdateView {
  /** The version running now. */
  currentVersion: string;
  state: UpdateState;
  /** One sentence for the window and the diagnostics: what stands and what happens next. */
  summary: string;
  /** The version found, downloading or ready. */
  version?: string;
  /** Download progress, 0–100. */
  percent?: number;
  /** Installing needs an administrator (a per-machine install): said before anyone asks for it. */
  elevation?: string;
  /** The window and the tray offer "Restart to update". */
  canRestart: boolean;
  lastCheckAt?: number;
  nextCheckAt?: number;
}

/** The button beside the problem shown: open Settings (a setting the window edits cures it), try again, or none (main/error-fix.ts). */
export type ErrorFixView = 'settings' | 'sync' | 'none';

/** What the window shows: the engine's status plus what only the shell knows. */
export interface StatusView extends AgentStatus {
  startAtLogin: boolean;
  /** With an error: the one button offered beside it. */
  errorFix?: ErrorFixView;
  /** Where a machine-wide managed configuration was read from, if any. */
  managedConfigPath?: string;
  appearance: AppearanceView;
  /** The desktop app's own version and update (absent where no updater runs). */
  update?: UpdateView;
}

export type SyncResultView = SyncResult;

export { PII_KINDS, type PiiKind };
export { SECRET_NAMES, type AuthMethod, type FormFieldView, type SecretName, type SettingsFormView, type SettingsInput, type SettingsValue, type SettingsView } from './settings-view.ts';

// ---------------------------------------------------------------------------
// Renderer → main payload schemas (zod at the trust boundary). Each is built in a
// /* @__PURE__ */ IIFE so that bundles taking only CHANNELS (the preload) drop zod.

/**
 * A save's payload as it crosses: an object of fields. What each field may hold is the
 * settings table's (app/config/fields.ts), checked by main once, naming the field
 * (main/settings-input.ts): the preload neither loads that table nor zod.
 */
export const SettingsInputSchema = /* @__PURE__ */ (() => z.record(z.string(), z.unknown(), { error: 'must be an object of settings' }))();

export const SecretInputSchema = /* @__PURE__ */ (() => z.strictObject({
  name: z.enum(SECRET_NAMES),
  /** '' clears the stored secret. */
  value: z.string().max(1024).regex(/^[^\p{Cc}]*$/u, 'must not contain control characters'),
}))();
export type SecretInput = z.infer<typeof SecretInputSchema>;

export const SetPausedSchema = /* @__PURE__ */ (() => z.strictObject({ paused: z.boolean() }))();

const NoPayload = /* @__PURE__ */ (() => z.undefined({ error: 'takes no payload' }))();

/** The schema of each invoke channel's one payload argument. */
export const PAYLOAD_SCHEMAS = /* @__PURE__ */ (() => ({
  [CHANNELS.getStatus]: NoPayload,
  [CHANNELS.syncNow]: NoPayload,
  [CHANNELS.setPaused]: SetPausedSchema,
  [CHANNELS.getSettings]: NoPayload,
  [CHANNELS.getSettingsForm]: NoPayload,
  [CHANNELS.saveSettings]: SettingsInputSchema,
  [CHANNELS.setSecret]: SecretInputSchema,
  [CHANNELS.copyHardwareId]: NoPayload,
  [CHANNELS.exportDiagnostics]: NoPayload,
  [CHANNELS.deactivate]: NoPayload,
  [CHANNELS.restartToUpdate]: NoPayload,
}) as const satisfies Record<InvokeChannel, z.ZodType>)();

export type PayloadOf<C extends InvokeChannel> = z.infer<(typeof PAYLOAD_SCHEMAS)[C]>;
/** The arguments after the channel: none for a channel that takes no payload, else its payload. */
export type PayloadArgs<C extends InvokeChannel> = undefined extends PayloadOf<C> ? [] : [payload: PayloadOf<C>];

/** The value each invoke channel replies with (inside Reply). */
export interface ReplyValues {
  [CHANNELS.getStatus]: StatusView;
  [CHANNELS.syncNow]: SyncResultView;
  [CHANNELS.setPaused]: StatusView;
  [CHANNELS.getSettings]: SettingsView;
  [CHANNELS.getSettingsForm]: SettingsFormView;
  [CHANNELS.saveSettings]: SettingsView;
  [CHANNELS.setSecret]: SettingsView;
  [CHANNELS.copyHardwareId]: null;
  [CHANNELS.exportDiagnostics]: { path: string };
  [CHANNELS.deactivate]: StatusView;
  [CHANNELS.restartToUpdate]: null;
}

/** Types only: the channel a reply answers (never set at run time). */
declare const ANSWERS: unique symbol;

/**
 * The reply of channel C, tagged with C: a bridge method whose type says it answers one
 * channel cannot return another channel's call, even one with the same value type.
 */
export type ReplyOf<C extends InvokeChannel> = Reply<ReplyValues[C]> & { readonly [ANSWERS]?: C };

/** One request over a channel, with that channel's payload (or none). */
export type Invoke = <C extends InvokeChannel>(channel: C, ...payload: PayloadArgs<C>) => Promise<ReplyOf<C>>;

// ---------------------------------------------------------------------------
// What the renderer sees as window.deviceAgent

export interface DeviceAgentBridge {
  getStatus(): Promise<ReplyOf<typeof CHANNELS.getStatus>>;
  /** Called with every status change; returns the unsubscribe function. */
  onStatus(listener: (status: StatusView) => void): () => void;
  syncNow(): Promise<ReplyOf<typeof CHANNELS.syncNow>>;
  setPaused(paused: boolean): Promise<ReplyOf<typeof CHANNELS.setPaused>>;
  getSettings(): Promise<ReplyOf<typeof CHANNELS.getSettings>>;
  /** What the Settings form has: its groups and fields, in order (static; locks and values come with getSettings). */
  getSettingsForm(): Promise<ReplyOf<typeof CHANNELS.getSettingsForm>>;
  saveSettings(input: SettingsInput): Promise<ReplyOf<typeof CHANNELS.saveSettings>>;
  /** Stores a secret; it can never be read back (SettingsView only says whether one is set). */
  setSecret(input: SecretInput): Promise<ReplyOf<typeof CHANNELS.setSecret>>;
  copyHardwareId(): Promise<ReplyOf<typeof CHANNELS.copyHardwareId>>;
  exportDiagnostics(): Promise<ReplyOf<typeof CHANNELS.exportDiagnostics>>;
  /** deactivate_license for this device; syncing pauses (resuming activates it again when auto-activate is on). */
  deactivate(): Promise<ReplyOf<typeof CHANNELS.deactivate>>;
  /** Quits, installs the update that is ready and starts the new version (refused when none is ready). */
  restartToUpdate(): Promise<ReplyOf<typeof CHANNELS.restartToUpdate>>;
}

/** Every channel's method is on the bridge, and nothing else is (the typecheck fails otherwise). */
type BridgeMethod = Exclude<keyof typeof CHANNELS, 'statusChanged'> | 'onStatus';
const _bridgeIsTheTable: [Exclude<BridgeMethod, keyof DeviceAgentBridge> | Exclude<keyof DeviceAgentBridge, BridgeMethod>] extends [never] ? true : never = true;
void _bridgeIsTheTable;

/** Listens on the push channel; returns the function that stops listening. */
export type Listen = (channel: typeof CHANNELS.statusChanged, listener: (status: StatusView) => void) => () => void;

/**
 * The bridge, written once: the preload builds window.deviceAgent with it over ipcRenderer,
 * the renderer tests over their page binding. `invoke` sends one request; `listen`
 * subscribes to the push channel.
 */
export function createBridge(invoke: Invoke, listen: Listen): DeviceAgentBridge {
  return {
    getStatus: () => invoke(CHANNELS.getStatus),
    onStatus: (listener) => listen(CHANNELS.statusChanged, listener),
    syncNow: () => invoke(CHANNELS.syncNow),
    setPaused: (paused) => invoke(CHANNELS.setPaused, { paused }),
    getSettings: () => invoke(CHANNELS.getSettings),
    getSettingsForm: () => invoke(CHANNELS.getSettingsForm),
    saveSettings: (input) => invoke(CHANNELS.saveSettings, input),
    setSecret: (input) => invoke(CHANNELS.setSecret, input),
    copyHardwareId: () => invoke(CHANNELS.copyHardwareId),
    exportDiagnostics: () => invoke(CHANNELS.exportDiagnostics),
    deactivate: () => invoke(CHANNELS.deactivate),
    restartToUpdate: () => invoke(CHANNELS.restartToUpdate),
  };
}

/** Turns a zod failure into the one-field error the renderer shows. */
export function replyErrorFromZod(error: z.ZodError): ReplyError {
  const issue = error.issues[0];
  if (!issue) return { field: '', message: 'invalid payload' };
  const field = issue.path.map(String).join('.');
  return { field, message: field ? `${fieldLabel(field)}: ${issue.message}` : issue.message };
}

