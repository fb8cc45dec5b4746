// POST deactivate_license: stores the `variables` it carries (the vendor's request
// schema accepts them), then the device stops being active (its variables are kept)
// and its seat is free; the reply is 200 with the JSON string "license_deactivated".
import { parseRequest } from '../validation.ts';
import type { EndpointHandler } from './context.ts';
import { requireActiveDevice, requireWriteAccess, resolveLicense } from './identity.ts';
import { storeVariables } from './store-variables.ts';

export const deactivateLicense: EndpointHandler = (input, ctx) => {
  requireWriteAccess(ctx.auth.readOnly);
  const request = parseRequest('deactivate_license', input);
  const { license } = resolveLicense(ctx.db, request, ctx.auth, 'other');
  const device = requireActiveDevice(ctx.db, license, request.hardware_id);
  ctx.db.transaction(() => {
    if (request.variables) storeVariables(ctx.db, device.id, request.variables, ctx.now);
    ctx.db.deactivateDevice(device.id);
    ctx.db.freeSeat(license.id);
  });
  return { status: 200, body: 'license_deactivated' };
};
