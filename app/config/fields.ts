// The agent's configuration fields, declared once. This table drives the
// command-line flags, the DEVICE_AGENT_* environment variables, the JSON
// config file keys, the configuration's schema (each field's rule: schema.ts
// puts them together), the secret redaction and the README's configuration table;
// a field with a `form` part is also one of the window's settings: its place in
// the Settings view, how it is edited, stored and checked, and what the
// administrator's managed file locks (main/settings-fields.ts derives it all;
// the texts are the catalogues' settings.<name>, field.<name>).
//
// A `managedOnly` field decides what this computer runs or shows (commands, files read,
// the tray icon): only the administrator's managed file may set it. Its flag and
// environment variable exist only to be refused with a message saying so
// (app/config/load.ts, resolveConfig); the help text leaves them out.
import { z } from 'zod';
import { BRANDING } from '../branding/index.ts';
import { PII_KINDS } from './pii-kinds.ts';
import { durationMs, filePath, httpUrl, namePattern, PRODUCTION_TOKEN_URL, sourcePattern, TRAY_ICON_POLICIES, trimmed, variableName } from './rules.ts';
import { MAX_VARIABLE_SOURCES, variableSourceSchema } from './variable-sources.ts';

export type FieldKind = 'string' | 'secret' | 'url' | 'int' | 'bool' | 'duration' | 'list' | 'path' | 'enum' | 'object';

export interface FieldSpec {
  /** Key in the JSON config file and in AgentConfig. */
  key: string;
  /** Command-line flag, without the leading dashes. */
  flag: string;
  /** Environment variable. */
  env: string;
  kind: FieldKind;
  /** What a value must be (zod), with its default: the configuration's schema is these rules together. */
  rule: z.ZodType;
  description: string;
  /** Only the managed file may set it (refused, with a message, in --config, flags, environment and the window's settings). */
  managedOnly?: true;
  /** The window's settings form shows it (and the person may set it there). */
  form?: FormSpec;
}

/** The Settings view's fieldsets, in order (their legends: settings.<group>). */
export const FORM_GROUPS = ['server', 'license', 'whatIsSent', 'thisComputer'] as const;
export type FormGroup = (typeof FORM_GROUPS)[number];

/**
 * How the window edits a setting. Each input has one way to be shown, read back, stored
 * and checked (main/settings-model.ts, main/settings-input.ts, renderer/settings-form*.ts):
 * text/url — a line ('' clears it); secret — write-only, kept in the vault (the window
 * learns only whether one is set); masked — shown masked, '' keeps the stored one;
 * minutes — a whole number between min and max; names — variable names, comma-separated;
 * checks — one checkbox per option; checkbox — on/off; choice — one of its options.
 */
export type FormInput = 'text' | 'url' | 'secret' | 'masked' | 'minutes' | 'names' | 'checks' | 'checkbox' | 'choice';

export interface FormSpec {
  group: FormGroup;
  input: FormInput;
  /** Its name in the window and in errors when not the configuration key (intervalMinutes). */
  name?: string;
  /** Shown only while the group's choice has this value (the authorization method's fields). */
  section?: string;
  /** A line under it: settings.<name>Hint; a placeholder: settings.<name>Placeholder. */
  hint?: true;
  placeholder?: true;
  /** What the window shows when nothing sets it (else '', [], off). */
  shown?: string | number | boolean;
  min?: number;
  max?: number;
  options?: readonly string[];
  /** The window may not leave it empty (else '' clears it). */
  required?: true;
  /** What the window accepts, beyond its kind's rule, and the rule in words for the error. */
  pattern?: RegExp;
  rule?: string;
}

/** A setting the window has that is no configuration key (it decides or does something else). */
export interface WindowOnlyField extends FormSpec {
  name: string;
  /** Configuration keys that lock it when the managed file sets any of them. */
  lockedBy: readonly string[];
  /** The shell keeps it (not the settings store): start at login is the OS's login item. */
  shell?: true;
}

/** One field: its key (the flag and variable follow from it), kind, rule, the README's words, and the window's part if it has one. */
function field<K extends string, R extends z.ZodType>(key: K, kind: FieldKind, rule: R, description: string, form?: FormSpec): FieldSpec & { key: K; rule: R } {
  const flag = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const env = `DEVICE_AGENT_${flag.replace(/-/g, '_').toUpperCase()}`;
  return { key, flag, env, kind, rule, description, ...(form ? { form } : {}) };
}

function managedField<K extends string, R extends z.ZodType>(key: K, kind: FieldKind, rule: R, description: string): FieldSpec & { key: K; rule: R } {
  return { ...field(key, kind, rule, description), managedOnly: true };
}

