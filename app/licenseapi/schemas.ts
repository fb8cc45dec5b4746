// What goes out and what comes back, checked at the trust boundary.
// Outgoing track bodies: the seed's JSON Schema (additionalProperties:false), compiled
// ahead of time by ajv into track-body-validator.generated.js (tools/gen-validators.ts:
// no ajv at run time), plus the agent's documented limits. Other outgoing bodies: strict zod.
// Every reply: zod, normalised to camelCase with ms timestamps and string values.
import { z } from 'zod';
import type { VariableMap, VariableValue } from '../variables.ts';
import { VARIABLE_LIMITS } from './limits.ts';
import { validate as validateTrackBody } from './track-body-validator.generated.js';

// ---------------------------------------------------------------- inputs

export interface LicenseIdentity {
  product: string;
  hardwareId: string;
  /** Key-based products. */
  licenseKey?: string;
  /** User-based products. */
  username?: string;
  /** Pins the action to one license when a user holds several. */
  licenseId?: number;
}

export interface ActivationInput extends LicenseIdentity {
  /** User-based products. */
  password?: string;
  variables?: VariableMap;
  appName?: string;
  appVersion?: string;
  osVersion?: string;
  hostname?: string;
  isVm?: boolean;
  /** What kind of virtual machine, when isVm (e.g. "kvm"). */
  vmInfo?: string;
  /** The agent's own version (the vendor's SDKs send theirs). */
  sdkVersion?: string;
  /** Only when the PII setting allows it. */
  ip?: string;
  /** Only when the PII setting allows it. */
  macAddress?: string;
}

export interface TrackInput extends LicenseIdentity {
  variables: VariableMap;
}

const nonEmpty = (field: string) => z.string({ error: `${field} must be a string` }).min(1, `${field} must not be empty`).max(1024, `${field} is longer than 1024 characters`);

const identityFields = {
  product: nonEmpty('product'),
  hardwareId: nonEmpty('hardwareId'),
  licenseKey: nonEmpty('licenseKey').optional(),
  username: nonEmpty('username').optional(),
  licenseId: z.number({ error: 'licenseId must be a number' }).int('licenseId must be an integer').positive('licenseId must be positive').optional(),
};

const scalar = z.union([z.string(), z.number(), z.boolean()], { error: 'must be a string, a finite number or a boolean' });

export const identitySchema = z.object(identityFields).refine((v) => v.licenseKey !== undefined || v.username !== undefined, {
  message: 'licenseKey or username is required', path: ['licenseKey'],
});

export const trackInputSchema = z.object({ ...identityFields, variables: z.record(z.string(), scalar, { error: 'variables must be an object of string, number or boolean values' }) })
  .refine((v) => v.licenseKey !== undefined || v.username !== undefined, { message: 'licenseKey or username is required', path: ['licenseKey'] });

export const activationInputSchema = z.object({
  ...identityFields,
  password: z.string().min(1, 'password must not be empty').optional(),
  variables: z.record(z.string(), scalar, { error: 'variables must be an object of string, number or boolean values' }).optional(),
  appName: nonEmpty('appName').optional(),
  appVersion: nonEmpty('appVersion').optional(),
  osVersion: nonEmpty('osVersion').optional(),
  hostname: nonEmpty('hostname').optional(),
  isVm: z.boolean().optional(),
  vmInfo: nonEmpty('vmInfo').optional(),
  sdkVersion: nonEmpty('sdkVersion').optional(),
  ip: nonEmpty('ip').optional(),
  macAddress: nonEmpty('macAddress').optional(),
}).refine((v) => v.licenseKey !== undefined || v.username !== undefined, { message: 'licenseKey or username is required', path: ['licenseKey'] });

/** First zod issue as `field: message` (paths joined with dots / [index]). */
export function describeIssue(error: z.ZodError, root = ''): string {
  const issue = error.issues[0];
  if (!issue) return root || 'invalid';
  const path = issue.path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)), root);
  return path && !issue.message.startsWith(path) ? `${path}: ${issue.message}` : issue.message;
}

const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);
// C0 and C1 control characters: values are single-line text (the collector's rule, app/collect/validate.ts).
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/** The canonical text of a value, as the server stores it ("42", "true", "0.5"). */
export function canonicalVariableValue(value: VariableValue): string {
  return String(value);
}

