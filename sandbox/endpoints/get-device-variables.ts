// GET get_device_variables: what the server holds for an active device, values
// as stored strings, created_at as an ISO-8601 string (the SDKs' older form).
import { parseIdentityRequest } from '../validation.ts';
import type { EndpointHandler } from './context.ts';
import { requireActiveDevice, resolveLicense } from './identity.ts';

export const getDeviceVariables: EndpointHandler = (input, ctx) => {
  const request = parseIdentityRequest(input);
  const { license } = resolveLicense(ctx.db, request);
  const device = requireActiveDevice(ctx.db, license, request.hardware_id);
  const body = ctx.db.variablesOf(device.id).map((v) => ({
    id: v.id, variable: v.name, value: v.value, device_id: device.id, created_at: new Date(v.updatedAt).toISOString(),
  }));
  return { status: 200, body };
};
