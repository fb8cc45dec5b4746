// Builds the agent's configuration from its layers — command-line flags over
// DEVICE_AGENT_* environment variables over a JSON file over defaults — and
// validates the result once. Errors name the field and where its value came from.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CONFIG_FIELDS, NON_CONFIG_ENV, fieldByEnv, fieldByKey, type FieldSpec } from './fields.ts';
import { PII_KINDS, rawConfigSchema, type AgentConfig, type AuthConfig } from './schema.ts';

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

export type Layer = { values: Record<string, unknown>; origin: Record<string, string> };

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
      problems.push({ field: name, source: 'environment', message: 'is not a known setting (see device-agent --help)' });
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

/** A layer from settings given in code (e.g. the embedded sandbox's). */
export function layerFromObject(values: Record<string, unknown>, label: string): Layer {
  const layer = emptyLayer();
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    layer.values[key] = value;
    layer.origin[key] = label;
  }
  return layer;
}

/** Reads a JSON config file. Relative paths inside it are resolved against its folder. */
export function layerFromFile(path: string, label = path): Layer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? 'error'})`;
    throw new ConfigError([{ field: 'config', source: label, message: why }]);
  }
  if (text.length > 1024 * 1024) throw new ConfigError([{ field: 'config', source: label, message: 'is larger than 1 MiB' }]);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([{ field: 'config', source: label, message: `is not valid JSON (${(error as Error).message})` }]);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ConfigError([{ field: 'config', source: label, message: 'must be a JSON object of settings' }]);
  }
  const reserved = findReservedKey(data);
  if (reserved) throw new ConfigError([{ field: reserved, source: label, message: 'is a reserved name and cannot be used' }]);
  const layer = emptyLayer();
  const base = dirname(resolve(path));
  for (const [key, value] of Object.entries(data)) {
    const spec = fieldByKey(key);
    const isPath = spec?.kind === 'path' && typeof value === 'string' && value.length > 0;
    layer.values[key] = isPath ? resolve(base, value as string) : value;
    layer.origin[key] = label;
  }
  return layer;
}

/** The per-user state directory for this OS. */
export function defaultStateDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  const home = env.HOME || env.USERPROFILE || homedir();
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'DeviceAgent');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'DeviceAgent');
  return join(env.XDG_STATE_HOME || join(home, '.local', 'state'), 'device-agent');
}

/** Merges layers (earlier wins) and validates. Throws ConfigError naming every bad field. */
export function resolveConfig(layers: Layer[], defaults: { stateDir?: string } = {}): AgentConfig {
  const { values: merged, origin } = emptyLayer();
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
        return issue.keys.map((key) => ({ field: key, source: origin[key], message: 'is not a known setting' }));
      }
      const top = String(issue.path[0] ?? 'config');
      const field = issue.path.map(String).join('.') || 'config';
      const message = issue.code === 'invalid_type' ? `must be ${describeExpected(issue.expected)}`
        : issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message)
          : issue.message;
      return [{ field, source: origin[top], message }];
    }).flat());
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

function describeExpected(expected: string): string {
  switch (expected) {
    case 'string': return 'text';
    case 'number': return 'a number';
    case 'int': return 'a whole number';
    case 'boolean': return 'true or false';
    case 'array': return 'a list';
    case 'object': return 'an object';
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
