// The user's own settings (what the window edits), how they map onto the
// engine's configuration keys, and how the machine-wide managed configuration
// overrides and locks them. Pure functions over plain data, field by field as
// the one table says (main/settings-fields.ts): each input kind is shown, read
// back, stored and given to the engine in one way.
import { UserFacingError } from '../app/errors/user-facing-error.ts';
import { maskLicenseKey } from '../app/license-key-mask.ts';
import { fieldLabel, type AuthMethod, type SettingsInput, type SettingsView } from '../preload/contract.ts';
import { BRANDING } from '../app/branding/index.ts';
import { lockedFields, WINDOW_FIELDS, windowField, type WindowField } from './settings-fields.ts';

export { formFieldForConfigKey, lockedFields } from './settings-fields.ts';

/** A stored value: text, minutes, on/off or a list. */
export type UserValue = string | number | boolean | string[];

/** What the settings store holds (config-file key names; secrets live in the vault). */
export interface UserSettings {
  authMethod?: AuthMethod;
  apiUrl?: string;
  tokenUrl?: string;
  licenseKey?: string;
  [key: string]: UserValue | undefined;
}

/** The branding's default server (the agent's own default when no layer sets apiUrl). */
export const DEFAULT_API_URL = BRANDING.defaults.apiUrl;

/** Where a field's value is kept: its configuration key, or its own name (authMethod); none for what the shell keeps. */
const storeKey = (f: WindowField): string | undefined => (f.shell ? undefined : f.key ?? f.name);
/** The fields the settings store holds (secrets live in the vault). */
const STORED = WINDOW_FIELDS.filter((f) => storeKey(f) !== undefined && f.input !== 'secret');
const cap = (s: string) => `${s[0]?.toUpperCase() ?? ''}${s.slice(1)}`;

/** A stored or managed value as the field's kind reads it, or undefined when it is not one. */
function valueOf(f: WindowField, v: unknown): UserValue | undefined {
  switch (f.input) {
    case 'text': case 'url': case 'masked': return typeof v === 'string' ? v : undefined;
    case 'minutes': return typeof v === 'number' && Number.isInteger(v) && v >= (f.min ?? 1) && v <= (f.max ?? Infinity) ? v : undefined;
    case 'names': return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v as string[] : undefined;
    case 'checks': return Array.isArray(v) ? (f.options ?? []).filter((o) => v.includes(o)) : undefined;
    case 'checkbox': return typeof v === 'boolean' ? v : undefined;
    case 'choice': return typeof v === 'string' && f.options?.includes(v) ? v : undefined;
    default: return undefined;
  }
}

export interface ViewInput {
  user: UserSettings;
  /** Values from the managed file (config keys), which win. */
  managed: Record<string, unknown>;
  hasSharedKey: boolean;
  hasClientSecret: boolean;
  startAtLogin: boolean;
}

/** The choice the managed file makes by setting a field of one of its sections (OAuth's client id wins over an API key). */
function managedChoice(f: WindowField, managed: Record<string, unknown>): string | undefined {
  return f.options?.find((option) => WINDOW_FIELDS.some((w) => w.section === option && w.key !== undefined && f.lockedBy.includes(w.key) && managed[w.key] !== undefined));
}

export function settingsView({ user, managed, hasSharedKey, hasClientSecret, startAtLogin }: ViewInput): SettingsView {
  const has: Record<string, boolean> = { sharedKey: hasSharedKey, clientSecret: hasClientSecret };
  const view: Record<string, unknown> = {};
  for (const f of WINDOW_FIELDS) {
    const key = storeKey(f);
    // A managed value of the wrong type hides the person's (and shows the default).
    const raw = key === undefined ? undefined : f.key !== undefined && f.key in managed ? managed[f.key] : user[key];
    // The managed file's interval may be any number of minutes (90s is 1.5); the person's is whole.
    const value = f.input === 'minutes' && typeof raw === 'number' ? raw : valueOf(f, raw);
    switch (f.input) {
      case 'secret': view[`has${cap(f.name)}`] = (has[f.name] ?? false) || managed[f.key ?? f.name] !== undefined; break;
      case 'masked': view[`${f.name}Masked`] = maskLicenseKey((value as string | undefined) ?? ''); break;
      case 'names': view[f.name] = ((value as string[] | undefined) ?? []).slice(); break;
      case 'checks': view[f.name] = Object.fromEntries((f.options ?? []).map((o) => [o, ((value as string[] | undefined) ?? []).includes(o)])); break;
      case 'choice': view[f.name] = managedChoice(f, managed) ?? value ?? f.shown; break;
      default: view[f.name] = f.shell ? startAtLogin : value ?? f.shown ?? (f.input === 'checkbox' ? false : '');
    }
  }
  return { ...view, locked: lockedFields(Object.keys(managed)) } as SettingsView;
}

/** Refuses a change to a locked field (naming it), else returns the new user settings. */
export function applySettingsInput(user: UserSettings, input: SettingsInput, locked: readonly string[]): UserSettings {
  const given = input as Record<string, unknown>;
  for (const name of Object.keys(given)) {
    if (windowField(name)?.shell) continue;
    if (locked.includes(name)) throw new UserFacingError(name, `${fieldLabel(name)} is set by your administrator (managed configuration) and cannot be changed here`);
  }
  const next: UserSettings = { ...user };
  for (const f of STORED) {
    const v = given[f.name];
    const key = storeKey(f) as string;
    if (v === undefined) continue;
    switch (f.input) {
      // An empty license key keeps the stored one (the form never sees it).
      case 'masked': if (v !== '') next[key] = v as string; break;
      case 'text': case 'url': next[key] = v === '' ? undefined : v as string; break;
      case 'names': next[key] = [...new Set(v as string[])]; break;
      case 'checks': next[key] = (f.options ?? []).filter((o) => (v as Record<string, boolean>)[o]); break;
      default: next[key] = v as UserValue;
    }
  }
  for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
  return next;
}

/** The user's settings as a configuration layer (config keys), secrets for the chosen auth method only. */
export function userConfigValues(user: UserSettings, secrets: { sharedKey?: string | undefined; clientSecret?: string | undefined }): Record<string, unknown> {
  const values: Record<string, unknown> = Object.create(null);
  const chosen: Record<string, string | undefined> = Object.fromEntries(WINDOW_FIELDS.filter((f) => f.input === 'choice').map((f) => [f.name, valueOf(f, user[f.name]) as string | undefined ?? f.shown as string]));
  for (const f of WINDOW_FIELDS) {
    if (f.key === undefined || (f.section !== undefined && !Object.values(chosen).includes(f.section))) continue;
    const value = f.input === 'secret' ? (secrets as Record<string, string | undefined>)[f.key] : user[f.key];
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    values[f.key] = value;
  }
  return values;
}

/** Reads user settings from the store, dropping anything malformed (the store is a file the user can edit). */
export function readUserSettings(raw: unknown): UserSettings {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const r = raw as Record<string, unknown>;
  const out: UserSettings = {};
  for (const f of STORED) {
    const key = storeKey(f) as string;
    const v = valueOf(f, r[key]);
    if (v !== undefined) out[key] = v;
  }
  return out;
}
