// The collection engine: runs the collectors for the enabled variables, each
// with its own timeout, and turns their raw output into the values to send —
// cleaned, quantised, validated. A collector that throws or times out lands in
// `failures`; the cycle always completes with what the others produced.
import { performance } from 'node:perf_hooks';
import { CATALOGUE, catalogueEntry } from './catalogue.ts';
import type { CatalogueEntry, PiiSwitches, Refresh } from './catalogue.ts';
import { createBuiltinCollectors } from './collectors/builtin-collectors.ts';
import type { Collector, RawValues } from './collectors/types.ts';
import { createQuantiser } from './quantise.ts';
import { checkPatterns, selectVariables } from './selection.ts';
import { checkValue, formatFieldErrors, validateVariables } from './validate.ts';
import type { FieldError } from './validate.ts';
import { withTimeout } from './with-timeout.ts';
import { VARIABLE_LIMITS } from '../licenseapi/limits.ts';
import type { VariableMap, VariableValue } from '../variables.ts';

export interface CollectorOptions {
  pii: PiiSwitches;
  /** When non-empty, only these built-in variables (names or prefix*) are collected; empty = no allowlist. */
  allow?: string[];
  /** Never collected (names or prefix*), built-in or custom. */
  deny?: string[];
  /** Static variables from configuration, sent as they are. */
  custom?: Record<string, string | number | boolean>;
  /** Names the managed file's variableSources give (collected by variable-sources.ts): known to allow/deny. */
  sourceNames?: readonly string[];
  agentVersion: string;
  appVersion?: string;
  /** Per collector, default 2000 ms. */
  timeoutMs?: number;
  /** For tests: replaces the built-in collectors. */
  collectors?: Collector[];
}

export interface CollectionFailure {
  collector: string;
  message: string;
  at: number;
}

export interface CollectionResult {
  values: VariableMap;
  failures: CollectionFailure[];
  durationMs: number;
}

export interface VariableCollector {
  collectStatic(): Promise<CollectionResult>;
  collectDynamic(): Promise<CollectionResult>;
  /** Static and dynamic together (for `device-agent vars`). */
  collectAll(): Promise<CollectionResult>;
  /** Entries for the variables this collector may produce, custom ones included, in order. */
  catalogue: readonly CatalogueEntry[];
}

/** Configuration the collector refuses; `errors` name each field. */
export class CollectConfigError extends Error {
  readonly errors: FieldError[];
  constructor(errors: FieldError[]) {
    super(`invalid collection settings: ${formatFieldErrors(errors)}`);
    this.name = 'CollectConfigError';
    this.errors = errors;
  }
}

export const DEFAULT_COLLECTOR_TIMEOUT_MS = 2000;

// eslint-disable-next-line no-control-regex
const CONTROL_RUNS = /[\u0000-\u001f\u007f-\u009f]+/g;

/** OS strings as sendable values: control characters to spaces, whitespace collapsed, at most 256 characters. */
export function cleanText(text: string): string {
  return text.replace(CONTROL_RUNS, ' ').replace(/\s+/g, ' ').trim().slice(0, VARIABLE_LIMITS.valueMaxLength);
}

function customEntry(name: string): CatalogueEntry {
  return { name, unit: '', refresh: 'static', pii: false, description: 'Custom variable from configuration.' };
}

function checkOptions(options: CollectorOptions): { custom: VariableMap; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (typeof options.agentVersion !== 'string' || checkValue(options.agentVersion) || options.agentVersion.trim() === '') {
    errors.push({ field: 'agentVersion', message: 'must be a non-empty single-line string of at most 256 characters' });
  }
  if (options.appVersion !== undefined && (typeof options.appVersion !== 'string' || checkValue(options.appVersion))) {
    errors.push({ field: 'appVersion', message: 'must be a single-line string of at most 256 characters' });
  }
  if (options.timeoutMs !== undefined && !(Number.isInteger(options.timeoutMs) && options.timeoutMs > 0 && options.timeoutMs <= 600_000)) {
    errors.push({ field: 'timeoutMs', message: 'must be a whole number of milliseconds between 1 and 600000' });
  }
  let custom: VariableMap = Object.create(null) as VariableMap;
  if (options.custom !== undefined) {
    const result = validateVariables(options.custom, 'custom');
    if (result.ok) {
      custom = result.values;
      for (const name of Object.keys(custom)) {
        if (catalogueEntry(name)) errors.push({ field: `custom.${name}`, message: 'name is taken by a built-in variable (use allow/deny to control it)' });
      }
    } else {
      errors.push(...result.errors);
    }
  }
  const customNames = Object.keys(custom);
  for (const list of ['allow', 'deny'] as const) {
    const value: unknown = options[list];
    if (value !== undefined && !Array.isArray(value)) errors.push({ field: list, message: 'must be a list of variable names' });
  }
  if (errors.length === 0) errors.push(...checkPatterns({ ...options, customNames: [...customNames, ...(options.sourceNames ?? [])] }));
  return { custom, errors };
}