/** Checks variables against VARIABLE_LIMITS; returns `variables.<name>: problem` or undefined. */
export function variablesProblem(variables: VariableMap): string | undefined {
  const entries = Object.entries(variables);
  if (entries.length > VARIABLE_LIMITS.maxVariables) return `variables: ${entries.length} variables, at most ${VARIABLE_LIMITS.maxVariables} allowed`;
  for (const [name, value] of entries) {
    const label = JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
    if (!VARIABLE_LIMITS.namePattern.test(name)) return `variables.${label}: names are 1..${VARIABLE_LIMITS.nameMaxLength} characters of A-Z a-z 0-9 _ . -`;
    if (RESERVED_NAMES.has(name)) return `variables.${label}: reserved name`;
    if (typeof value === 'number' && !Number.isFinite(value)) return `variables.${label}: numbers must be finite`;
    if (canonicalVariableValue(value).length > VARIABLE_LIMITS.valueMaxLength) return `variables.${label}: value longer than ${VARIABLE_LIMITS.valueMaxLength} characters`;
    if (typeof value === 'string' && CONTROL_CHARACTERS.test(value)) return `variables.${label}: value contains control characters`;
    if (typeof value === 'string' && !value.isWellFormed()) return `variables.${label}: value is not well-formed Unicode (lone surrogate)`;
  }
  return undefined;
}

// ---------------------------------------------------------------- wire bodies (out)

export interface TrackBody {
  product: string;
  hardware_id: string;
  variables: VariableMap;
  license_key?: string;
  username?: string;
  license_id?: number;
}

/** Validates a track body against the seed's request schema; returns the problem or undefined. */
export function trackBodyProblem(body: unknown): string | undefined {
  if (validateTrackBody(body)) return undefined;
  const error = validateTrackBody.errors?.[0];
  if (!error) return 'body does not match the request schema';
  const where = error.instancePath ? error.instancePath.slice(1).replaceAll('/', '.') : 'body';
  const extra = error.keyword === 'additionalProperties' ? ` "${String((error.params as { additionalProperty?: unknown }).additionalProperty)}"` : '';
  return `${where}: ${error.message ?? 'invalid'}${extra}`;
}

/** Identity fields in wire form; absent fields are left out (never sent as undefined/null). */
export function identityWire(identity: LicenseIdentity): Omit<TrackBody, 'variables'> {
  const wire: Omit<TrackBody, 'variables'> = { product: identity.product, hardware_id: identity.hardwareId };
  if (identity.licenseKey !== undefined) wire.license_key = identity.licenseKey;
  if (identity.username !== undefined) wire.username = identity.username;
  if (identity.licenseId !== undefined) wire.license_id = identity.licenseId;
  return wire;
}

/** Copies variables into a fresh object by own entries (so no key can reach a prototype). */
export function copyVariables(variables: VariableMap): VariableMap {
  return Object.fromEntries(Object.entries(variables));
}

export const identityBodySchema = z.strictObject({
  product: z.string().min(1), hardware_id: z.string().min(1),
  license_key: z.string().min(1).optional(), username: z.string().min(1).optional(), license_id: z.number().int().optional(),
});

export const activationBodySchema = identityBodySchema.extend({
  password: z.string().optional(),
  variables: z.record(z.string(), scalar).optional(),
  app_name: z.string().optional(), app_ver: z.string().optional(), os_ver: z.string().optional(),
  hostname: z.string().optional(), is_vm: z.boolean().optional(), vm_info: z.string().optional(),
  sdk_ver: z.string().optional(), ip: z.string().optional(), mac_address: z.string().optional(),
});

// ---------------------------------------------------------------- replies (in)

/** A created_at as ms: a number is taken as ms; a string may be digits or an ISO date. */
const timestampMs = z.union([z.number(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return value;
  } else if (/^\d+$/.test(value)) {
    return Number(value);
  } else {
    const at = Date.parse(value);
    if (!Number.isNaN(at)) return at;
  }
  ctx.addIssue({ code: 'custom', message: 'expected a ms timestamp or an ISO date' });
  return z.NEVER;
});

const deviceId = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]);

const variableRow = z.object({
  variable: z.string(),
  value: scalar.transform(canonicalVariableValue),
  device_id: deviceId,
  created_at: timestampMs,
}).transform((row) => ({ variable: row.variable, value: row.value, deviceId: row.device_id, createdAt: row.created_at }));

