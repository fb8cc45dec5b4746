// Variables the managed file tells the agent to read (`variableSources`, schema in
// app/config/variable-sources.ts): one variable each, named by its key.
//
// What each costs, per cycle:
//   env       a lookup in the agent's environment (no I/O);
//   file      one stat; the file (≤ 4 KiB, links followed: the administrator chose the
//             path) is read again only when it changed;
//   registry  Windows only: `reg.exe query <key> /v <value>` — a process, so only at the
//             source's interval (default 1 h), never each cycle;
//   defaults  macOS only: `/usr/bin/defaults read <domain> <key>` — likewise;
//   command   an argv array the administrator wrote (no shell), at its interval, with
//             a timeout and an output bound — and only when the managed file also says
//             allowCommandSources: true.
// The value is the output's one line, trimmed (≤ 256 characters, no control
// characters); anything else is reported and the variable is left out this cycle.
// A source that fails, or does not exist on this OS, is reported and never stops the cycle.
import { statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import type { VariableSourceView } from '../agent-api.ts';
import { SOURCE_INTERVAL, SOURCE_OUTPUT, SOURCE_TIMEOUT, type VariableSourceSpec } from '../config/variable-sources.ts';
import { FileReadError, readBounded } from '../files/read-bounded.ts';
import type { VariableMap, VariableValue } from '../variables.ts';
import { runBounded, type RunBounded } from './run-bounded.ts';
import { checkValue } from './validate.ts';

/** The largest file a `file` source reads. */
export const SOURCE_FILE_MAX_BYTES = 4096;

export interface ManagedSourcesOptions {
  specs: Readonly<Record<string, VariableSourceSpec>>;
  /** allowCommandSources: true in the managed file. */
  allowCommands: boolean;
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  /** How a program is run (tests and the bench count or replace it). */
  run?: RunBounded;
  now?: () => number;
}

export interface ManagedSourcesResult {
  values: VariableMap;
  views: VariableSourceView[];
}

export interface ManagedSources {
  /** Reads every source that is due; a spawned one only at its interval. */
  read(): Promise<ManagedSourcesResult>;
  names(): string[];
}

/** What a spawned source runs on this platform, or why it cannot run here. */
export type PlatformCommand = { argv: string[]; parse(stdout: string): string } | { unavailable: string };

const trimmed = (stdout: string) => stdout.replace(/^\uFEFF/, '').trim();

/** `reg query` prints `    <name>    REG_<TYPE>    <data>`; DWORD/QWORD data comes in hex. */
export function parseRegQuery(stdout: string, valueName: string): string {
  const wanted = valueName === '' ? '(Default)' : valueName;
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^\s+(.+?)\s{2,}(REG_[A-Z_]+)\s{2,}(.*)$/.exec(line) ?? /^\s+(.+?)\s{2,}(REG_[A-Z_]+)\s*$/.exec(line);
    if (!match || match[1]!.toLowerCase() !== wanted.toLowerCase()) continue;
    const data = (match[3] ?? '').trim();
    if ((match[2] === 'REG_DWORD' || match[2] === 'REG_QWORD') && /^0x[0-9a-f]+$/i.test(data)) return BigInt(data).toString();
    return data;
  }
  throw new Error(`the output names no value ${wanted}`);
}

/** The argv a registry, defaults or command source runs on `platform` (no shell for any of them). */
export function platformCommand(spec: VariableSourceSpec, platform: NodeJS.Platform, env: NodeJS.ProcessEnv = process.env): PlatformCommand {
  switch (spec.kind) {
    case 'registry': {
      if (platform !== 'win32') return { unavailable: `registry values exist only on Windows (this is ${platform})` };
      const reg = `${env.SystemRoot || env.SYSTEMROOT || 'C:\\Windows'}\\System32\\reg.exe`;
      return { argv: [reg, 'query', spec.registry, ...(spec.value === '' ? ['/ve'] : ['/v', spec.value])], parse: (out) => parseRegQuery(out, spec.value) };
    }
    case 'defaults':
      if (platform !== 'darwin') return { unavailable: `defaults keys exist only on macOS (this is ${platform})` };
      return { argv: ['/usr/bin/defaults', 'read', spec.defaults, spec.key], parse: trimmed };
    case 'command':
      return { argv: [...spec.command], parse: trimmed };
    default:
      return { unavailable: 'is not a source that runs a program' };
  }
}

/** What the status says the source reads. */
export function describeSource(spec: VariableSourceSpec): string {
  switch (spec.kind) {
    case 'env': return `environment variable ${spec.env}`;
    case 'file': return `file ${spec.file}`;
    case 'registry': return `registry ${spec.registry}${spec.value === '' ? ' (default value)' : ` value ${spec.value}`}`;
    case 'defaults': return `defaults ${spec.defaults} ${spec.key}`;
    case 'command': return `command ${spec.command[0]}${spec.command.length > 1 ? ` (+${spec.command.length - 1} argument${spec.command.length > 2 ? 's' : ''})` : ''}`;
  }
}

