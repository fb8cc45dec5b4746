// The engine's face: what the CLI and the Electron shell (main/) may use.
// Everything behind it (collectors, client, state, scheduler) stays inside app/.
import type { Message } from '../locales/i18n.ts';
import type { ErrorClass } from './licenseapi/error-codes.ts';
import type { VariableValue } from './variables.ts';

/** What the agent is doing, as one word; the tray maps it to an icon. */
export type AgentPhase =
  | 'starting'   // nothing known yet: no state from an earlier run, no cycle finished
  | 'synced'     // the server holds every desired value
  | 'syncing'    // a request is in flight
  | 'pending'    // values wait to be sent (offline, retrying, backing off)
  | 'attention'  // a person must act (configuration, activation, license state)
  | 'paused';    // the user paused syncing

/**
 * Why the first cycle after a start comes when it does (app/sync/schedule.ts, firstCycle):
 * asked — at once (the desktop app's first run, the sandbox, the demo); first-start — nothing
 * was ever sent from here; configuration — server, credentials, device or license differ from
 * what the state was acknowledged for (within seconds); pending — values were left unsent;
 * static-changed — a fact about the computer changed while the agent was off (a short splay);
 * attention — the last run ended on a problem a person must solve; drift — in sync when it
 * stopped, only metrics can have moved (the regular splay, up to one interval).
 */
export type FirstSyncReason = 'asked' | 'first-start' | 'configuration' | 'pending' | 'static-changed' | 'attention' | 'drift';

/** Why a sync was started. */
export type SyncTrigger = 'timer' | 'start' | 'manual' | 'config-change' | 'resume' | 'network-back' | 'retry' | 'daily-refresh';

export interface AgentErrorView {
  /** The API error code (`device_not_found`, ...) or a local one (`network_error`, `timeout`, `signature_v2_mismatch`, ...). */
  code: string;
  errorClass: ErrorClass;
  /** What happened, in plain words. */
  summary: string;
  /** What to do about it. */
  remedy: string;
  at: number;
  /** The summary and the remedy as catalogue messages (the shell's own problems): said in the reader's language. */
  summaryMessage?: Message;
  remedyMessage?: Message;
}

export interface VariableRow {
  name: string;
  /** The latest collected value (what should be on the server). */
  value: VariableValue;
  /** What the server last confirmed, if anything. */
  acknowledged?: VariableValue;
  /** True while value differs from acknowledged. */
  pending: boolean;
}

export interface SyncHistoryEntry {
  at: number;
  outcome: 'ok' | 'error' | 'nothing-to-send';
  /** Variables sent in this attempt. */
  sent: number;
  code?: string;
}

export interface MetricSample {
  at: number;
  /** A few dynamic metrics by variable name (e.g. cpu_load_pct, ram_used_pct). */
  values: Record<string, number>;
}

export interface CollectorFailure {
  collector: string;
  message: string;
  at: number;
}

/** Where the hardware id came from, for the Overview and `device-agent status`. */
export interface HardwareIdSourceView {
  source: 'configured' | 'file' | 'os' | 'generated';
  /** Plain words in English, including whether it is the id LicenseSpring's SDK computes on this OS. */
  description: string;
  /** The same as a catalogue message, for a reader in another language. */
  message?: Message;
}

/** Whether replies are checked against the server's response-signing key. */
export interface ReplyVerificationView {
  verified: boolean;
  /** vendor: LicenseSpring's published key (the default for its production API); configured: publicKey; sandbox: the local sandbox's key. */
  keySource: 'vendor' | 'configured' | 'sandbox' | 'none';
  description: string;
}

/** What check_license (or the activation) said about the license, in the status. */
export interface LicenseStateView {
  /** perpetual, time-limited, subscription, consumption (as the server names it). */
  type?: string;
  isTrial?: boolean;
  enabled?: boolean;
  active?: boolean;
  expired?: boolean;
  /** End of validity (ms), when the license has one. */
  expiresAt?: number;
  /** Whole days until expiresAt (0 on the last day), at the time of the status. */
  daysLeft?: number;
  maxActivations?: number;
  timesActivated?: number;
  /** When the server last said it (ms). */
  checkedAt: number;
  /** One line in English words, e.g. "perpetual license · enabled · active · 3 of 100 activations used" (never stored: the state keeps the facts). */
  summary: string;
  /** The same line as catalogue messages, one per part (joined with " · "), for a reader in another language. */
  summaryParts?: Message[];
}

