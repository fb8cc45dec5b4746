// Builds the agent's configuration from its layers — command-line flags over
// DEVICE_AGENT_* environment variables over a JSON file over defaults — and
// validates the result once. Errors name the field and where its value came from.
import { realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CATALOGUE } from '../collect/catalogue.ts';
import { matches } from '../collect/selection.ts';
import { isWorldWritable } from '../files/private-files.ts';
import { FileReadError, readBoundedText } from '../files/read-bounded.ts';
import { jsonSyntaxProblem } from '../files/json-problem.ts';
import { didYouMean } from './did-you-mean.ts';
import { CONFIG_FIELDS, MANAGED_ONLY_KEYS, NON_CONFIG_ENV, fieldByEnv, fieldByKey, type FieldSpec } from './fields.ts';
import { managedConfigPath } from './managed-path.ts';
import { PII_KINDS } from './pii-kinds.ts';
import { isManagedOnlyKey } from './update-policy.ts';
import { PLAIN_HTTP_RULE, isRemotePlainHttp, rawConfigSchema, type AgentConfig, type AuthConfig } from './schema.ts';
import { BRANDING, brandingPlatform, CLI_NAME } from '../branding/index.ts';

export interface ConfigProblem {
  field: string;
  source?: string;
  message: string;
}

export class ConfigError extends Error {
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function formatProblem(p: ConfigProblem): string {
  return `${p.field}${p.source ? ` (from ${p.source})` : ''}: ${p.message}`;
}

export type Layer = {
  values: Record<string, unknown>;
  origin: Record<string, string>;
  /** Things worth saying that do not stop the agent (e.g. a config file every user may write). */
  warnings?: string[];
  /** The administrator's managed file (app/config/managed.ts): the only layer that may set managed-only keys. */
  managed?: boolean;
};

/** The largest configuration file read (a real one is a few hundred bytes). */
export const CONFIG_MAX_BYTES = 1024 * 1024;

const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The path of the first `__proto__`/`constructor`/`prototype` key anywhere in parsed JSON. */
function findReservedKey(value: unknown, path = ''): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const here = path ? `${path}.${key}` : key;
    if (RESERVED_KEYS.has(key)) return here;
    const nested = findReservedKey(child, here);
    if (nested) return nested;
  }
  return undefined;
}

/** Layers use prototype-less objects so that no key can reach Object.prototype. */
function emptyLayer(): Layer {
  return { values: Object.create(null), origin: Object.create(null) };
}

function coerceText(spec: FieldSpec, text: string, source: string, problems: ConfigProblem[]): unknown {
  switch (spec.kind) {
    case 'int': {
      if (!/^\s*\d+\s*$/.test(text)) {
        problems.push({ field: spec.key, source, message: 'must be a whole number' });
        return undefined;
      }
      return Number(text);
    }
    case 'bool': {
      const t = text.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(t)) return true;
      if (['0', 'false', 'no', 'off', ''].includes(t)) return false;
      problems.push({ field: spec.key, source, message: 'must be true or false' });
      return undefined;
    }
    case 'list':
      return text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    default:
      return text;
  }
}

/** Flags as parsed by node:util parseArgs (strings, booleans, repeated strings). */
export function layerFromFlags(flags: Record<string, unknown>): Layer {
  const layer = emptyLayer();
  const problems: ConfigProblem[] = [];
  for (const spec of CONFIG_FIELDS) {
    const raw = flags[spec.flag];
    if (raw === undefined) continue;
    const source = `--${spec.flag}`;
    const value = typeof raw === 'boolean' ? raw
      : Array.isArray(raw) ? coerceText(spec, raw.join(','), source, problems)
        : coerceText(spec, String(raw), source, problems);
    if (value !== undefined) {
      layer.values[spec.key] = value;
      layer.origin[spec.key] = source;
    }
  }
  const vars = flags.var;
  if (vars !== undefined) {
    const variables: Record<string, string> = Object.create(null);
    for (const pair of Array.isArray(vars) ? vars : [vars]) {
      const text = String(pair);
      const eq = text.indexOf('=');
      if (eq <= 0) {
        problems.push({ field: 'variables', source: '--var', message: `"${text}" must be name=value` });
        continue;
      }
      if (RESERVED_KEYS.has(text.slice(0, eq))) {
        problems.push({ field: `variables.${text.slice(0, eq)}`, source: '--var', message: 'is a reserved name and cannot be used' });
        continue;
      }
      variables[text.slice(0, eq)] = text.slice(eq + 1);
    }
    layer.values.variables = variables;
    layer.origin.variables = '--var';
  }
  if (problems.length) throw new ConfigError(problems);
  return layer;
}