export interface DeviceVariable {
  variable: string;
  /** Canonical text of the value (the server stores strings; numbers and booleans are converted with String()). */
  value: string;
  deviceId: number;
  /** ms since the epoch. */
  createdAt: number;
}

export const variableRowsReply = z.array(variableRow);

export interface LicenseInfo {
  licenseKey?: string;
  username?: string;
  deviceId?: number;
  licenseType?: string;
  validityPeriod?: string;
  isExpired?: boolean;
  licenseActive?: boolean;
  licenseEnabled?: boolean;
  licenseSignature?: string;
  isTrial?: boolean;
  maxActivations?: number;
  timesActivated?: number;
  transferCount?: number;
  maxTransfers?: number;
  /** ISO date the license starts being valid, when it has one. */
  startDate?: string;
  productName?: string;
  /** The whole reply, for fields the agent does not model. */
  raw: Record<string, unknown>;
}

const optionalText = z.string().nullish();
const licenseUser = z.looseObject({ email: z.string().nullish(), username: z.string().nullish() });
export const licenseReply = z.looseObject({
  license_key: optionalText,
  license_user: z.union([z.string(), licenseUser]).nullish(),
  user: licenseUser.nullish(),
  device_id: deviceId.nullish(),
  license_type: optionalText,
  validity_period: optionalText,
  is_expired: z.boolean().nullish(),
  license_active: z.boolean().nullish(),
  license_enabled: z.boolean().nullish(),
  license_signature: optionalText,
  is_trial: z.boolean().nullish(),
  max_activations: z.number().nullish(),
  times_activated: z.number().nullish(),
  transfer_count: z.number().nullish(),
  max_transfers: z.number().nullish(),
  start_date: optionalText,
  product_details: z.looseObject({ product_name: optionalText }).nullish(),
}).transform((r): LicenseInfo => {
  const info: LicenseInfo = { raw: r };
  if (r.license_key) info.licenseKey = r.license_key;
  const userObject = typeof r.license_user === 'object' ? r.license_user : r.user;
  const user = typeof r.license_user === 'string' ? r.license_user : userObject?.username ?? userObject?.email;
  if (user) info.username = user;
  if (r.device_id !== undefined && r.device_id !== null) info.deviceId = r.device_id;
  if (r.license_type) info.licenseType = r.license_type;
  if (r.validity_period) info.validityPeriod = r.validity_period;
  if (typeof r.is_expired === 'boolean') info.isExpired = r.is_expired;
  if (typeof r.license_active === 'boolean') info.licenseActive = r.license_active;
  if (typeof r.license_enabled === 'boolean') info.licenseEnabled = r.license_enabled;
  if (r.license_signature) info.licenseSignature = r.license_signature;
  if (typeof r.is_trial === 'boolean') info.isTrial = r.is_trial;
  if (typeof r.max_activations === 'number') info.maxActivations = r.max_activations;
  if (typeof r.times_activated === 'number') info.timesActivated = r.times_activated;
  if (typeof r.transfer_count === 'number') info.transferCount = r.transfer_count;
  if (typeof r.max_transfers === 'number') info.maxTransfers = r.max_transfers;
  if (r.start_date) info.startDate = r.start_date;
  if (r.product_details?.product_name) info.productName = r.product_details.product_name;
  return info;
});

/** deactivate_license answers 200 with `license_deactivated` (as JSON string or bare text). */
export function isDeactivatedReply(rawText: string, json: unknown): boolean {
  return rawText.trim() === 'license_deactivated' || json === 'license_deactivated';
}

/** An error body: `{status, code, message}`; read leniently (only `code` matters). */
export const errorReply = z.object({ code: z.string().min(1).max(200), message: z.string().optional(), status: z.number().optional() });

/** The latest value per variable name from a get_device_variables reply (history rows collapse). */
export function latestValues(rows: readonly DeviceVariable[]): Record<string, string> {
  const latest = new Map<string, DeviceVariable>();
  for (const row of rows) {
    const seen = latest.get(row.variable);
    if (!seen || row.createdAt >= seen.createdAt) latest.set(row.variable, row);
  }
  return Object.fromEntries([...latest].map(([name, row]) => [name, row.value]));
}