/**
 * Where variables besides the agent's own come from (issue 15): a file another program
 * wrote in a variables.d folder, or a source the managed file defines. A source that
 * is skipped or off names why; it never stops the cycle.
 */
export interface VariableSourceView {
  /** A drop-in file's source name (acme for acme.json), or the managed variable's name. */
  source: string;
  scope: 'per-machine folder' | 'per-user folder' | 'managed file';
  /** The file, or what the agent reads: "environment variable ACME_EDITION", "command /usr/bin/x", ... */
  origin: string;
  /** ok: its variables are among those sent; skipped: invalid or refused this cycle; off: not enabled or not on this platform. */
  state: 'ok' | 'skipped' | 'off';
  /** Variables it gave this cycle. */
  variables: number;
  /** Why it was skipped or is off, in words (never the file's content). */
  problem?: string;
  /** Sources that start a process: when it last ran. */
  lastRunAt?: number;
}

export interface AgentStatus {
  phase: AgentPhase;
  /** One line for the tray tooltip / CLI status, in English (logs, readers that know no catalogue). */
  headline: string;
  /** The same line as a catalogue key and parameters: the window, the tray and the CLI say it in their reader's language. */
  headlineMessage?: Message;
  hardwareId: string;
  product: string;
  /** License key with all but the last 4 characters masked, or the username. */
  licenseDisplay: string;
  apiUrl: string;
  /** True when running against the embedded sandbox. */
  usingSandbox: boolean;
  lastAttemptAt?: number;
  lastSuccessAt?: number;
  nextSyncAt?: number;
  error?: AgentErrorView;
  variables: VariableRow[];
  history: SyncHistoryEntry[];
  samples: MetricSample[];
  collectorFailures: CollectorFailure[];
  /** Things worth a person's attention that do not stop syncing (cloned image, shared key in use, license expiring, ...). */
  warnings: string[];
  /** Warnings the engine words from the catalogue: each says the same as one entry of `warnings` in English. */
  warningMessages?: Message[];
  hardwareIdSource?: HardwareIdSourceView;
  replyVerification?: ReplyVerificationView;
  /** Known once check_license (or an activation) answered. */
  license?: LicenseStateView;
  /** Drop-in files and managed sources seen at the last cycle (absent when there are none). */
  variableSources?: VariableSourceView[];
  /**
   * Until the first cycle after a start begins: why it comes when it does, and that in one
   * sentence (the window shows it beside the next sync time; `run` prints it).
   */
  firstSync?: { reason: FirstSyncReason; explanation: string };
}

export interface SyncResult {
  ok: boolean;
  /** Variables sent (0 when nothing was pending). */
  sent: number;
  error?: AgentErrorView;
}

export interface DeactivateResult {
  ok: boolean;
  error?: AgentErrorView;
}

export interface Agent {
  /** Starts the schedule (random first delay unless told otherwise). */
  start(): Promise<void>;
  /** Stops timers and waits for a write in flight. */
  stop(): Promise<void>;
  /** Collects and syncs now; resolves when the cycle ends. */
  syncNow(trigger?: SyncTrigger): Promise<SyncResult>;
  /** Asks for a sync soon (debounced); used for resume, network back, config change. */
  trigger(trigger: SyncTrigger): void;
  setPaused(paused: boolean): void;
  status(): AgentStatus;
  onStatus(listener: (status: AgentStatus) => void): () => void;
  /**
   * Deactivates this device on the license (deactivate_license), forgets what the server
   * acknowledged, and pauses syncing (resuming would activate the device again when
   * auto-activate is on). Waits for a cycle in flight first.
   */
  deactivate(): Promise<DeactivateResult>;
}
