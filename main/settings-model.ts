// The user's own settings (what the window edits), how they map onto the
// engine's configuration keys, and how the machine-wide managed configuration
// overrides and locks them. Pure functions over plain data.
import { UserFacingError } from '../app/errors/user-facing-error.ts';
import { maskLicenseKey } from '../app/license-key-mask.ts';
import {
  PII_KINDS, fieldLabel,
  type AuthMethod, type PiiKind, type SettingsInput, type SettingsView,
} from '../preload/contract.ts';
import { BRANDING } from '../app/branding/index.ts';

/** What the settings store holds (config-file key names; secrets live in the vault). */
export interface UserSettings {
  authMethod?: AuthMethod;
  apiUrl?: string;
  apiKey?: string;
  clientId?: string;
  tokenUrl?: string;
  product?: string;
  licenseKey?: string;
  username?: string;
  /** Minutes. */
  interval?: number;
  allow?: string[];
  pii?: PiiKind[];
  autoActivate?: boolean;
}

/** The branding's default server (the agent's own default when no layer sets apiUrl). */
export const DEFAULT_API_URL = BRANDING.defaults.apiUrl;
export const DEFAULT_INTERVAL_MINUTES = 15;

/** Contract field → the configuration key(s) that lock it when a managed file sets them. */
const LOCK_SOURCES: Record<string, readonly string[]> = {
  apiUrl: ['apiUrl'],
  authMethod: ['apiKey', 'sharedKey', 'clientId', 'clientSecret'],
  apiKey: ['apiKey'],
  sharedKey: ['sharedKey'],
  clientId: ['clientId'],
  clientSecret: ['clientSecret'],
  tokenUrl: ['tokenUrl'],
  product: ['product'],
  licenseKey: ['licenseKey'],
  username: ['username'],
  intervalMinutes: ['interval'],
  allow: ['allow'],
  pii: ['pii'],
  autoActivate: ['autoActivate'],
};

/** The contract fields locked by a managed file that sets these configuration keys. */
export function lockedFields(managedKeys: readonly string[]): string[] {
  const keys = new Set(managedKeys);
  return Object.entries(LOCK_SOURCES).filter(([, sources]) => sources.some((k) => keys.has(k))).map(([field]) => field);
}

export interface ViewInput {
  user: UserSettings;
  /** Values from the managed file (config keys), which win. */
  managed: Record<string, unknown>;
  hasSharedKey: boolean;
  hasClientSecret: boolean;
  startAtLogin: boolean;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function settingsView({ user, managed, hasSharedKey, hasClientSecret, startAtLogin }: ViewInput): SettingsView {
  const pick = <K extends keyof UserSettings>(key: K): unknown => (key in managed ? managed[key] : user[key]);
  const managedAuth: AuthMethod | undefined = managed.clientId !== undefined || managed.clientSecret !== undefined ? 'oauth'
    : managed.apiKey !== undefined || managed.sharedKey !== undefined ? 'hmac' : undefined;
  const pii = pick('pii');
  const piiList = Array.isArray(pii) ? pii : [];
  const interval = pick('interval');
  return {
    apiUrl: str(pick('apiUrl')) ?? DEFAULT_API_URL,
    authMethod: managedAuth ?? user.authMethod ?? 'hmac',
    apiKey: str(pick('apiKey')) ?? '',
    clientId: str(pick('clientId')) ?? '',
    tokenUrl: str(pick('tokenUrl')) ?? '',
    product: str(pick('product')) ?? BRANDING.defaults.product ?? '',
    licenseKeyMasked: maskLicenseKey(str(pick('licenseKey')) ?? ''),
    username: str(pick('username')) ?? '',
    intervalMinutes: typeof interval === 'number' ? interval : DEFAULT_INTERVAL_MINUTES,
    allow: (Array.isArray(pick('allow')) ? pick('allow') as string[] : []).slice(),
    pii: Object.fromEntries(PII_KINDS.map((k) => [k, piiList.includes(k)])) as Record<PiiKind, boolean>,
    autoActivate: typeof pick('autoActivate') === 'boolean' ? pick('autoActivate') as boolean : BRANDING.defaults.autoActivate,
    startAtLogin,
    hasSharedKey: hasSharedKey || managed.sharedKey !== undefined,
    hasClientSecret: hasClientSecret || managed.clientSecret !== undefined,
    locked: lockedFields(Object.keys(managed)),
  };
}

/** Refuses a change to a locked field (naming it), else returns the new user settings. */
export function applySettingsInput(user: UserSettings, input: SettingsInput, locked: readonly string[]): UserSettings {
  for (const field of Object.keys(input)) {
    if (field === 'startAtLogin') continue;
    if (locked.includes(field)) throw new UserFacingError(field, `${fieldLabel(field)} is set by your administrator (managed configuration) and cannot be changed here`);
  }
  const next: UserSettings = { ...user };
  const text = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);
  if (input.authMethod !== undefined) next.authMethod = input.authMethod;
  if (input.apiUrl !== undefined) next.apiUrl = input.apiUrl;
  if (input.apiKey !== undefined) next.apiKey = text(input.apiKey);
  if (input.clientId !== undefined) next.clientId = text(input.clientId);
  if (input.tokenUrl !== undefined) next.tokenUrl = text(input.tokenUrl);
  if (input.product !== undefined) next.product = text(input.product);
  // An empty license key keeps the stored one (the form never sees it).
  if (input.licenseKey) next.licenseKey = input.licenseKey;
  if (input.username !== undefined) next.username = text(input.username);
  if (input.intervalMinutes !== undefined) next.interval = input.intervalMinutes;
  if (input.allow !== undefined) next.allow = [...new Set(input.allow)];
  if (input.pii !== undefined) next.pii = PII_KINDS.filter((k) => input.pii?.[k]);
  if (input.autoActivate !== undefined) next.autoActivate = input.autoActivate;
  for (const key of Object.keys(next) as (keyof UserSettings)[]) if (next[key] === undefined) delete next[key];
  return next;
}

