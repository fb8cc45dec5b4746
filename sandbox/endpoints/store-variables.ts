// Upsert of device variables by name, with the per-device count limit.
import { VARIABLE_LIMITS } from '../../app/licenseapi/limits.ts';
import type { VariableMap } from '../../app/variables.ts';
import { ApiError } from '../api-error.ts';
import type { SandboxDb } from '../db.ts';
import { storedValue } from '../validation.ts';

/** Stores each variable (overwriting one of the same name); call inside a transaction. */
export function storeVariables(db: SandboxDb, deviceId: number, variables: VariableMap, now: number): void {
  const existing = new Set(db.variablesOf(deviceId).map((v) => v.name));
  const added = Object.keys(variables).filter((name) => !existing.has(name)).length;
  if (existing.size + added > VARIABLE_LIMITS.maxVariables) {
    throw new ApiError('validation_error', `variables: the device would hold ${existing.size + added} variables, at most ${VARIABLE_LIMITS.maxVariables} allowed`);
  }
  for (const [name, value] of Object.entries(variables)) db.upsertVariable(deviceId, name, storedValue(value), now);
}
