// Everything a request brings in is checked here before any handler uses it:
// body size and JSON syntax, the seed's request schema (ajv, draft 2020-12) for
// track_device_variables, zod schemas for the other endpoints, and the shared
// variable limits. Failures are ApiErrors naming the field in their detail.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { z } from 'zod';
import { VARIABLE_LIMITS } from '../app/licenseapi/limits.ts';
import trackRequestSchema from '../app/licenseapi/schemas/track-device-variables.request.schema.json' with { type: 'json' };
import { ApiError } from './api-error.ts';
import type { VariableMap, VariableValue } from '../app/variables.ts';

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
const validateTrackSchema = ajv.compile(trackRequestSchema);

/** Parses a JSON request body, enforcing the body-size limit. */
export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length > VARIABLE_LIMITS.maxBodyBytes) {
    throw new ApiError('validation_error', `body is ${raw.length} bytes, more than ${VARIABLE_LIMITS.maxBodyBytes}`);
  }
  if (raw.length === 0) throw new ApiError('invalid_json', 'empty body');
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ApiError('invalid_json', 'body is not valid JSON');
  }
}

/** The string a value is stored (and returned by get_device_variables) as. */
export function storedValue(value: VariableValue): string {
  return String(value);
}

/** Enforces VARIABLE_LIMITS on a map of variables (name pattern, value length, count). */
export function checkVariableLimits(variables: Record<string, unknown>, field = 'variables'): VariableMap {
  const entries = Object.entries(variables);
  if (entries.length > VARIABLE_LIMITS.maxVariables) {
    throw new ApiError('validation_error', `${field}: ${entries.length} variables, at most ${VARIABLE_LIMITS.maxVariables} allowed`);
  }
  const result: VariableMap = {};
  for (const [name, value] of entries) {
    if (!VARIABLE_LIMITS.namePattern.test(name)) {
      throw new ApiError('validation_error', `${field}: name "${name.slice(0, 80)}" must be 1..${VARIABLE_LIMITS.nameMaxLength} characters of [A-Za-z0-9_.-]`);
    }
    if (typeof value !== 'string' && typeof value !== 'boolean' && !(typeof value === 'number' && Number.isFinite(value))) {
      throw new ApiError('validation_error', `${field}.${name}: value must be a string, a finite number or a boolean`);
    }
    if (storedValue(value).length > VARIABLE_LIMITS.valueMaxLength) {
      throw new ApiError('validation_error', `${field}.${name}: value longer than ${VARIABLE_LIMITS.valueMaxLength} characters`);
    }
    Object.defineProperty(result, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return result;
}

export interface TrackRequest {
  product: string; hardware_id: string; variables: VariableMap;
  license_key?: string; username?: string; license_id?: number;
}

/** track_device_variables: the seed's JSON Schema, then the limits. */
export function parseTrackRequest(body: unknown): TrackRequest {
  if (!validateTrackSchema(body)) {
    const detail = (validateTrackSchema.errors ?? [])
      .map((e) => `${e.instancePath || '(body)'} ${e.message ?? 'is invalid'}${e.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : ''}`)
      .join('; ');
    throw new ApiError('validation_error', detail);
  }
  const request = body as unknown as TrackRequest;
  return { ...request, variables: checkVariableLimits(request.variables) };
}

const nonEmpty = z.string().min(1);
const identityShape = {
  product: nonEmpty,
  hardware_id: nonEmpty,
  license_key: nonEmpty.optional(),
  username: nonEmpty.optional(),
  license_id: z.number().int().positive().optional(),
};
const identitySchema = z.object(identityShape);
const activationSchema = z.object({
  ...identityShape,
  password: z.string().optional(),
  variables: z.unknown().optional(),
  app_name: z.string().optional(),
  app_ver: z.string().optional(),
  os_ver: z.string().optional(),
  hostname: z.string().optional(),
  os_hostname: z.string().optional(),
  is_vm: z.boolean().optional(),
});

export type IdentityRequest = z.infer<typeof identitySchema>;
export type ActivationRequest = Omit<z.infer<typeof activationSchema>, 'variables'> & { variables?: VariableMap };

function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ApiError('validation_error', 'body must be a JSON object');
  }
  for (const field of ['product', 'hardware_id']) {
    if ((input as Record<string, unknown>)[field] === undefined) throw new ApiError('missing_parameters', `${field} is required`);
  }
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ApiError('validation_error', result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '));
  }
  return result.data;
}

/** Query parameters of the GET endpoints as an object (license_id as a number when numeric). */
export function queryParams(query: URLSearchParams): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [name, value] of query) {
    params[name] = name === 'license_id' && /^\d+$/.test(value) ? Number(value) : value;
  }
  return params;
}

/** check_license, deactivate_license, get_device_variables. */
export function parseIdentityRequest(input: unknown): IdentityRequest {
  return parseWith(identitySchema, input);
}

/** activate_license (unknown extra fields are ignored, as the notes list optional ones). */
export function parseActivationRequest(input: unknown): ActivationRequest {
  const { variables, ...rest } = parseWith(activationSchema, input);
  if (variables === undefined) return rest;
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) {
    throw new ApiError('validation_error', 'variables: must be an object of name → value');
  }
  return { ...rest, variables: checkVariableLimits(variables as Record<string, unknown>) };
}
