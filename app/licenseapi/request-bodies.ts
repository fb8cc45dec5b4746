// The requests the client sends, checked on the way out: the limits first (they name the
// variable and the rule), then the schemas, then the wire body exactly as the vendor's
// server reads it. A request that fails is a LicenseApiError ('invalid_request'), never sent.
import type { LicenseApiError} from './errors.ts';
import { localError } from './errors.ts';
import { activationBodySchema, activationInputSchema, copyVariables, describeIssue, identityBodySchema, identitySchema, identityWire, trackBodyProblem, trackInputSchema, variablesProblem } from './schemas.ts';
import type { ActivationInput, LicenseIdentity, TrackInput } from './schemas.ts';

function requestError(detail: string): LicenseApiError {
  return localError('invalid_request', { summary: `The agent refused to send an invalid request: ${detail}.`, detail });
}

function isPlainObject(value: unknown): value is Record<string, never> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function checkIdentity(identity: LicenseIdentity): void {
  const parsed = identitySchema.safeParse(identity);
  if (!parsed.success) throw requestError(describeIssue(parsed.error));
}

export function identityQuery(identity: LicenseIdentity): Record<string, string | number> {
  const wire = identityBodySchema.parse(identityWire(identity));
  return Object.fromEntries(Object.entries(wire).filter(([, v]) => v !== undefined)) as Record<string, string | number>;
}

/** track_device_variables' body. */
export function trackBody(input: TrackInput): Record<string, unknown> {
  // Limits first: they name the variable and the rule (e.g. "numbers must be finite").
  const problem = isPlainObject(input?.variables) ? variablesProblem(input.variables) : undefined;
  if (problem) throw requestError(problem);
  const parsed = trackInputSchema.safeParse(input);
  if (!parsed.success) throw requestError(describeIssue(parsed.error));
  const body = { ...identityWire(input), variables: copyVariables(input.variables) };
  const schemaProblem = trackBodyProblem(body);
  if (schemaProblem) throw requestError(schemaProblem);
  return body;
}

/** activate_license's body. */
export function activationBody(input: ActivationInput): unknown {
  const problem = isPlainObject(input?.variables) ? variablesProblem(input.variables) : undefined;
  if (problem) throw requestError(problem);
  const parsed = activationInputSchema.safeParse(input);
  if (!parsed.success) throw requestError(describeIssue(parsed.error));
  const wire: Record<string, unknown> = { ...identityWire(input) };
  if (input.password !== undefined) wire.password = input.password;
  if (input.variables !== undefined) wire.variables = copyVariables(input.variables);
  if (input.appName !== undefined) wire.app_name = input.appName;
  if (input.appVersion !== undefined) wire.app_ver = input.appVersion;
  if (input.osVersion !== undefined) wire.os_ver = input.osVersion;
  if (input.hostname !== undefined) wire.hostname = input.hostname;
  if (input.isVm !== undefined) wire.is_vm = input.isVm;
  if (input.vmInfo !== undefined) wire.vm_info = input.vmInfo;
  if (input.sdkVersion !== undefined) wire.sdk_ver = input.sdkVersion;
  if (input.ip !== undefined) wire.ip = input.ip;
  if (input.macAddress !== undefined) wire.mac_address = input.macAddress;
  const body = activationBodySchema.safeParse(wire);
  if (!body.success) throw requestError(describeIssue(body.error));
  return body.data;
}
