// GET get_device_variables: what the server holds for an active device, typed as
// the vendor's GetDeviceVariablesResponse: {id, created_at (ISO-8601 string), variable,
// value (the stored string), device_id}, sorted by name.
import { parseRequest } from '../validation.ts';
import type { EndpointHandler } from './context.ts';
import { requireActiveDevice, resolveLicense } from './identity.ts';

export const getDeviceVariables: EndpointHandler = (input, ctx) => {
  const request = parseRequest('get_device_variables', input);
  const { license } = resolveLicense(ctx.db, request, ctx.auth, 'other');
  const device = requireActiveDevice(ctx.db, license, request.hardware_id);
  const body = ctx.db.variablesOf(device.id).map((v) => ({
    id: v.id, created_at: new Date(v.updatedAt).toISOString(), variable: v.name, value: v.value, device_id: device.id,
  }));
  return { status: 200, body };
};
