// GET check_license: the license object for an active device. A disabled or
// inactive license still answers 200 with license_enabled / license_active false,
// as the vendor's does; an expired one with is_expired true.
import { parseRequest } from '../validation.ts';
import type { EndpointHandler } from './context.ts';
import { requireActiveDevice, resolveLicense } from './identity.ts';
import { checkBody } from './license-body.ts';

export const checkLicense: EndpointHandler = (input, ctx) => {
  const request = parseRequest('check_license', input);
  const resolved = resolveLicense(ctx.db, request, ctx.auth, 'check');
  const device = requireActiveDevice(ctx.db, resolved.license, request.hardware_id);
  return { status: 200, body: checkBody(ctx.db, ctx.keys, resolved, device, ctx.now) };
};
