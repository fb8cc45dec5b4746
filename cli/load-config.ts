// The configuration a command runs with: flags over environment over the managed file over
// a --config file over defaults, with what its files warn about and where the drop-in
// folders are.
import { join } from 'node:path';
import { ConfigError, layerFromEnv, layerFromFile, layerFromFlags, machineVariablesDir, readManagedConfig, resolveConfig, type AgentConfig, type Layer } from '../app/config/index.ts';
import type { VariablesDirs } from '../app/create-agent.ts';
import type { ParsedArgs } from './args.ts';

/**
 * Configuration layers: flags > environment > managed file > --config file > defaults. A broken
 * managed file (or a DEVICE_AGENT_MANAGED_CONFIG naming a missing one) is an error, never
 * skipped: see app/config/managed.ts.
 */
export function configLayers(args: ParsedArgs, env: NodeJS.ProcessEnv): { layers: Layer[]; managedPath: string } {
  const layers = [layerFromFlags(args.flags), layerFromEnv(env)];
  const managed = readManagedConfig(env);
  if (managed.state === 'broken') throw new ConfigError(managed.problems);
  if (managed.state === 'ok') layers.push(managed.managed.layer);
  const file = args.configFile ?? env.DEVICE_AGENT_CONFIG;
  if (file) layers.push(layerFromFile(file, file, { worldWritable: 'warn' }));
  return { layers, managedPath: managed.state === 'ok' ? managed.managed.path : managed.path };
}

export interface LoadedConfig {
  config: AgentConfig;
  /** What its files warn about (printed on stderr, shown in status). */
  warnings: string[];
  /** The drop-in folders: beside the managed file read (DEVICE_AGENT_MANAGED_CONFIG's, else the OS's), and in the state directory. */
  variablesDirs: VariablesDirs;
}

export function loadConfig(args: ParsedArgs, env: NodeJS.ProcessEnv): LoadedConfig {
  const { layers, managedPath } = configLayers(args, env);
  const config = resolveConfig(layers);
  return { config, warnings: layers.flatMap((layer) => layer.warnings ?? []), variablesDirs: { machine: machineVariablesDir(managedPath), user: join(config.stateDir, 'variables.d') } };
}

