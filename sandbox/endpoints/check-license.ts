// GET check_license: the license object for an active device.
import { parseIdentityRequest } from '../validation.ts';
import type { EndpointHandler } from './context.ts';
import { requireActiveDevice, resolveLicense } from './identity.ts';
import { licenseBody } from './license-body.ts';

export const checkLicense: EndpointHandler = (input, ctx) => {
  const request = parseIdentityRequest(input);
  const resolved = resolveLicense(ctx.db, request);
  const device = requireActiveDevice(ctx.db, resolved.license, request.hardware_id);
  return { status: 200, body: licenseBody(ctx.db, ctx.keys, resolved, device) };
};
