// The engine's settings (EngineOptions) and what follows from them alone: the identity
// hash acknowledged values belong to, the schedule's settings and the first cycle's splay.
import { createHash } from 'node:crypto';
import type { HardwareIdSourceView, ReplyVerificationView } from '../agent-api.ts';
import type { VariableMap } from '../variables.ts';
import type { Message } from '../../locales/i18n.ts';
import type { ActivateRequest, SyncIdentity } from './ports.ts';
import { DEFAULT_BACKOFF, DEFAULT_PARKED_PROBE_MS } from './schedule.ts';
import type { ScheduleSettings, StartSplay } from './schedule.ts';

export const DAY_MS = 24 * 60 * 60_000;
export const DEFAULT_DEBOUNCE_MS = 2_000;

export interface EngineOptions {
  identity: SyncIdentity;
  intervalMs: number;
  /** ± fraction of the interval (default 0.1). */
  jitter?: number;
  autoActivate: boolean;
  /** Re-send every desired value this often (default 24 h). */
  fullRefreshMs?: number;
  /** Re-collect static facts this often (default 24 h; always at start). */
  staticRefreshMs?: number;
  backoff?: { capMs: number; floorMs?: number };
  parkedProbeMs?: number;
  /** Extra activation fields (auto-activate); `password` for user-based products. */
  activation?: Omit<ActivateRequest, keyof SyncIdentity | 'variables'>;
  /** Device facts for an activation taken from the desired values (hostname, ip, mac only when PII allows; is_vm). */
  activationFacts?: (desired: VariableMap) => Omit<ActivateRequest, keyof SyncIdentity | 'variables'>;
  display: {
    apiUrl: string; usingSandbox: boolean; licenseDisplay: string;
    hardwareIdSource?: HardwareIdSourceView;
    replyVerification?: ReplyVerificationView;
  };
  /**
   * Reads the hardware id again at the start of every cycle (hardwareIdFile). A change
   * is an identity change; a failure ends the cycle before anything is sent.
   */
  refreshHardwareId?: () => Promise<string>;
  /** Ask check_license this often (default 24 h; also after license errors and identity changes). */
  licenseCheckMs?: number;
  /**
   * Ask check_license at start even when the persisted answer is recent (default true: the
   * daemon and the desktop app). `once` passes false, so a cron job asks once a day.
   */
  checkLicenseAtStart?: boolean;
  /**
   * A keyed hash of the credentials (never the secret itself; see create-agent.ts): what the
   * server acknowledged was acknowledged to these credentials, so new ones re-send everything.
   */
  credentialTag?: string;
  warnings?: string[];
  /** Catalogue messages of some of `warnings` (same English words): the window says them in its language. */
  warningMessages?: Message[];
  /**
   * First cycle right after start(). Otherwise its delay follows what the persisted state
   * says (schedule.ts, firstCycle): within seconds, the short splay, or up to one interval.
   */
  startImmediately?: boolean;
  /** The short splay of the first cycle (default SHORT_SPLAY_MS, 2 min): values left unsent, a static fact changed. */
  shortSplayMs?: number;
  /** Static facts whose change at start is not news (default: the catalogue's, e.g. boot_time). */
  restartNoise?: ReadonlySet<string>;
  /** Debounce of trigger() (default 2 s). */
  debounceMs?: number;
}

/**
 * The identity acknowledged values belong to — which server, which credentials, which
 * device, which license — hashed so no license key is stored in clear. A new hash means
 * the server may hold none of our values (or the new credentials were never tried):
 * everything is sent again.
 */
export function identityHash(identity: SyncIdentity, apiUrl?: string, credentialTag?: string): string {
  const parts = [identity.product, identity.hardwareId, identity.licenseKey ?? null, identity.username ?? null, identity.licenseId ?? null];
  if (apiUrl !== undefined) parts.push(apiUrl);
  if (credentialTag !== undefined) parts.push(credentialTag);
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

export const hashOf = (o: EngineOptions): string => identityHash(o.identity, o.display.apiUrl, o.credentialTag);

/** The schedule's settings (schedule.ts) under these options. */
export const scheduleSettings = (options: EngineOptions): ScheduleSettings => ({
  intervalMs: options.intervalMs,
  jitter: options.jitter ?? 0.1,
  backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
  parkedProbeMs: options.parkedProbeMs ?? DEFAULT_PARKED_PROBE_MS,
});

/** The first cycle's splay (schedule.ts firstCycle) under these options. */
export const startSplay = (options: EngineOptions): StartSplay => ({ intervalMs: options.intervalMs, ...(options.shortSplayMs === undefined ? {} : { shortMs: options.shortSplayMs }) });
