// The configuration's layers — command-line flags, DEVICE_AGENT_* environment variables,
// a JSON file, settings given in code — each read into prototype-less values with the
// origin of every key; resolveConfig (load.ts) merges and validates them.
import { realpathSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isWorldWritable } from '../files/private-files.ts';
import { FileReadError, readBoundedText } from '../files/read-bounded.ts';
import { jsonSyntaxProblem } from '../files/json-problem.ts';
import { didYouMean } from './did-you-mean.ts';
import { CONFIG_FIELDS, NON_CONFIG_ENV, fieldByEnv, fieldByKey, type FieldSpec } from './fields.ts';
import { CLI_NAME } from '../branding/index.ts';
import { ConfigError, type ConfigProblem } from './problems.ts';

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

export const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

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
export function emptyLayer(): Layer {
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
