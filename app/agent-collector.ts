// What the agent collects, as the configuration asks for it: the built-in collector with
// the variables other programs publish (variables.d) and the managed file's sources, and
// the device facts activate_license is given from what was collected.
import { join } from 'node:path';
import { createCollector } from './collect/collector.ts';
import { createDropInReader } from './collect/drop-in.ts';
import { createManagedSources } from './collect/managed-sources.ts';
import { withVariableSources, type SourcedCollector } from './collect/variable-sources.ts';
import { machineVariablesDir, managedConfigPath, type AgentConfig } from './config/index.ts';
import type { Logger } from './log/logger.ts';
import type { EngineOptions } from './sync/engine.ts';
import type { VariableMap } from './variables.ts';
import { AGENT_VERSION } from './version.ts';

export interface VariablesDirs {
  /** The per-machine variables.d (beside the managed file the agent read). */
  machine?: string;
  /** The per-user variables.d (default: `<stateDir>/variables.d`). */
  user?: string;
}

/** app_version: the configured version of the licensed application, else the host application's (the desktop app's). */
export function appVersionOf(config: AgentConfig, options: { appVersion?: string }): string | undefined {
  return config.appVersion ?? options.appVersion;
}

/**
 * The agent's collector with the variables other programs publish (the variables.d
 * folders) and the managed file's variableSources: what `once`, `run`, `vars` and the
 * desktop app collect.
 */
export function buildVariableCollector(config: AgentConfig, options: { appVersion?: string; variablesDirs?: VariablesDirs; logger?: Logger } = {}): SourcedCollector {
  const base = createCollector({
    pii: config.pii,
    allow: config.allow,
    deny: config.deny,
    custom: config.variables,
    sourceNames: Object.keys(config.variableSources),
    agentVersion: AGENT_VERSION,
    ...(options.appVersion ? { appVersion: options.appVersion } : {}),
  });
  const log = options.logger?.child({ component: 'sources' });
  return withVariableSources(base, {
    dropIn: createDropInReader({
      folders: [
        { dir: options.variablesDirs?.machine ?? machineVariablesDir(managedConfigPath()), scope: 'machine', allow: config.dropInSources },
        { dir: options.variablesDirs?.user ?? join(config.stateDir, 'variables.d'), scope: 'user', allow: config.userDropInSources },
      ],
    }),
    ...(Object.keys(config.variableSources).length > 0 ? { managed: createManagedSources({ specs: config.variableSources, allowCommands: config.allowCommandSources }) } : {}),
    deny: config.deny,
    configNames: Object.keys(config.variables),
    ...(log ? { log: (level: 'info' | 'warn', message: string, fields: Record<string, unknown>) => log[level](message, fields) } : {}),
  });
}

export function buildCollector(config: AgentConfig, options: { appVersion?: string; variablesDirs?: VariablesDirs }, logger: Logger): SourcedCollector {
  const appVersion = appVersionOf(config, options);
  return buildVariableCollector(config, { ...(appVersion ? { appVersion } : {}), ...(options.variablesDirs ? { variablesDirs: options.variablesDirs } : {}), logger });
}


/** Device facts for activate_license from what was collected: hostname, ip and mac only when the PII setting allows each. */
export function activationFacts(config: AgentConfig): (desired: VariableMap) => NonNullable<EngineOptions['activation']> {
  return (desired) => ({
    ...(typeof desired.is_vm === 'boolean' ? { isVm: desired.is_vm } : {}),
    ...(typeof desired.vm_type === 'string' && desired.vm_type !== '' ? { vmInfo: desired.vm_type } : {}),
    ...(config.pii.hostname && typeof desired.hostname === 'string' && desired.hostname !== '' ? { hostname: desired.hostname } : {}),
    ...(config.pii.ip && typeof desired.ip_address === 'string' && desired.ip_address !== '' ? { ip: desired.ip_address } : {}),
    ...(config.pii.mac && typeof desired.mac_address === 'string' && desired.mac_address !== '' ? { macAddress: desired.mac_address } : {}),
  });
}