/** The value a text becomes: one trimmed line within the variable rules, or why not. */
export function textValue(text: string): { value: VariableValue } | { problem: string } {
  const value = text.replace(/^\uFEFF/, '').trim();
  if (/[\r\n]/.test(value)) return { problem: 'gave more than one line (a value is one line)' };
  if (value === '') return { problem: 'gave an empty value' };
  const problem = checkValue(value);
  return problem ? { problem: problem.replace(/^value/, 'the value') } : { value };
}

interface SpawnedState { lastRunAt?: number; value?: VariableValue; problem?: string }
interface FileState { key: string; result: { value: VariableValue } | { problem: string } }

export function createManagedSources(options: ManagedSourcesOptions): ManagedSources {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const run = options.run ?? runBounded;
  const now = options.now ?? Date.now;
  const spawned = new Map<string, SpawnedState>();
  const files = new Map<string, FileState>();

  const readFile = (name: string, path: string): { value: VariableValue } | { problem: string } => {
    let stats: Stats;
    try {
      stats = statSync(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return { problem: code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? 'error'})` };
    }
    const key = `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
    const cached = files.get(name);
    if (cached?.key === key) return cached.result;
    let result: FileState['result'];
    try {
      result = textValue(readBounded(path, { maxBytes: SOURCE_FILE_MAX_BYTES, mode: 'given' }).toString('utf8'));
    } catch (error) {
      if (!(error instanceof FileReadError)) throw error;
      result = { problem: error.message };
    }
    files.set(name, { key, result });
    return result;
  };

  const runSpawned = async (name: string, spec: Extract<VariableSourceSpec, { kind: 'registry' | 'defaults' | 'command' }>, command: Extract<PlatformCommand, { argv: string[] }>): Promise<SpawnedState> => {
    const state = spawned.get(name) ?? {};
    const at = now();
    const interval = spec.interval ?? SOURCE_INTERVAL.defaultMs;
    const due = state.lastRunAt === undefined || at - state.lastRunAt >= interval || at < state.lastRunAt;
    if (!due) return state;
    const result = await run(command.argv, {
      timeoutMs: spec.timeout ?? SOURCE_TIMEOUT.defaultMs,
      maxOutputBytes: spec.kind === 'command' ? spec.maxOutputBytes ?? SOURCE_OUTPUT.defaultBytes : SOURCE_OUTPUT.defaultBytes,
    });
    let next: SpawnedState = { lastRunAt: at };
    if (!result.ok) next = { ...next, problem: result.problem };
    else {
      let text: string;
      try {
        text = command.parse(result.stdout);
      } catch (error) {
        text = '';
        next = { ...next, problem: (error as Error).message };
      }
      if (next.problem === undefined) {
        const checked = textValue(text);
        next = 'problem' in checked ? { ...next, problem: checked.problem } : { ...next, value: checked.value };
      }
    }
    spawned.set(name, next);
    return next;
  };

  const readOne = async (name: string, spec: VariableSourceSpec): Promise<{ view: VariableSourceView; value?: VariableValue }> => {
    const view: VariableSourceView = { source: name, scope: 'managed file', origin: describeSource(spec), state: 'ok', variables: 0 };
    const outcome = (r: { value: VariableValue } | { problem: string }) => ('problem' in r
      ? { view: { ...view, state: 'skipped' as const, problem: r.problem } }
      : { view: { ...view, variables: 1 }, value: r.value });
    switch (spec.kind) {
      case 'env': {
        const text = env[spec.env];
        return outcome(text === undefined ? { problem: `the environment variable ${spec.env} is not set for the agent` } : textValue(text));
      }
      case 'file':
        return outcome(readFile(name, spec.file));
      default: {
        if (spec.kind === 'command' && !options.allowCommands) {
          return { view: { ...view, state: 'off', problem: 'the managed file does not allow commands (it must also say "allowCommandSources": true)' } };
        }
        const command = platformCommand(spec, platform, env);
        if ('unavailable' in command) return { view: { ...view, state: 'off', problem: command.unavailable } };
        const state = await runSpawned(name, spec, command);
        const ran = state.lastRunAt === undefined ? {} : { lastRunAt: state.lastRunAt };
        return state.problem !== undefined || state.value === undefined
          ? { view: { ...view, ...ran, state: 'skipped', problem: state.problem ?? 'gave no value' } }
          : { view: { ...view, ...ran, variables: 1 }, value: state.value };
      }
    }
  };

  return {
    async read() {
      const entries = Object.entries(options.specs);
      const results = await Promise.all(entries.map(([name, spec]) => readOne(name, spec)));
      const values: VariableMap = Object.create(null) as VariableMap;
      results.forEach((result, index) => {
        if (result.value !== undefined) values[entries[index]![0]] = result.value;
      });
      return { values, views: results.map((r) => r.view) };
    },
    names: () => Object.keys(options.specs),
  };
}
