// POST activate_license: creates (or re-activates) the device on the license,
// within max_activations, and stores `variables` when given.
import { ApiError } from '../api-error.ts';
import { parseActivationRequest } from '../validation.ts';
import type { EndpointHandler } from './context.ts';
import { requireWriteAccess, resolveLicense } from './identity.ts';
import { licenseBody } from './license-body.ts';
import { storeVariables } from './store-variables.ts';

export const activateLicense: EndpointHandler = (input, ctx) => {
  requireWriteAccess(ctx.auth.readOnly);
  const request = parseActivationRequest(input);
  const resolved = resolveLicense(ctx.db, request);
  const { license } = resolved;
  if (resolved.product.authorizationMethod === 'user') {
    if (request.password === undefined) throw new ApiError('missing_parameters', 'password is required for a user-based product');
    if (request.password !== license.password) throw new ApiError('license_not_found', 'wrong password');
  }
  const device = ctx.db.transaction(() => {
    const existing = ctx.db.findDevice(license.id, request.hardware_id);
    if (!existing?.active && ctx.db.countActiveDevices(license.id) >= license.maxActivations) {
      throw new ApiError('license_activated_max_times', `${license.maxActivations} active devices`);
    }
    const activated = ctx.db.activateDevice(license.id, request.hardware_id, ctx.now);
    if (request.variables) storeVariables(ctx.db, activated.id, request.variables, ctx.now);
    return activated;
  });
  return { status: 200, body: licenseBody(ctx.db, ctx.keys, resolved, device) };
};
