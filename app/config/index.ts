export { CONFIG_FIELDS, MANAGED_ONLY_KEYS, SECRET_KEYS } from './fields.ts';
export { CONFIG_MAX_BYTES, ConfigError, checkReady, defaultStateDir, formatProblem, layerFromEnv, layerFromFile, layerFromFlags, layerFromObject, resolveConfig, writableByEveryone } from './load.ts';
export type { ConfigProblem, Layer } from './load.ts';
export { loadManagedConfig, machineVariablesDir, managedConfigOrThrow, managedConfigPath, readManagedConfig } from './managed.ts';
export type { ManagedConfig, ManagedConfigResult } from './managed.ts';
export { PRODUCTION_API_URL, PRODUCTION_TOKEN_URL, TRAY_ICON_POLICIES, parseDuration } from './schema.ts';
export type { TrayIconPolicy } from './schema.ts';
export type { VariableSourceSpec } from './variable-sources.ts';
export type { AgentConfig, AuthConfig } from './schema.ts';
