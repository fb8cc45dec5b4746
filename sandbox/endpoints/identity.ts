// The domain rules every endpoint shares: which product, which license, is the
// device blacklisted, is the license usable, and is the device active on it.
import { ApiError } from '../api-error.ts';
import type { DeviceRow, LicenseRow, ProductRow, SandboxDb } from '../db.ts';
import type { IdentityRequest } from '../validation.ts';

export interface ResolvedLicense { product: ProductRow; license: LicenseRow; keyOrUsername: string }

/** Product → license (by key or user) → blacklist → enabled → active; throws the documented code. */
export function resolveLicense(db: SandboxDb, request: IdentityRequest): ResolvedLicense {
  const product = db.findProduct(request.product);
  if (!product) throw new ApiError('unknown_product', `product "${request.product}"`);
  let license: LicenseRow | undefined;
  let keyOrUsername: string;
  if (product.authorizationMethod === 'license-key') {
    if (request.license_key === undefined) throw new ApiError('missing_parameters', 'license_key is required for a key-based product');
    keyOrUsername = request.license_key;
    license = db.findLicenseByKey(product.id, request.license_key);
  } else {
    if (request.username === undefined) throw new ApiError('missing_parameters', 'username is required for a user-based product');
    keyOrUsername = request.username;
    license = db.findLicenseByUsername(product.id, request.username);
  }
  if (!license) throw new ApiError('license_not_found');
  if (request.license_id !== undefined && request.license_id !== license.id) throw new ApiError('license_not_found', 'license_id does not match');
  if (db.isBlacklisted(product.id, request.hardware_id)) throw new ApiError('blacklisted');
  if (!license.enabled) throw new ApiError('license_not_enabled');
  if (!license.active) throw new ApiError('license_not_active');
  return { product, license, keyOrUsername };
}

/** The device must exist and be active on that license, else `device_not_found`. */
export function requireActiveDevice(db: SandboxDb, license: LicenseRow, hardwareId: string): DeviceRow {
  const device = db.findDevice(license.id, hardwareId);
  if (!device || !device.active) throw new ApiError('device_not_found');
  return device;
}

/** Write endpoints refuse read-only API keys. */
export function requireWriteAccess(readOnly: boolean): void {
  if (readOnly) throw new ApiError('read_only_api_key');
}
