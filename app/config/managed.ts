// Machine-wide ("managed") configuration that IT deploys. It overrides what a
// user sets; the fields it sets are shown as locked in the status window.
//
// What the agent does with it — one decision, for the CLI and (in a later change)
// the desktop shell, which should use readManagedConfig() the same way:
//   - No file at the default path: there is no managed configuration.
//   - DEVICE_AGENT_MANAGED_CONFIG names a file that does not exist: an error (a
//     rollout tested against a misspelt path must not pass silently).
//   - A file that exists but cannot be used — unreadable, not JSON, larger than the
//     bound, writable by every user (anyone could redirect the agent), or with a bad
//     or unknown setting — is "broken": the agent does NOT fall back to the user's
//     settings alone, because the fields IT locked (which server, which credentials,
//     what personal data may be sent) would silently stop applying. The CLI exits 2
//     naming the file and the problem; the window should show it as needing attention
//     and not sync until the file is fixed.
import { existsSync } from 'node:fs';
import { ConfigError, layerFromFile, resolveConfig } from './load.ts';
import type { ConfigProblem, Layer } from './load.ts';
import { managedConfigPath } from './managed-path.ts';
import { takeUpdatePolicy, type UpdatePolicy } from './update-policy.ts';

export { machineVariablesDir, managedConfigPath } from './managed-path.ts';

export interface ManagedConfig {
  path: string;
  layer: Layer;
  /** Setting keys the managed file fixes (the user cannot change them). */
  locked: string[];
  /** How the desktop app updates itself (the file's `updates` object, not part of `layer`; absent: the defaults). */
  updates?: UpdatePolicy;
}

export type ManagedConfigResult =
  | { state: 'none'; path: string }
  | { state: 'ok'; managed: ManagedConfig }
  | { state: 'broken'; path: string; problems: ConfigProblem[] };

/**
 * Reads the managed file: the one DEVICE_AGENT_MANAGED_CONFIG names, else the OS's default
 * path. Never throws; see the decision above for what each state means.
 */
export function readManagedConfig(env: NodeJS.ProcessEnv = process.env, defaultPath: string = managedConfigPath(process.platform, env)): ManagedConfigResult {
  const named = env.DEVICE_AGENT_MANAGED_CONFIG;
  const explicit = named !== undefined && named !== '';
  const path = explicit ? named : defaultPath;
  const label = `managed config ${path}`;
  if (!existsSync(path)) {
    return explicit
      ? { state: 'broken', path, problems: [{ field: 'DEVICE_AGENT_MANAGED_CONFIG', source: 'environment', message: `names ${path}, which does not exist` }] }
      : { state: 'none', path };
  }
  try {
    const layer: Layer = { ...layerFromFile(path, label, { worldWritable: 'refuse' }), managed: true };
    const updates = takeUpdatePolicy(layer);
    let problems = updates.problems;
    try {
      resolveConfig([layer]); // its own settings must be valid on their own, or none of them applies
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems = [...error.problems, ...problems];
    }
    if (problems.length > 0) return { state: 'broken', path, problems };
    return { state: 'ok', managed: { path, layer, locked: Object.keys(layer.values), updates: updates.policy } };
  } catch (error) {
    if (error instanceof ConfigError) return { state: 'broken', path, problems: error.problems };
    throw error;
  }
}

/** The managed configuration, or undefined when there is none; throws ConfigError when it is broken. */
export function managedConfigOrThrow(env: NodeJS.ProcessEnv = process.env, defaultPath?: string): ManagedConfig | undefined {
  const result = readManagedConfig(env, defaultPath);
  if (result.state === 'broken') throw new ConfigError(result.problems);
  return result.state === 'ok' ? result.managed : undefined;
}

/** Reads the managed file if there is one. Throws ConfigError if it exists but is invalid. */
export function loadManagedConfig(path: string = managedConfigPath()): ManagedConfig | undefined {
  if (!existsSync(path)) return undefined;
  const layer: Layer = { ...layerFromFile(path, `managed config ${path}`, { worldWritable: 'refuse' }), managed: true };
  const updates = takeUpdatePolicy(layer);
  if (updates.problems.length > 0) throw new ConfigError(updates.problems);
  return { path, layer, locked: Object.keys(layer.values), updates: updates.policy };
}