const variableSourcesRule = z.record(variableName, variableSourceSchema)
  .refine((v) => Object.keys(v).length <= MAX_VARIABLE_SOURCES, `at most ${MAX_VARIABLE_SOURCES} variable sources`)
  .default({});

/** The table, typed field by field (schema.ts types the configuration from it); everyone else reads CONFIG_FIELDS. */
export const CONFIG_TABLE = [
  field('apiUrl', 'url', httpUrl.default(BRANDING.defaults.apiUrl),
    `License API base URL (default ${BRANDING.defaults.apiUrl}).`,
    { group: 'server', input: 'url', shown: BRANDING.defaults.apiUrl, required: true }),
  // It travels inside the Authorization header: printable ASCII, no quotes or backslashes.
  field('apiKey', 'string', trimmed(256).regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'must be printable ASCII without spaces, quotes or backslashes').optional(),
    'API key (HMAC authorization).', { group: 'server', input: 'text', section: 'hmac' }),
  field('sharedKey', 'secret', trimmed(1024).optional(),
    'Shared key that signs requests (HMAC). Prefer OAuth on workstations.', { group: 'server', input: 'secret', section: 'hmac' }),
  field('clientId', 'string', trimmed(256).optional(),
    'OAuth client id (alternative to the shared key).', { group: 'server', input: 'text', section: 'oauth' }),
  field('clientSecret', 'secret', trimmed(1024).optional(),
    'OAuth client secret.', { group: 'server', input: 'secret', section: 'oauth' }),
  field('tokenUrl', 'url', httpUrl.default(PRODUCTION_TOKEN_URL),
    'OAuth token endpoint (default: LicenseSpring\'s).', { group: 'server', input: 'url', section: 'oauth', placeholder: true }),
  field('product', 'string', BRANDING.defaults.product === undefined ? trimmed(128).optional() : trimmed(128).default(BRANDING.defaults.product),
    `Product short code${BRANDING.defaults.product ? ` (default ${BRANDING.defaults.product})` : ''}.`,
    { group: 'license', input: 'text', shown: BRANDING.defaults.product ?? '', pattern: /^[A-Za-z0-9_.-]{1,64}$/, rule: 'must be 1–64 letters, digits, _ . or -' }),
  field('licenseKey', 'string', trimmed(256).optional(),
    'License key (key-based products).', { group: 'license', input: 'masked', hint: true }),
  field('username', 'string', trimmed(256).optional(),
    'License user (user-based products).', { group: 'license', input: 'text' }),
  field('licenseId', 'int', z.number().int('must be a whole number').positive('must be positive').max(Number.MAX_SAFE_INTEGER).optional(),
    'License id, when one user holds several licenses of the product.'),
  field('hardwareId', 'string', trimmed(256).optional(),
    'Use this hardware id instead of the computed one (to match another program\'s).'),
  field('hardwareIdFile', 'path', filePath.optional(),
    'Read the hardware id from this file (one line, written by the licensed program); read again at every sync. hardwareId wins over it.'),
  field('appVersion', 'string', trimmed(256).optional(),
    'Version of the licensed application on this device, sent as app_version.'),
  field('stateDir', 'path', filePath.optional(),
    'Where state, lock and logs live (default: per-user state directory).'),
  field('interval', 'duration', durationMs.default(15 * 60_000),
    'Sync interval: minutes, or a number with s/m/h (default 15m).',
    { group: 'whatIsSent', input: 'minutes', name: 'intervalMinutes', shown: 15, min: 1, max: 1440 }),
  field('publicKey', 'path', filePath.optional(),
    BRANDING.defaults.publicKey
    ? `PEM file with the server's response-signing public key (default: ${BRANDING.publisher}'s key, for ${BRANDING.defaults.apiUrl} only; LicenseSpring's published key for its production API).`
    : 'PEM file with the server\'s response-signing public key (default: LicenseSpring\'s published key, for its production API only).'),
  field('autoActivate', 'bool', z.boolean().default(BRANDING.defaults.autoActivate),
    `Activate the license on this device when it is not yet activated${BRANDING.defaults.autoActivate ? ' (on by default)' : ''}.`,
    { group: 'license', input: 'checkbox', shown: BRANDING.defaults.autoActivate }),
  field('insecureHttp', 'bool', z.boolean().default(false),
    'Allow http:// to a License API on another machine (a lab server): credentials and values then travel unencrypted. Off: only https://, or http:// to this machine.'),
  field('caFile', 'path', filePath.optional(),
    'Extra CA certificates (PEM) trusted besides the system ones.'),
  field('allow', 'list', z.array(namePattern).max(200).default([]),
    'Only send these variables (comma-separated names).', { group: 'whatIsSent', input: 'names', hint: true }),
  field('deny', 'list', z.array(namePattern).max(200).default([]),
    'Never send these variables (comma-separated names).'),
  field('pii', 'list', z.array(z.enum(PII_KINDS, { message: `must be one of ${PII_KINDS.join(', ')}` })).default([]),
    'Personal data to include: any of hostname, username, ip, mac (off by default).', { group: 'whatIsSent', input: 'checks', options: PII_KINDS }),
  field('logLevel', 'string', z.enum(['debug', 'info', 'warn', 'error'], { message: 'must be debug, info, warn or error' }).default('info'),
    'debug, info, warn or error (default info).'),
  // The managed file only (issue 15): see docs/publishing-variables.md and README, Managed configuration.
  managedField('dropInSources', 'list', z.array(sourcePattern).max(100).default(['*']),
    'Programs that may publish variables through the per-machine variables.d folder: source names, prefix*, or * (default *; [] turns the folder off).'),
  managedField('userDropInSources', 'list', z.array(sourcePattern).max(100).default(['*']),
    'The same for the per-user variables.d folder in the state directory (default *; [] turns it off).'),
  managedField('variableSources', 'object', variableSourcesRule,
    'Variables read by the agent: from an environment variable, a file, a Windows registry value, a macOS defaults key, or a command (docs/publishing-variables.md).'),
  managedField('allowCommandSources', 'bool', z.boolean().default(false),
    'Let variableSources run commands (argv, no shell, with a timeout and an output bound). Off by default.'),
  managedField('trayIcon', 'enum', z.enum(TRAY_ICON_POLICIES, { message: `must be ${TRAY_ICON_POLICIES.join(', ')}` }).default('always'),
    'Desktop tray icon: always (default), attention (shown only while the person must act), or never (the window opens from the app\'s launcher).'),
  managedField('notifications', 'bool', z.boolean().default(true),
    'Desktop notifications when the person must act (settings, activation, license state, license expiring). On by default.'),
] as const;

