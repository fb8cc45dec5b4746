// Builds the agent's configuration from its layers — command-line flags over
// DEVICE_AGENT_* environment variables over a JSON file over defaults — and
// validates the result once. Errors name the field and where its value came from.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CATALOGUE } from '../collect/catalogue.ts';
import { matches } from '../collect/selection.ts';
import { didYouMean } from './did-you-mean.ts';
import { CONFIG_FIELDS, MANAGED_ONLY_KEYS } from './fields.ts';
import { managedConfigPath } from './managed-path.ts';
import { PII_KINDS } from './pii-kinds.ts';
import { isManagedOnlyKey } from './update-policy.ts';
import { PLAIN_HTTP_RULE, isRemotePlainHttp, rawConfigSchema, type AgentConfig, type AuthConfig } from './schema.ts';
import { BRANDING, brandingPlatform, CLI_NAME } from '../branding/index.ts';
import { ConfigError, type ConfigProblem } from './problems.ts';
import { RESERVED_KEYS, emptyLayer, type Layer } from './layers.ts';

export { ConfigError, formatProblem, type ConfigProblem } from './problems.ts';
export { CONFIG_MAX_BYTES, layerFromEnv, layerFromFile, layerFromFlags, layerFromObject, writableByEveryone, type FileLayerOptions, type Layer } from './layers.ts';


/** The per-user state directory for this OS. */
export function defaultStateDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  const home = env.HOME || env.USERPROFILE || homedir();
  const folder = BRANDING.folders.state[brandingPlatform(platform)];
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), folder);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', folder);
  return join(env.XDG_STATE_HOME || join(home, '.local', 'state'), folder);
}

/** Merges layers (earlier wins) and validates. Throws ConfigError naming every bad field. */
export function resolveConfig(layers: Layer[], defaults: { stateDir?: string } = {}): AgentConfig {
  const { values: merged, origin } = emptyLayer();
  const notManaged = managedOnlyProblems(layers);
  if (notManaged.length > 0) throw new ConfigError(notManaged);
  for (const layer of [...layers].reverse()) {
    for (const [key, value] of Object.entries(layer.values)) {
      if (RESERVED_KEYS.has(key)) {
        throw new ConfigError([{ field: key, source: layer.origin[key], message: 'is not a known setting' }]);
      }
      merged[key] = value;
      origin[key] = layer.origin[key] ?? 'default';
    }
  }
  const parsed = rawConfigSchema.safeParse(merged);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        const known = [...CONFIG_FIELDS.map((f) => f.key), 'variables'];
        return issue.keys.map((key) => ({
          field: key, source: origin[key],
          message: isManagedOnlyKey(key) ? 'can be set only in the machine-wide managed configuration file (IT\'s)' : `is not a known setting${didYouMean(key, known)}`,
        }));
      }
      const top = String(issue.path[0] ?? 'config');
      const field = issue.path.map(String).join('.') || 'config';
      const message = issue.code === 'invalid_type' ? `must be ${describeExpected(issue.expected)}`
        : issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message)
          : issue.message;
      return [{ field, source: origin[top], message }];
    }).flat());
  }
  // Plain HTTP would carry the credentials (a bearer token, a signature) and every value in
  // clear: only to this machine (the sandbox), or to a lab server someone opted in for.
  if (!parsed.data.insecureHttp) {
    const plain = (['apiUrl', 'tokenUrl'] as const).filter((key) => isRemotePlainHttp(parsed.data[key]));
    if (plain.length > 0) throw new ConfigError(plain.map((key) => ({ field: key, source: origin[key], message: PLAIN_HTTP_RULE })));
  }
  const clashes = nameClashes(parsed.data);
  if (clashes.length > 0) {
    throw new ConfigError(clashes.map((text) => ({ field: `variableSources.${text.slice(0, text.indexOf(':'))}`, source: origin.variableSources, message: text.slice(text.indexOf(':') + 2) })));
  }
  const unknownAllowed = unknownAllowPatterns(parsed.data.allow, [...Object.keys(parsed.data.variables), ...Object.keys(parsed.data.variableSources)]);
  if (unknownAllowed.length > 0) {
    throw new ConfigError(unknownAllowed.map((message) => ({ field: 'allow', source: origin.allow, message })));
  }
  const { interval, pii, stateDir, ...rest } = parsed.data;
  const enabled = new Set(pii);
  return {
    ...rest,
    intervalMs: interval,
    pii: Object.fromEntries(PII_KINDS.map((k) => [k, enabled.has(k)])) as AgentConfig['pii'],
    stateDir: stateDir ?? defaults.stateDir ?? defaultStateDir(),
  };
}

