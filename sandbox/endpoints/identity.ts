// The domain rules every endpoint shares: which product, may this key or token
// use it, which license, is the device blacklisted, is the license usable, and
// is the device active on it. Each failure is the documented code.
import { ApiError } from '../api-error.ts';
import type { AuthContext } from '../auth.ts';
import type { DeviceRow, LicenseRow, ProductRow, SandboxDb } from '../db.ts';
import type { IdentityRequest } from '../validation.ts';

export interface ResolvedLicense { product: ProductRow; license: LicenseRow; keyOrUsername: string }

export type EndpointKind = 'activation' | 'check' | 'other';

/** True when the license's validity has ended at `now` (ms). */
export function isExpired(license: LicenseRow, now: number): boolean {
  return license.validityPeriod !== null && Date.parse(license.validityPeriod) <= now;
}

/**
 * Product (unknown_product) → may this API key use it (api_key_product_not_allowed) →
 * product state (disabled_product everywhere, archived_product for activations) →
 * HMAC required (hmac_required for an OAuth token) → key or user (license_key_required /
 * missing_parameters) → license (license_not_found, worded for the product's kind) →
 * blacklist → enabled → active. check_license answers 200 for a disabled or inactive
 * license, as the vendor's does (its SDK judges license_enabled/license_active itself).
 */
export function resolveLicense(db: SandboxDb, request: IdentityRequest, auth: AuthContext, kind: EndpointKind): ResolvedLicense {
  const product = db.findProduct(request.product);
  if (!product) throw new ApiError('unknown_product', `product "${request.product}"`);
  if (auth.kind === 'hmac' && auth.products !== null && !auth.products.includes(product.code)) {
    throw new ApiError('api_key_product_not_allowed', `the API key is limited to ${auth.products.join(', ') || 'no product'}`);
  }
  if (product.status === 'disabled') throw new ApiError('disabled_product');
  if (product.status === 'archived' && kind === 'activation') throw new ApiError('archived_product');
  if (product.hmacRequired && auth.kind === 'oauth') throw new ApiError('hmac_required', `product "${product.code}" accepts only HMAC-signed requests`);
  const productKind = product.authorizationMethod;
  let license: LicenseRow | undefined;
  let keyOrUsername: string;
  if (productKind === 'license-key') {
    if (request.license_key === undefined) throw new ApiError('license_key_required', 'the product is key-based');
    keyOrUsername = request.license_key;
    license = db.findLicenseByKey(product.id, request.license_key);
  } else {
    if (request.username === undefined) throw new ApiError('missing_parameters', 'username is required for a user-based product');
    keyOrUsername = request.username;
    license = db.findLicenseByUsername(product.id, request.username);
  }
  if (!license) throw new ApiError('license_not_found', undefined, productKind);
  if (request.license_id !== undefined && request.license_id !== license.id) throw new ApiError('license_not_found', 'license_id does not match', productKind);
  if (db.isBlacklisted(product.id, request.hardware_id)) throw new ApiError('blacklisted');
  if (kind !== 'check') {
    if (!license.enabled) throw new ApiError('license_not_enabled');
    if (!license.active) throw new ApiError('license_not_active');
  }
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