export const CONFIG_FIELDS: readonly FieldSpec[] = CONFIG_TABLE;

/** The window's settings that are no configuration key: which credentials are used, and starting at login. */
export const WINDOW_ONLY_FIELDS: readonly WindowOnlyField[] = [
  { name: 'authMethod', group: 'server', input: 'choice', options: ['oauth', 'hmac'], shown: 'hmac', lockedBy: ['apiKey', 'sharedKey', 'clientId', 'clientSecret'] },
  { name: 'startAtLogin', group: 'thisComputer', input: 'checkbox', lockedBy: [], shell: true },
];

/** Keys only the managed file may set. */
export const MANAGED_ONLY_KEYS: ReadonlySet<string> = new Set(CONFIG_FIELDS.filter((f) => f.managedOnly === true).map((f) => f.key));

export const SECRET_KEYS: ReadonlySet<string> = new Set(CONFIG_FIELDS.filter((f) => f.kind === 'secret').map((f) => f.key));

export function fieldByKey(key: string): FieldSpec | undefined {
  return CONFIG_FIELDS.find((f) => f.key === key);
}

export function fieldByFlag(flag: string): FieldSpec | undefined {
  return CONFIG_FIELDS.find((f) => f.flag === flag);
}

export function fieldByEnv(env: string): FieldSpec | undefined {
  return CONFIG_FIELDS.find((f) => f.env === env);
}

/** Environment variables with the DEVICE_AGENT_ prefix that are not configuration fields. */
export const NON_CONFIG_ENV = new Set([
  'DEVICE_AGENT_NODE_CACHE', 'DEVICE_AGENT_CONFIG', 'DEVICE_AGENT_MANAGED_CONFIG', 'DEVICE_AGENT_SANDBOX_ADMIN_TOKEN',
  // The desktop app's user-data folder, and where `npm run desktop:headless` writes window screenshots.
  'DEVICE_AGENT_USER_DATA', 'DEVICE_AGENT_SCREENSHOTS',
  // Tests only: the first cycle's short splay in ms, honoured by an unpackaged desktop app (main/engine-runner.ts).
  'DEVICE_AGENT_TEST_SHORT_SPLAY_MS',
  // Tests only: the first update check and the first retry waits in ms, honoured by an unpackaged desktop app (main/updater.ts).
  'DEVICE_AGENT_TEST_UPDATE_MS',
]);
