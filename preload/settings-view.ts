// The Settings view's types (part of the contract, which re-exports them): the form's
// description main sends (from the one settings table, app/config/fields.ts) and the
// values it shows. Types, and the names of the two write-only secrets.
import type { FormGroup, FormInput } from '../app/config/fields.ts';
import type { PiiKind } from '../app/config/pii-kinds.ts';

export type AuthMethod = 'hmac' | 'oauth';
export const SECRET_NAMES = ['sharedKey', 'clientSecret'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

/** One field of the Settings form, as main describes it (main/settings-fields.ts, from app/config/fields.ts). */
export interface FormFieldView {
  /** Its name in SettingsView, SettingsInput and errors; its texts: settings.<name>, settings.<name>Hint, … */
  name: string;
  input: FormInput;
  /** Shown only while its group's choice has this value. */
  section?: string;
  hint?: boolean;
  placeholder?: boolean;
  min?: number;
  max?: number;
  options?: string[];
}

/** The Settings form: its fieldsets in order (legend: settings.<group>), each with its fields. */
export type SettingsFormView = { group: FormGroup; fields: FormFieldView[] }[];

/** A value the Settings form shows: text, minutes, on/off, a list, or one on/off per option. */
export type SettingsValue = string | number | boolean | string[] | Record<string, boolean>;

/**
 * The settings form's view: each field's value by its name, as main/settings-model.ts derives
 * it from the settings table (a new field needs no line here: the index signature takes it;
 * the named ones type today's fields for the code and tests that read them). Secrets are
 * write-only: only whether one is set (has<Name>); the license key only masked (<name>Masked).
 */
export interface SettingsView {
  [field: string]: SettingsValue | SecretName[] | undefined;
  apiUrl: string;
  authMethod: AuthMethod;
  apiKey: string;
  clientId: string;
  tokenUrl: string;
  product: string;
  /** License key with all but the last 4 characters masked ('' when none). */
  licenseKeyMasked: string;
  username: string;
  intervalMinutes: number;
  allow: string[];
  pii: Record<PiiKind, boolean>;
  autoActivate: boolean;
  startAtLogin: boolean;
  hasSharedKey: boolean;
  hasClientSecret: boolean;
  /** Fields set by the machine-wide managed configuration; the form shows them read-only. */
  locked: string[];
  /**
   * In a save's reply only: the stored secrets this save cleared, because the server
   * they were entered for changed (a secret is never sent to another server).
   */
  secretsCleared?: SecretName[];
}

/** What a save sends: the fields that changed, by name (main checks each: main/settings-input.ts). */
export type SettingsInput = { [field: string]: SettingsValue | undefined };
