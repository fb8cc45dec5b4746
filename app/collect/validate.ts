// The trust boundary for device variables: names and values checked against
// VARIABLE_LIMITS, with one clear message per problem naming the field. The
// result is a null-prototype object, so no name can reach Object.prototype.
import { VARIABLE_LIMITS } from '../licenseapi/limits.ts';
import type { VariableMap, VariableValue } from '../variables.ts';

export interface FieldError {
  field: string;
  message: string;
}

export type ValidationResult =
  | { ok: true; values: VariableMap }
  | { ok: false; errors: FieldError[] };

const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);
// C0 and C1 control characters (tab and newline included: values are single-line).
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

export const NAME_RULE = `name must be 1-${VARIABLE_LIMITS.nameMaxLength} characters of A-Z a-z 0-9 _ . -`;

/** Printable form of a name for messages: control characters escaped, long names cut. */
function printable(name: string): string {
  const escaped = JSON.stringify(name).slice(1, -1);
  return escaped.length > 80 ? `${escaped.slice(0, 77)}...` : escaped;
}

/** Problem with a variable name, or undefined when it is fine. */
export function checkName(name: string): string | undefined {
  if (RESERVED_NAMES.has(name)) return `name "${name}" is reserved`;
  if (!VARIABLE_LIMITS.namePattern.test(name)) return NAME_RULE;
  return undefined;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Problem with a variable value, or undefined when it is fine. */
export function checkValue(value: unknown): string | undefined {
  switch (typeof value) {
    case 'boolean':
      return undefined;
    case 'number':
      if (!Number.isFinite(value)) return `value must be a finite number (got ${String(value)})`;
      return undefined;
    case 'string':
      if (value.length > VARIABLE_LIMITS.valueMaxLength) return `value must be at most ${VARIABLE_LIMITS.valueMaxLength} characters (got ${value.length})`;
      if (CONTROL_CHARACTERS.test(value)) return 'value must not contain control characters';
      if (!value.isWellFormed()) return 'value must be well-formed Unicode (no lone surrogates)';
      return undefined;
    default:
      return `value must be a string, number or boolean (got ${describeType(value)})`;
  }
}

/**
 * Checks an untrusted map of variables. `prefix` names the source in messages
 * ("variables", "custom", ...): `variables.my var: name must be ...`.
 */
export function validateVariables(map: unknown, prefix = 'variables'): ValidationResult {
  if (map === null || typeof map !== 'object' || Array.isArray(map)) {
    return { ok: false, errors: [{ field: prefix, message: `must be an object of name: value pairs (got ${describeType(map)})` }] };
  }
  const proto = Object.getPrototypeOf(map);
  if (proto !== Object.prototype && proto !== null) {
    return { ok: false, errors: [{ field: prefix, message: 'must be a plain object of name: value pairs' }] };
  }
  // Own keys only, including a literal "__proto__" key from JSON.parse.
  const names = Object.keys(map);
  const errors: FieldError[] = [];
  if (names.length > VARIABLE_LIMITS.maxVariables) {
    errors.push({ field: prefix, message: `at most ${VARIABLE_LIMITS.maxVariables} variables are allowed (got ${names.length})` });
  }
  const values: VariableMap = Object.create(null) as VariableMap;
  for (const name of names) {
    const field = `${prefix}.${printable(name)}`;
    const nameProblem = checkName(name);
    if (nameProblem) {
      errors.push({ field, message: nameProblem });
      continue;
    }
    const value = (map as Record<string, unknown>)[name];
    const valueProblem = checkValue(value);
    if (valueProblem) {
      errors.push({ field, message: valueProblem });
      continue;
    }
    values[name] = value as VariableValue;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, values };
}

/** One line per error, for a CLI or a log: `variables.x: message; variables.y: message`. */
export function formatFieldErrors(errors: readonly FieldError[]): string {
  return errors.map((error) => `${error.field}: ${error.message}`).join('; ');
}
