// The agent's own collector plus the variables other programs publish (drop-in
// folders, drop-in.ts) and the managed file's sources (managed-sources.ts), merged
// into one dynamic collection: the engine then delivers them like its own — the same
// delta sync, backoff and durable state — and a source that is invalid, refused or
// off is reported (status, window, log) and left out without stopping the cycle.
//
// Precedence and room, in this order: the agent's own and the configuration's
// variables; the managed file's sources; per-machine files (by name); per-user files
// (by name). A per-user file whose source the per-machine folder also has is skipped;
// a file giving a name the configuration gives is skipped; `deny` applies to every
// name; a file whose variables do not fit in the API's 100 per device is skipped whole.
import type { VariableSourceView } from '../agent-api.ts';
import { VARIABLE_LIMITS } from '../licenseapi/limits.ts';
import type { VariableMap } from '../variables.ts';
import type { CollectionResult, VariableCollector } from './collector.ts';
import { SCOPE_LABEL, type DropInFile, type DropInReader } from './drop-in.ts';
import type { ManagedSources } from './managed-sources.ts';
import { matches } from './selection.ts';

export interface VariableSourcesOptions {
  dropIn?: DropInReader;
  managed?: ManagedSources;
  deny?: readonly string[];
  /** Names the configuration gives itself (custom `variables`): a file cannot take them. */
  configNames?: readonly string[];
  /** Where changes in what the sources report are logged. */
  log?: (level: 'info' | 'warn', message: string, fields: Record<string, unknown>) => void;
}

export interface SourcedCollector extends VariableCollector {
  /** What each source did at the last collection (empty before the first, or without sources). */
  sources(): VariableSourceView[];
}

interface Merge {
  values: VariableMap;
  views: VariableSourceView[];
}

function fileView(file: DropInFile): VariableSourceView {
  return { source: file.source, scope: SCOPE_LABEL[file.scope], origin: file.path, state: 'ok', variables: 0 };
}

export function withVariableSources(base: VariableCollector, options: VariableSourcesOptions): SourcedCollector {
  const deny = options.deny ?? [];
  const denied = (name: string) => deny.some((pattern) => matches(pattern, name));
  const configNames = new Set([...(options.configNames ?? []), ...(options.managed?.names() ?? [])]);
  // Room left by the agent's own variables (every one it may produce, present or not).
  const room0 = VARIABLE_LIMITS.maxVariables - base.catalogue.length;
  let last: VariableSourceView[] = [];
  let lastProblems = new Map<string, string>();

  const merge = async (): Promise<Merge> => {
    const values: VariableMap = Object.create(null) as VariableMap;
    const views: VariableSourceView[] = [];
    let room = room0;
    const overLimit = (count: number) => `its ${count} variable${count === 1 ? '' : 's'} would take this device over ${VARIABLE_LIMITS.maxVariables} variables (the limit per device; ${VARIABLE_LIMITS.maxVariables - room} are taken)`;

    const managed = options.managed ? await options.managed.read() : { values: {}, views: [] };
    for (const view of managed.views) {
      const value = managed.values[view.source];
      if (denied(view.source)) views.push({ ...view, state: 'off', variables: 0, problem: 'left out by deny' });
      else if (value === undefined) views.push(view);
      else if (room < 1) views.push({ ...view, state: 'skipped', variables: 0, problem: overLimit(1) });
      else {
        values[view.source] = value;
        room -= 1;
        views.push(view);
      }
    }

    const files = options.dropIn?.read() ?? [];
    const machineSources = new Set(files.filter((f) => f.scope === 'machine' && f.source !== '*').map((f) => f.source));
    for (const file of files) {
      const view = fileView(file);
      if (file.problem !== undefined) {
        views.push({ ...view, state: 'skipped', problem: file.problem });
        continue;
      }
      if (file.scope === 'user' && machineSources.has(file.source)) {
        views.push({ ...view, state: 'skipped', problem: `the per-machine folder has ${file.source}.json, which wins` });
        continue;
      }
      const names = Object.keys(file.values).filter((name) => !denied(name));
      const clash = names.find((name) => configNames.has(name));
      if (clash !== undefined) {
        views.push({ ...view, state: 'skipped', problem: `${clash} is also set by the configuration (variables or variableSources), which wins: use another name` });
      } else if (names.length > room) {
        views.push({ ...view, state: 'skipped', problem: overLimit(names.length) });
      } else {
        for (const name of names) values[name] = file.values[name]!;
        room -= names.length;
        views.push({ ...view, variables: names.length });
      }
    }
    return { values, views };
  };

  const report = (views: VariableSourceView[]) => {
    last = views;
    const problems = new Map(views.filter((v) => v.problem !== undefined).map((v) => [`${v.scope} ${v.origin}`, v.problem!]));
    for (const [where, problem] of problems) {
      if (lastProblems.get(where) !== problem) options.log?.('warn', 'variable source left out', { source: where, problem });
    }
    for (const where of lastProblems.keys()) {
      if (!problems.has(where)) options.log?.('info', 'variable source in use again (or gone)', { source: where });
    }
    lastProblems = problems;
  };

  // What the sources report goes to sources() (the status lists them and warns), not to the collectors' failures.
  const withSources = async (collect: () => Promise<CollectionResult>): Promise<CollectionResult> => {
    const [result, merged] = await Promise.all([collect(), merge()]);
    report(merged.views);
    return { ...result, values: { ...result.values, ...merged.values } };
  };

  return {
    catalogue: base.catalogue,
    collectStatic: () => base.collectStatic(),
    collectDynamic: () => withSources(() => base.collectDynamic()),
    collectAll: () => withSources(() => base.collectAll()),
    sources: () => [...last],
  };
}