/**
 * Managed-only settings (fields.ts) set anywhere but the managed file: a person's --config,
 * a flag or the environment cannot make this computer run commands, read files or hide its tray.
 */
function managedOnlyProblems(layers: readonly Layer[]): ConfigProblem[] {
  const where = managedConfigPath();
  return layers.filter((layer) => layer.managed !== true).flatMap((layer) => Object.keys(layer.values).filter((key) => MANAGED_ONLY_KEYS.has(key)).map((key) => ({
    field: key,
    source: layer.origin[key],
    message: `can be set only in the administrator's managed configuration file (${where}), because it decides what this computer runs, reads or shows`,
  })));
}

/** Variable names the configuration gives twice, or that a built-in variable already has. */
function nameClashes(config: { variables: Record<string, unknown>; variableSources: Record<string, unknown> }): string[] {
  const builtin = new Set(CATALOGUE.map((e) => e.name));
  const problems: string[] = [];
  for (const name of Object.keys(config.variableSources)) {
    if (builtin.has(name)) problems.push(`${name}: is a built-in variable's name (use deny to leave the built-in one out, then pick another name)`);
    else if (Object.hasOwn(config.variables, name)) problems.push(`${name}: is also a custom variable in "variables"; give one of them another name`);
  }
  return problems;
}

/** An allowlist entry that matches no variable is a typo: say so, with the closest name. */
function unknownAllowPatterns(allow: readonly string[], customNames: readonly string[]): string[] {
  const known = [...CATALOGUE.map((e) => e.name), ...customNames];
  return allow.filter((pattern) => !known.some((name) => matches(pattern, name)))
    .map((pattern) => `"${pattern}" matches no known variable${didYouMean(pattern, known)} (${CLI_NAME} vars lists them)`);
}

function describeExpected(expected: string): string {
  switch (expected) {
    case 'string': return 'text';
    case 'number': return 'a number';
    case 'int': return 'a whole number';
    case 'boolean': return 'true or false';
    case 'array': return 'a list';
    case 'object': return 'an object';
    case 'record': return 'an object of name: value';
    default: return expected;
  }
}

export type ConfigCompleteness =
  | { ready: true; auth: AuthConfig }
  | { ready: false; missing: ConfigProblem[]; nothingConfigured: boolean };

/** Whether the configuration has what a sync needs: credentials, product, license. */
export function checkReady(config: AgentConfig): ConfigCompleteness {
  const missing: ConfigProblem[] = [];
  let auth: AuthConfig | undefined;
  if (config.apiKey && config.sharedKey) auth = { kind: 'hmac', apiKey: config.apiKey, sharedKey: config.sharedKey };
  else if (config.clientId && config.clientSecret) auth = { kind: 'oauth', clientId: config.clientId, clientSecret: config.clientSecret, tokenUrl: config.tokenUrl };
  else if (config.apiKey || config.sharedKey) missing.push({ field: config.apiKey ? 'sharedKey' : 'apiKey', message: 'is required with ' + (config.apiKey ? 'apiKey' : 'sharedKey') });
  else if (config.clientId || config.clientSecret) missing.push({ field: config.clientId ? 'clientSecret' : 'clientId', message: 'is required with ' + (config.clientId ? 'clientId' : 'clientSecret') });
  else missing.push({ field: 'apiKey', message: 'credentials are required: apiKey + sharedKey, or clientId + clientSecret' });
  if (!config.product) missing.push({ field: 'product', message: 'is required (the product short code)' });
  if (!config.licenseKey && !config.username) missing.push({ field: 'licenseKey', message: 'a license key (or username for user-based products) is required' });
  if (config.licenseKey && config.username) missing.push({ field: 'username', message: 'give either licenseKey or username, not both' });
  const nothingConfigured = !config.apiKey && !config.sharedKey && !config.clientId && !config.clientSecret && !config.product && !config.licenseKey && !config.username;
  if (missing.length || !auth) return { ready: false, missing, nothingConfigured };
  return { ready: true, auth };
}
