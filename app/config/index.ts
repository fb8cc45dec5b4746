export { CONFIG_FIELDS, SECRET_KEYS } from './fields.ts';
export { ConfigError, checkReady, defaultStateDir, formatProblem, layerFromEnv, layerFromFile, layerFromFlags, layerFromObject, resolveConfig } from './load.ts';
export type { ConfigProblem, Layer } from './load.ts';
export { loadManagedConfig, managedConfigPath } from './managed.ts';
export { PRODUCTION_API_URL, PRODUCTION_TOKEN_URL, parseDuration } from './schema.ts';
export type { AgentConfig, AuthConfig } from './schema.ts';
