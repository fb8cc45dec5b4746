export { CONFIG_FIELDS } from './fields.ts';
export { ConfigError, checkReady, defaultStateDir, formatProblem, layerFromEnv, layerFromFile, layerFromFlags, layerFromObject, resolveConfig } from './load.ts';
export type { ConfigProblem, Layer } from './load.ts';
export { machineVariablesDir, managedConfigPath, readManagedConfig } from './managed.ts';
export type { ManagedConfigResult } from './managed.ts';
export { PRODUCTION_TOKEN_URL } from './schema.ts';
export type { AgentConfig, AuthConfig } from './schema.ts';