export function layerFromEnv(env: NodeJS.ProcessEnv): Layer {
  const layer = emptyLayer();
  const problems: ConfigProblem[] = [];
  for (const [name, text] of Object.entries(env)) {
    if (!name.startsWith('DEVICE_AGENT_') || text === undefined || NON_CONFIG_ENV.has(name)) continue;
    const spec = fieldByEnv(name);
    if (!spec) {
      const known = [...CONFIG_FIELDS.map((f) => f.env), ...NON_CONFIG_ENV];
      problems.push({ field: name, source: 'environment', message: `is not a known setting${didYouMean(name, known)} (see ${CLI_NAME} --help)` });
      continue;
    }
    const value = coerceText(spec, text, name, problems);
    if (value !== undefined) {
      layer.values[spec.key] = value;
      layer.origin[spec.key] = name;
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return layer;
}

/** A layer from settings given in code (e.g. the embedded sandbox's); `managed` marks one read from the managed file. */
export function layerFromObject(values: Record<string, unknown>, label: string, options: { managed?: boolean } = {}): Layer {
  const layer = emptyLayer();
  if (options.managed) layer.managed = true;
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    layer.values[key] = value;
    layer.origin[key] = label;
  }
  return layer;
}

/**
 * Who besides the owner may change a configuration file: "every user" when the file, or the
 * folder holding it (without the sticky bit that stops others replacing it), is world-writable.
 */
export function writableByEveryone(path: string): string | undefined {
  if (process.platform === 'win32') return undefined;
  try {
    const real = realpathSync(path);
    if (isWorldWritable(statSync(real))) return `${path} is writable by every user`;
    const folder = statSync(dirname(real));
    if (isWorldWritable(folder) && (folder.mode & 0o1000) === 0) return `the folder of ${path} is writable by every user`;
  } catch {
    // unreadable or gone: reading it reports the problem
  }
  return undefined;
}

export interface FileLayerOptions {
  /** Refuse (managed) or warn about (user) a file that every local user may change. */
  worldWritable?: 'refuse' | 'warn';
}

/**
 * Reads a JSON config file: at most CONFIG_MAX_BYTES, checked before reading (a pipe or a
 * device is read up to the bound with a deadline); errors name the file and the rule, never
 * its content. Relative paths inside it are resolved against its folder.
 */
export function layerFromFile(path: string, label = path, options: FileLayerOptions = {}): Layer {
  const fail = (message: string): never => {
    throw new ConfigError([{ field: 'config', source: label, message }]);
  };
  let text = '';
  try {
    text = readBoundedText(path, { maxBytes: CONFIG_MAX_BYTES, mode: 'given' });
  } catch (error) {
    if (!(error instanceof FileReadError)) throw error;
    fail(error.message);
  }
  const warnings: string[] = [];
  const openToAll = options.worldWritable === undefined ? undefined : writableByEveryone(path);
  if (openToAll !== undefined) {
    if (options.worldWritable === 'refuse') fail(`${openToAll}, so anyone on this machine could redirect the agent; make it writable by administrators only (chmod o-w)`);
    warnings.push(`${openToAll}: anyone on this machine could change where the agent sends data and with which credentials. Make it writable by you only (chmod o-w).`);
  }
  if (text.trim() === '') fail('is empty');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    fail(`is not valid JSON (${jsonSyntaxProblem(text, error)})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) fail('must be a JSON object of settings');
  const reserved = findReservedKey(data);
  if (reserved) throw new ConfigError([{ field: reserved, source: label, message: 'is a reserved name and cannot be used' }]);
  const layer = emptyLayer();
  const base = dirname(resolve(path));
  for (const [key, value] of Object.entries(data as object)) {
    const spec = fieldByKey(key);
    const isPath = spec?.kind === 'path' && typeof value === 'string' && value.length > 0;
    layer.values[key] = isPath ? resolve(base, value as string) : value;
    layer.origin[key] = label;
  }
  if (warnings.length > 0) layer.warnings = warnings;
  return layer;
}

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
