// Everything a request brings in is checked here before any handler uses it:
// body size and JSON syntax, then the fields each endpoint accepts — the vendor's
// own request schemas (its official Node SDK ships them, src/schema.ts), not this
// project's client's: known fields must have their documented type, unknown fields
// are ignored (as the vendor's schema validator drops them), and the shared variable
// limits apply. Failures are ApiErrors naming the field in their detail.
// The agent checks what it sends against the stricter seed schema itself.
import { VARIABLE_LIMITS } from '../app/licenseapi/limits.ts';
import { ApiError } from './api-error.ts';
import type { VariableMap, VariableValue } from '../app/variables.ts';

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

/** The string a value is stored (and returned by track and get) as. */
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

type FieldType = 'string' | 'number' | 'boolean' | 'object';

const IDENTITY = { hardware_id: 'string', product: 'string', license_key: 'string', username: 'string', bundle_code: 'string' } as const;
const DEVICE_FACTS = {
  sdk_ver: 'string', app_ver: 'string', os_ver: 'string', hostname: 'string', os_hostname: 'string',
  ip: 'string', ip_local: 'string', mac_address: 'string',
} as const;

/**
 * The fields each endpoint accepts, with their types: the vendor's request schemas
 * (@licensespring/node-sdk 1.4.17, src/schema.ts, which mirrors the server's), plus the
 * optional activation fields its documentation and SDK send (app_name, is_vm, vm_info, …).
 */
export const ACCEPTED_FIELDS = {
  activate_license: {
    ...IDENTITY, ...DEVICE_FACTS, password: 'string', id_token: 'string', code: 'string', customer_account_code: 'string', redirect_uri: 'string',
    variables: 'object', license_id: 'number', app_name: 'string', is_vm: 'boolean', vm_info: 'string',
  },
  check_license: { ...IDENTITY, ...DEVICE_FACTS, env: 'string', license_id: 'number', channel: 'string', include_expired_features: 'boolean' },
  deactivate_license: { ...IDENTITY, variables: 'object' },
  track_device_variables: { ...IDENTITY, license_id: 'number', sdk_ver: 'string', variables: 'object' },
  get_device_variables: { ...IDENTITY, license_id: 'number', sdk_ver: 'string' },
} as const satisfies Record<string, Record<string, FieldType>>;

export type EndpointName = keyof typeof ACCEPTED_FIELDS;

export interface IdentityRequest {
  product: string;
  hardware_id: string;
  license_key?: string;
  username?: string;
  license_id?: number;
}

export interface EndpointRequest extends IdentityRequest {
  password?: string;
  variables?: VariableMap;
  /** Everything else the endpoint accepts (activation's device facts…), as sent. */
  extra: Record<string, string | number | boolean>;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * Checks `input` (a JSON body, or query parameters already coerced by queryParams)
 * against the endpoint's accepted fields. Missing product → missing_parameters, missing
 * hardware_id → missing_hardware_id (the codes the vendor documents); a known field of the
 * wrong type → validation_error naming it; unknown fields are dropped.
 */
export function parseRequest(endpoint: EndpointName, input: unknown): EndpointRequest {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ApiError('validation_error', 'body must be a JSON object');
  }
  const body = input as Record<string, unknown>;
  const fields: Record<string, FieldType> = ACCEPTED_FIELDS[endpoint];
  if (body.product === undefined || body.product === '') throw new ApiError('missing_parameters', 'product is required');
  if (body.hardware_id === undefined || body.hardware_id === '') throw new ApiError('missing_hardware_id', 'hardware_id is required');
  const request: EndpointRequest = { product: '', hardware_id: '', extra: {} };
  for (const [name, type] of Object.entries(fields)) {
    if (!Object.hasOwn(body, name) || body[name] === undefined) continue;
    const value = body[name];
    if (typeOf(value) !== type || (type === 'number' && !Number.isFinite(value))) {
      throw new ApiError('validation_error', `${name}: must be ${type === 'object' ? 'an object' : `a ${type}`}, got ${typeOf(value)}`);
    }
    if (type === 'string' && (value as string).length > 1024) throw new ApiError('validation_error', `${name}: longer than 1024 characters`);
    switch (name) {
      case 'product': request.product = value as string; break;
      case 'hardware_id': request.hardware_id = value as string; break;
      case 'license_key': if (value !== '') request.license_key = value as string; break;
      case 'username': if (value !== '') request.username = value as string; break;
      case 'license_id': request.license_id = value as number; break;
      case 'password': request.password = value as string; break;
      case 'variables': request.variables = checkVariableLimits(value as Record<string, unknown>); break;
      default: request.extra[name] = value as string | number | boolean;
    }
  }
  return request;
}

/** Query parameters of the GET endpoints as an object, coerced as the vendor's validator does (numbers, booleans). */
export function queryParams(query: URLSearchParams): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [name, value] of query) {
    if (name === 'license_id' && /^\d+$/.test(value)) params[name] = Number(value);
    else if (name === 'include_expired_features' && (value === 'true' || value === 'false')) params[name] = value === 'true';
    else params[name] = value;
  }
  return params;
}
