// POST activate_license: creates (or re-activates) the device on the license,
// within max_activations and the transfer limit, stores `variables` when given,
// and remembers what the request said about the device (os_ver, hostname, …).
import { ApiError } from '../api-error.ts';
import { parseRequest } from '../validation.ts';
import type { EndpointHandler } from './context.ts';
import { isExpired, requireWriteAccess, resolveLicense } from './identity.ts';
import { activationBody } from './license-body.ts';
import { storeVariables } from './store-variables.ts';

/** Activation fields kept as the device's details (what the vendor's Devices page shows). */
const DEVICE_DETAILS = ['os_ver', 'app_ver', 'app_name', 'sdk_ver', 'hostname', 'os_hostname', 'ip', 'ip_local', 'mac_address', 'is_vm', 'vm_info'] as const;

export const activateLicense: EndpointHandler = (input, ctx) => {
  requireWriteAccess(ctx.auth.readOnly);
  const request = parseRequest('activate_license', input);
  const resolved = resolveLicense(ctx.db, request, ctx.auth, 'activation');
  const { license, product } = resolved;
  if (product.authorizationMethod === 'user') {
    if (request.password === undefined) throw new ApiError('missing_parameters', 'password is required for a user-based product');
    if (request.password !== license.password) throw new ApiError('license_not_found', 'wrong password', 'user');
  }
  if (license.isTrial && isExpired(license, ctx.now)) throw new ApiError('trial_expired', `the trial ended ${license.validityPeriod}`);
  const details: Record<string, string | boolean> = {};
  for (const name of DEVICE_DETAILS) {
    const value = request.extra[name];
    if (typeof value === 'string' || typeof value === 'boolean') details[name] = value;
  }
  const device = ctx.db.transaction(() => {
    const existing = ctx.db.findDevice(license.id, request.hardware_id);
    if (!existing?.active) {
      if (ctx.db.countActiveDevices(license.id) >= license.maxActivations) {
        throw new ApiError(product.authorizationMethod === 'user' ? 'licenseUserActivatedMaxTimes' : 'license_activated_max_times', `${license.maxActivations} active devices`);
      }
      if (license.freedSeats > 0) {
        // A seat a deactivation freed: another device taking it is a transfer.
        const transfer = existing === undefined;
        if (transfer && (license.maxTransfers === -1 || (license.maxTransfers > 0 && license.transferCount >= license.maxTransfers))) {
          throw new ApiError('license_transferred_max_times', license.maxTransfers === -1 ? 'transfers are prevented' : `${license.transferCount} of ${license.maxTransfers} transfers used`);
        }
        ctx.db.takeFreedSeat(license.id, transfer);
      }
    }
    const activated = ctx.db.activateDevice(license.id, request.hardware_id, ctx.now, details);
    if (request.variables) storeVariables(ctx.db, activated.id, request.variables, ctx.now);
    return activated;
  });
  const current = { ...resolved, license: ctx.db.findLicense(license.id) ?? license };
  return { status: 200, body: activationBody(ctx.db, ctx.keys, current, device, ctx.now) };
};