export function createCollector(options: CollectorOptions): VariableCollector {
  const { custom, errors } = checkOptions(options);
  if (errors.length > 0) throw new CollectConfigError(errors);
  const timeoutMs = options.timeoutMs ?? DEFAULT_COLLECTOR_TIMEOUT_MS;
  const versions = { agentVersion: options.agentVersion.trim(), ...(options.appVersion?.trim() ? { appVersion: options.appVersion.trim() } : {}) };
  const enabled = new Set(selectVariables({ ...options, customNames: Object.keys(custom) }));
  const collectors = (options.collectors ?? createBuiltinCollectors(versions))
    .filter((collector) => collector.produces.some((name) => enabled.has(name)));
  const quantiser = createQuantiser();

  const catalogue: CatalogueEntry[] = [
    ...CATALOGUE.filter((entry) => enabled.has(entry.name) && (entry.name !== 'app_version' || versions.appVersion !== undefined)),
    ...Object.keys(custom).filter((name) => enabled.has(name)).map(customEntry),
  ];

  /** One raw value -> sendable value, or a reason to drop it. */
  const refine = (name: string, raw: VariableValue): { value: VariableValue } | { problem: string } => {
    let value = raw;
    if (typeof value === 'string') value = cleanText(value);
    const quantum = catalogueEntry(name)?.quantum;
    if (typeof value === 'number' && quantum !== undefined) value = quantiser.apply(name, value, quantum);
    const problem = checkValue(value);
    return problem ? { problem } : { value };
  };

  const run = async (refresh: Refresh | 'all'): Promise<CollectionResult> => {
    const started = performance.now();
    const values: VariableMap = Object.create(null) as VariableMap;
    const failures: CollectionFailure[] = [];
    const selected = collectors.filter((c) => refresh === 'all' || c.refresh === refresh);
    const outputs = await Promise.all(selected.map(async (collector): Promise<RawValues | undefined> => {
      const abort = new AbortController();
      try {
        const work = Promise.resolve().then(() => collector.collect(abort.signal));
        return await withTimeout(work, Math.max(timeoutMs, collector.minTimeoutMs ?? 0), collector.name);
      } catch (error) {
        abort.abort();
        failures.push({ collector: collector.name, message: error instanceof Error ? error.message : String(error), at: Date.now() });
        return undefined;
      }
    }));
    const produced: Record<string, { collector: string; raw: VariableValue }> = Object.create(null) as Record<string, { collector: string; raw: VariableValue }>;
    selected.forEach((collector, index) => {
      const output = outputs[index];
      if (!output) return;
      for (const name of collector.produces) {
        const raw = Object.hasOwn(output, name) ? output[name] : undefined;
        if (raw === undefined || !enabled.has(name)) continue;
        produced[name] = { collector: collector.name, raw };
      }
    });
    for (const entry of catalogue) {
      const item = produced[entry.name];
      if (item === undefined) continue;
      const refined = refine(entry.name, item.raw);
      if ('problem' in refined) {
        failures.push({ collector: item.collector, message: `${entry.name}: ${refined.problem}`, at: Date.now() });
      } else if (refined.value !== '') {
        values[entry.name] = refined.value;
      }
    }
    if (refresh !== 'dynamic') {
      for (const [name, value] of Object.entries(custom)) if (enabled.has(name)) values[name] = value;
    }
    return { values, failures, durationMs: performance.now() - started };
  };

  return {
    collectStatic: () => run('static'),
    collectDynamic: () => run('dynamic'),
    collectAll: () => run('all'),
    catalogue,
  };
}
