export { CONFIG_FIELDS, SECRET_KEYS } from './fields.ts';
export { CONFIG_MAX_BYTES, ConfigError, checkReady, defaultStateDir, formatProblem, layerFromEnv, layerFromFile, layerFromFlags, layerFromObject, resolveConfig, writableByEveryone } from './load.ts';
export type { ConfigProblem, Layer } from './load.ts';
export { loadManagedConfig, managedConfigOrThrow, managedConfigPath, readManagedConfig } from './managed.ts';
export type { ManagedConfig, ManagedConfigResult } from './managed.ts';
export { PRODUCTION_API_URL, PRODUCTION_TOKEN_URL, parseDuration } from './schema.ts';
export type { AgentConfig, AuthConfig } from './schema.ts';
