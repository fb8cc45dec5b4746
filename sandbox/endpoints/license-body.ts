// The license object activate_license and check_license reply with, including
// the v1 `license_signature`.
import type { DeviceRow, SandboxDb } from '../db.ts';
import { licenseSignatureInput, rsaSign } from '../signing.ts';
import type { KeyPair } from '../signing.ts';
import type { ResolvedLicense } from './identity.ts';

export function licenseBody(db: SandboxDb, keys: KeyPair, resolved: ResolvedLicense, device: DeviceRow): Record<string, unknown> {
  const { product, license, keyOrUsername } = resolved;
  const validityPeriod: string | null = null; // sandbox licenses are perpetual
  return {
    id: license.id,
    license_id: license.id,
    license_key: license.licenseKey,
    user: license.username === null ? null : { email: license.username },
    hardware_id: device.hardwareId,
    device_id: device.id,
    license_type: 'perpetual',
    is_trial: false,
    validity_period: validityPeriod,
    is_expired: false,
    license_active: license.active,
    license_enabled: license.enabled,
    max_activations: license.maxActivations,
    times_activated: db.countActiveDevices(license.id),
    product_details: {
      product_id: product.id,
      product_name: product.name,
      short_code: product.code,
      authorization_method: product.authorizationMethod,
    },
    license_signature: rsaSign(keys.privateKeyPem, licenseSignatureInput(device.hardwareId, keyOrUsername, validityPeriod)),
  };
}