/** The user's settings as a configuration layer (config keys), secrets for the chosen auth method only. */
export function userConfigValues(user: UserSettings, secrets: { sharedKey?: string | undefined; clientSecret?: string | undefined }): Record<string, unknown> {
  const values: Record<string, unknown> = Object.create(null);
  const put = (key: string, value: unknown) => {
    if (value !== undefined && value !== '') values[key] = value;
  };
  put('apiUrl', user.apiUrl);
  if ((user.authMethod ?? 'hmac') === 'hmac') {
    put('apiKey', user.apiKey);
    put('sharedKey', secrets.sharedKey);
  } else {
    put('clientId', user.clientId);
    put('clientSecret', secrets.clientSecret);
    put('tokenUrl', user.tokenUrl);
  }
  put('product', user.product);
  put('licenseKey', user.licenseKey);
  put('username', user.username);
  put('interval', user.interval);
  if (user.allow?.length) values.allow = user.allow;
  if (user.pii?.length) values.pii = user.pii;
  put('autoActivate', user.autoActivate);
  return values;
}

/** Maps a configuration key named by a ConfigError back to the form's field. */
export function formFieldForConfigKey(key: string): string {
  return key === 'interval' ? 'intervalMinutes' : key.split('.')[0] ?? key;
}

/** Reads user settings from the store, dropping anything malformed (the store is a file the user can edit). */
export function readUserSettings(raw: unknown): UserSettings {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const r = raw as Record<string, unknown>;
  const out: UserSettings = {};
  const s = (k: keyof UserSettings) => (typeof r[k] === 'string' ? (r[k] as string) : undefined);
  if (r.authMethod === 'hmac' || r.authMethod === 'oauth') out.authMethod = r.authMethod;
  for (const k of ['apiUrl', 'apiKey', 'clientId', 'tokenUrl', 'product', 'licenseKey', 'username'] as const) {
    const v = s(k);
    if (v !== undefined) out[k] = v;
  }
  if (typeof r.interval === 'number' && Number.isInteger(r.interval) && r.interval >= 1 && r.interval <= 1440) out.interval = r.interval;
  if (Array.isArray(r.allow) && r.allow.every((x) => typeof x === 'string')) out.allow = r.allow as string[];
  if (Array.isArray(r.pii)) out.pii = PII_KINDS.filter((k) => (r.pii as unknown[]).includes(k));
  if (typeof r.autoActivate === 'boolean') out.autoActivate = r.autoActivate;
  return out;
}
