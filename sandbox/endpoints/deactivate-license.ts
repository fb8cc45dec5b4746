// POST deactivate_license: the device stops being active (its variables are kept);
// the reply is 200 with the JSON string "license_deactivated".
import { parseIdentityRequest } from '../validation.ts';
import type { EndpointHandler } from './context.ts';
import { requireActiveDevice, requireWriteAccess, resolveLicense } from './identity.ts';

export const deactivateLicense: EndpointHandler = (input, ctx) => {
  requireWriteAccess(ctx.auth.readOnly);
  const request = parseIdentityRequest(input);
  const { license } = resolveLicense(ctx.db, request);
  const device = requireActiveDevice(ctx.db, license, request.hardware_id);
  ctx.db.deactivateDevice(device.id);
  return { status: 200, body: 'license_deactivated' };
};
