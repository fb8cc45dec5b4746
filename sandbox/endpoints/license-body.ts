// The license objects activate_license and check_license reply with: every field
// the vendor's documentation and its SDK's response types declare, in one fixed
// order (clients verify the LicenseSignature over JSON.stringify of the parsed
// body, so the sandbox must emit compact JSON in a stable order), typed as the
// vendor types them, with the v1 `license_signature`. Fields for features the
// sandbox does not model (floating, borrowing, maintenance, consumption, air gap)
// carry their "off" values.
import type { DeviceRow, LicenseRow, ProductRow, SandboxDb } from '../db.ts';
import { licenseSignatureInput, rsaSign } from '../signing.ts';
import type { KeyPair } from '../signing.ts';
import { isExpired } from './identity.ts';
import type { ResolvedLicense } from './identity.ts';

/** The sandbox is one company. */
export const COMPANY = { id: 1 } as const;

function productDetails(product: ProductRow): Record<string, unknown> {
  return {
    product_id: product.id,
    product_name: product.name,
    short_code: product.code,
    allow_trial: false,
    trial_days: 0,
    authorization_method: product.authorizationMethod,
    allow_overages: false,
    max_overages: 0,
    prevent_vm: false,
    validity_period: null,
    floating_timeout: 120,
    company_id: COMPANY.id,
    metadata: {},
  };
}

/** The license user of a user-based license, as the vendor's LicenseUserResponse. */
function licenseUser(db: SandboxDb, license: LicenseRow): Record<string, unknown> {
  const profile = license.extras.user ?? {};
  return {
    id: license.id,
    email: license.username,
    first_name: profile.first_name ?? '',
    last_name: profile.last_name ?? '',
    phone_number: profile.phone_number ?? '',
    is_initial_password: profile.is_initial_password ?? false,
    allow_unlimited_activations: false,
    max_activations: license.maxActivations,
    total_activations: db.countActiveDevices(license.id),
  };
}

/** The fields every license reply shares (the vendor's LicenseResponseBase). */
function licenseBase(db: SandboxDb, resolved: ResolvedLicense, device: DeviceRow, now: number): Record<string, unknown> {
  const { product, license } = resolved;
  const base: Record<string, unknown> = {
    id: license.id,
    allow_grace_period: false,
    allow_overages: false,
    allow_unlimited_activations: false,
    allow_offline_activation: false,
    can_borrow: false,
    custom_fields: license.extras.customFields ?? [],
    customer: license.extras.customer ?? null,
    company: COMPANY,
    device_id: device.id,
    enable_maintenance_period: false,
    floating_timeout: 120,
    floating_users: 0,
    grace_period: 0,
    hardware_id: device.hardwareId,
    is_air_gapped: false,
    is_expired: isExpired(license, now),
    is_floating: false,
    is_floating_cloud: false,
    is_hardware_key_auth: false,
    is_trial: license.isTrial,
    ...(product.authorizationMethod === 'license-key' ? { license_key: license.licenseKey } : {}),
    license_template_id: null,
    license_type: license.licenseType,
    maintenance_period: null,
    max_activations: license.maxActivations,
    max_borrow_time: 0,
    max_overages: 0,
    max_transfers: license.maxTransfers,
    metadata: license.extras.metadata ?? {},
    order_store_id: null,
    prevent_vm: false,
    product_details: productDetails(product),
    product_features: license.extras.productFeatures ?? [],
    start_date: license.startDate,
    times_activated: db.countActiveDevices(license.id),
    transfer_count: license.transferCount,
    trial_days: 0,
    validity_period: license.validityPeriod,
  };
  if (product.authorizationMethod === 'user') {
    base.user = licenseUser(db, license);
    base.username = license.username;
  }
  return base;
}

function signatureV1(keys: KeyPair, resolved: ResolvedLicense, device: DeviceRow): string {
  return rsaSign(keys.privateKeyPem, licenseSignatureInput(device.hardwareId, resolved.keyOrUsername, resolved.license.validityPeriod));
}

/** activate_license's reply (the vendor's ActivateLicenseResponse). */
export function activationBody(db: SandboxDb, keys: KeyPair, resolved: ResolvedLicense, device: DeviceRow, now: number): Record<string, unknown> {
  return {
    ...licenseBase(db, resolved, device, now),
    active: true,
    request: 'activation',
    installation_file: null,
    license_signature: signatureV1(keys, resolved, device),
  };
}

/** check_license's reply (the vendor's CheckLicenseResponse): 200 even for a disabled or inactive license. */
export function checkBody(db: SandboxDb, keys: KeyPair, resolved: ResolvedLicense, device: DeviceRow, now: number): Record<string, unknown> {
  return {
    ...licenseBase(db, resolved, device, now),
    borrowed_until: null,
    is_borrowed: false,
    license_active: resolved.license.active,
    license_enabled: resolved.license.enabled,
    license_signature: signatureV1(keys, resolved, device),
  };
}
