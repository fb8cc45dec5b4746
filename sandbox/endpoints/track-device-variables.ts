// POST track_device_variables: upserts the variables of an active device and
// echoes them as sent: [{variable, value, device_id, created_at (ms)}].
import { parseTrackRequest } from '../validation.ts';
import type { EndpointHandler } from './context.ts';
import { requireActiveDevice, requireWriteAccess, resolveLicense } from './identity.ts';
import { storeVariables } from './store-variables.ts';

export const trackDeviceVariables: EndpointHandler = (input, ctx) => {
  requireWriteAccess(ctx.auth.readOnly);
  const request = parseTrackRequest(input);
  const { license } = resolveLicense(ctx.db, request);
  const device = requireActiveDevice(ctx.db, license, request.hardware_id);
  ctx.db.transaction(() => storeVariables(ctx.db, device.id, request.variables, ctx.now));
  const body = Object.entries(request.variables).map(([variable, value]) => ({
    variable, value, device_id: device.id, created_at: ctx.now,
  }));
  return { status: 200, body };
};
