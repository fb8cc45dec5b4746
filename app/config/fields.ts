// The agent's configuration fields, declared once. This table drives the
// command-line flags, the DEVICE_AGENT_* environment variables, the JSON
// config file keys, the secret redaction and the README's configuration table;
// a field with a `form` part is also one of the window's settings: its place in
// the Settings view, how it is edited, stored and checked, and what the
// administrator's managed file locks (main/settings-fields.ts derives it all;
// the texts are the catalogues' settings.<name>, field.<name>).
//
// A `managedOnly` field decides what this computer runs or shows (commands, files read,
// the tray icon): only the administrator's managed file may set it. Its flag and
// environment variable exist only to be refused with a message saying so
// (app/config/load.ts, resolveConfig); the help text leaves them out.
import { BRANDING } from '../branding/index.ts';
import { PII_KINDS } from './pii-kinds.ts';

export type FieldKind = 'string' | 'secret' | 'url' | 'int' | 'bool' | 'duration' | 'list' | 'path' | 'enum' | 'object';

export interface FieldSpec {
  /** Key in the JSON config file and in AgentConfig. */
  key: string;
  /** Command-line flag, without the leading dashes. */
  flag: string;
  /** Environment variable. */
  env: string;
  kind: FieldKind;
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
 * and checked (main/settings-fields.ts):
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

function field(key: string, kind: FieldKind, description: string, form?: FormSpec): FieldSpec {
  const flag = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const env = `DEVICE_AGENT_${flag.replace(/-/g, '_').toUpperCase()}`;
  return { key, flag, env, kind, description, ...(form ? { form } : {}) };
}

function managedField(key: string, kind: FieldKind, description: string): FieldSpec {
  return { ...field(key, kind, description), managedOnly: true };
}

export const CONFIG_FIELDS: readonly FieldSpec[] = [
  field('apiUrl', 'url', `License API base URL (default ${BRANDING.defaults.apiUrl}).`,
    { group: 'server', input: 'url', shown: BRANDING.defaults.apiUrl, required: true }),
  field('apiKey', 'string', 'API key (HMAC authorization).', { group: 'server', input: 'text', section: 'hmac' }),
  field('sharedKey', 'secret', 'Shared key that signs requests (HMAC). Prefer OAuth on workstations.', { group: 'server', input: 'secret', section: 'hmac' }),
  field('clientId', 'string', 'OAuth client id (alternative to the shared key).', { group: 'server', input: 'text', section: 'oauth' }),
  field('clientSecret', 'secret', 'OAuth client secret.', { group: 'server', input: 'secret', section: 'oauth' }),
  field('tokenUrl', 'url', 'OAuth token endpoint (default: LicenseSpring\'s).', { group: 'server', input: 'url', section: 'oauth', placeholder: true }),
  field('product', 'string', `Product short code${BRANDING.defaults.product ? ` (default ${BRANDING.defaults.product})` : ''}.`,
    { group: 'license', input: 'text', shown: BRANDING.defaults.product ?? '', pattern: /^[A-Za-z0-9_.-]{1,64}$/, rule: 'must be 1–64 letters, digits, _ . or -' }),
  field('licenseKey', 'string', 'License key (key-based products).', { group: 'license', input: 'masked', hint: true }),
  field('username', 'string', 'License user (user-based products).', { group: 'license', input: 'text' }),
  field('licenseId', 'int', 'License id, when one user holds several licenses of the product.'),
  field('hardwareId', 'string', 'Use this hardware id instead of the computed one (to match another program\'s).'),
  field('hardwareIdFile', 'path', 'Read the hardware id from this file (one line, written by the licensed program); read again at every sync. hardwareId wins over it.'),
  field('appVersion', 'string', 'Version of the licensed application on this device, sent as app_version.'),
  field('stateDir', 'path', 'Where state, lock and logs live (default: per-user state directory).'),
  field('interval', 'duration', 'Sync interval: minutes, or a number with s/m/h (default 15m).',
    { group: 'whatIsSent', input: 'minutes', name: 'intervalMinutes', shown: 15, min: 1, max: 1440 }),
  field('publicKey', 'path', BRANDING.defaults.publicKey
    ? `PEM file with the server's response-signing public key (default: ${BRANDING.publisher}'s key, for ${BRANDING.defaults.apiUrl} only; LicenseSpring's published key for its production API).`
    : 'PEM file with the server\'s response-signing public key (default: LicenseSpring\'s published key, for its production API only).'),
  field('autoActivate', 'bool', `Activate the license on this device when it is not yet activated${BRANDING.defaults.autoActivate ? ' (on by default)' : ''}.`,
    { group: 'license', input: 'checkbox', shown: BRANDING.defaults.autoActivate }),
  field('insecureHttp', 'bool', 'Allow http:// to a License API on another machine (a lab server): credentials and values then travel unencrypted. Off: only https://, or http:// to this machine.'),
  field('caFile', 'path', 'Extra CA certificates (PEM) trusted besides the system ones.'),
  field('allow', 'list', 'Only send these variables (comma-separated names).', { group: 'whatIsSent', input: 'names', hint: true }),
  field('deny', 'list', 'Never send these variables (comma-separated names).'),
  field('pii', 'list', 'Personal data to include: any of hostname, username, ip, mac (off by default).', { group: 'whatIsSent', input: 'checks', options: PII_KINDS }),
  field('logLevel', 'string', 'debug, info, warn or error (default info).'),
  // The managed file only (issue 15): see docs/publishing-variables.md and README, Managed configuration.
  managedField('dropInSources', 'list', 'Programs that may publish variables through the per-machine variables.d folder: source names, prefix*, or * (default *; [] turns the folder off).'),
  managedField('userDropInSources', 'list', 'The same for the per-user variables.d folder in the state directory (default *; [] turns it off).'),
  managedField('variableSources', 'object', 'Variables read by the agent: from an environment variable, a file, a Windows registry value, a macOS defaults key, or a command (docs/publishing-variables.md).'),
  managedField('allowCommandSources', 'bool', 'Let variableSources run commands (argv, no shell, with a timeout and an output bound). Off by default.'),
  managedField('trayIcon', 'enum', 'Desktop tray icon: always (default), attention (shown only while the person must act), or never (the window opens from the app\'s launcher).'),
  managedField('notifications', 'bool', 'Desktop notifications when the person must act (settings, activation, license state, license expiring). On by default.'),
];

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
