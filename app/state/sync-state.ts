// The shape of the agent's durable state, validated with zod whenever it is read
// from disk (a file is a trust boundary: it may be truncated, hand-edited or old).
import { z } from 'zod';
import { ERROR_TEXTS } from '../licenseapi/error-text.ts';

const variableValue = z.union([z.string(), z.number(), z.boolean()]);
const variableMap = z.record(z.string(), variableValue);

/**
 * The last error as the file keeps it: its code, class and time; the words only when they are
 * not the code's own (the engine added a detail). Reading fills the code's words back from the
 * tables, so a reader in any language gets them by code (localizeError). Files written before
 * carry the words in English: read as they are.
 */
const errorView = z.object({
  code: z.string(),
  errorClass: z.enum(['retryable', 'needs-configuration', 'needs-activation', 'license-state', 'fatal']),
  summary: z.string().optional(),
  remedy: z.string().optional(),
  at: z.number(),
}).transform(({ summary, remedy, ...rest }) => ({
  ...rest,
  summary: summary ?? ERROR_TEXTS[rest.code]?.summary ?? 'The last sync failed.',
  remedy: remedy ?? ERROR_TEXTS[rest.code]?.remedy ?? 'Nothing to do: the agent retries by itself. If it persists, send the logs to support.',
}));

/** The state as the file holds it: an error's words are left out where they are its code's own (see errorView). */
export function stateText(state: SyncState): string {
  return JSON.stringify(state, (key, value: unknown) => {
    if (key !== 'lastError' || typeof value !== 'object' || value === null) return value;
    const error = value as { code: string; summary?: string; remedy?: string };
    const own = ERROR_TEXTS[error.code];
    const { summary, remedy, ...rest } = error;
    return { ...rest, ...(summary !== own?.summary ? { summary } : {}), ...(remedy !== own?.remedy ? { remedy } : {}) };
  });
}

const historyEntry = z.object({
  at: z.number(),
  outcome: z.enum(['ok', 'error', 'nothing-to-send']),
  sent: z.number().int().nonnegative(),
  code: z.string().optional(),
});

const metricSample = z.object({
  at: z.number(),
  values: z.record(z.string(), z.number()),
});

/** What the server last said about the license (LicenseStateView without the clock-derived daysLeft). */
const licenseState = z.object({
  type: z.string().max(64).optional(),
  isTrial: z.boolean().optional(),
  enabled: z.boolean().optional(),
  active: z.boolean().optional(),
  expired: z.boolean().optional(),
  expiresAt: z.number().optional(),
  maxActivations: z.number().optional(),
  timesActivated: z.number().optional(),
  checkedAt: z.number(),
  /** Written by versions before the summary was said from the catalogues: read, then dropped (it is said anew from the facts). */
  summary: z.string().max(300).optional(),
}).transform(({ summary: _sentence, ...facts }) => facts);

/** What a drop-in file or managed source did at the last collection (AgentStatus.variableSources), for `device-agent status` and a restart. */
const variableSource = z.object({
  source: z.string().max(64),
  scope: z.enum(['per-machine folder', 'per-user folder', 'managed file']),
  origin: z.string().max(4200),
  state: z.enum(['ok', 'skipped', 'off']),
  variables: z.number().int().nonnegative(),
  problem: z.string().max(1000).optional(),
  lastRunAt: z.number().optional(),
});

export const STATE_VERSION = 1;

export const syncStateSchema = z.object({
  version: z.literal(STATE_VERSION),
  /** Latest collected values: what the server should hold. */
  desired: variableMap,
  /** What the server confirmed, for the identity below. */
  acknowledged: variableMap,
  /** SHA-256 of the identity (product, hardware id, license) the acknowledged values belong to; no key is stored in clear. */
  identityHash: z.string().optional(),
  /** Static facts from the last static collection (re-used between daily collections). */
  staticValues: variableMap,
  lastStaticAt: z.number().optional(),
  lastFullRefreshAt: z.number().optional(),
  lastAttemptAt: z.number().optional(),
  lastSuccessAt: z.number().optional(),
  lastError: errorView.optional(),
  /**
   * The last automatic activation, for which identity (hashed) and when: an unsigned
   * device_not_found (anyone on the path can send one) leads to at most one a day.
   */
  lastActivationAttempt: z.object({ identityHash: z.string(), at: z.number() }).optional(),
  /** What check_license (or the last activation) said, for this identity; `once` asks again when it is a day old. */
  license: licenseState.optional(),
  history: z.array(historyEntry),
  samples: z.array(metricSample),
  /** The variable sources at the last collection (issue 15); absent when there were none. */
  variableSources: z.array(variableSource).max(200).optional(),
});

export type SyncState = z.infer<typeof syncStateSchema>;

export function emptySyncState(): SyncState {
  return { version: STATE_VERSION, desired: {}, acknowledged: {}, staticValues: {}, history: [], samples: [] };
}
