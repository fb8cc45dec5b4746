// POST track_device_variables: upserts the variables of an active device and
// replies with them typed as the vendor's TrackDeviceVariablesResponse:
// [{variable, value (as stored: a string, like get_device_variables), device_id,
// created_at (ms)}]. `variables` is optional, as in the vendor's request schema.
import { parseRequest, storedValue } from '../validation.ts';
import type { EndpointHandler } from './context.ts';
import { requireActiveDevice, requireWriteAccess, resolveLicense } from './identity.ts';
import { storeVariables } from './store-variables.ts';

export const trackDeviceVariables: EndpointHandler = (input, ctx) => {
  requireWriteAccess(ctx.auth.readOnly);
  const request = parseRequest('track_device_variables', input);
  const { license } = resolveLicense(ctx.db, request, ctx.auth, 'other');
  const device = requireActiveDevice(ctx.db, license, request.hardware_id);
  const variables = request.variables ?? {};
  ctx.db.transaction(() => storeVariables(ctx.db, device.id, variables, ctx.now));
  const body = Object.entries(variables).map(([variable, value]) => ({
    variable, value: storedValue(value), device_id: device.id, created_at: ctx.now,
  }));
  return { status: 200, body };
};
