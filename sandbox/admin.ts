// The sandbox's programmatic admin: change license state, blacklist devices,
// add products/licenses/API keys, read what the server holds, read the request log.
import { randomBytes } from 'node:crypto';
import type { SandboxDb } from './db.ts';
import { randomLicenseKey } from './demo-data.ts';
import type { RequestLog, RequestRecord } from './request-log.ts';

export interface SandboxAdmin {
  setLicenseState(licenseKeyOrUsername: string, state: { enabled?: boolean; active?: boolean }): void;
  blacklist(product: string, hardwareId: string): void;
  addLicense(l: { product: string; licenseKey?: string; username?: string; password?: string; maxActivations?: number; enabled?: boolean; active?: boolean }): { id: number; licenseKey?: string };
  addProduct(p: { code: string; authorizationMethod: 'license-key' | 'user'; name?: string }): void;
  /** Adds an API key (random key/shared key unless given). */
  addApiKey(k?: { apiKey?: string; sharedKey?: string; readOnly?: boolean; revoked?: boolean }): { apiKey: string; sharedKey: string };
  deviceVariables(product: string, hardwareId: string): Record<string, string>;
  requests(): RequestRecord[];
  resetRequestLog(): void;
}

/** Default max activations of a license added without one. */
export const DEFAULT_MAX_ACTIVATIONS = 5;

export function createAdmin(db: SandboxDb, log: RequestLog): SandboxAdmin {
  const productOrThrow = (code: string) => {
    const product = db.findProduct(code);
    if (!product) throw new Error(`sandbox admin: unknown product "${code}"`);
    return product;
  };
  return {
    setLicenseState(keyOrUsername, state) {
      const licenses = db.findLicensesByKeyOrUsername(keyOrUsername);
      if (licenses.length === 0) throw new Error('sandbox admin: no license with that key or username');
      for (const license of licenses) db.setLicenseState(license.id, state);
    },
    blacklist(product, hardwareId) {
      db.blacklist(productOrThrow(product).id, hardwareId);
    },
    addLicense(l) {
      const product = productOrThrow(l.product);
      const common = { productId: product.id, maxActivations: l.maxActivations ?? DEFAULT_MAX_ACTIVATIONS, enabled: l.enabled ?? true, active: l.active ?? true };
      if (product.authorizationMethod === 'license-key') {
        const licenseKey = l.licenseKey ?? randomLicenseKey();
        const row = db.addLicense({ ...common, licenseKey, username: null, password: null });
        return { id: row.id, licenseKey };
      }
      if (!l.username) throw new Error(`sandbox admin: product "${l.product}" is user-based; username is required`);
      return { id: db.addLicense({ ...common, licenseKey: null, username: l.username, password: l.password ?? '' }).id };
    },
    addProduct(p) {
      if (db.findProduct(p.code)) throw new Error(`sandbox admin: product "${p.code}" already exists`);
      db.addProduct(p.code, p.name ?? p.code, p.authorizationMethod);
    },
    addApiKey(k = {}) {
      const apiKey = k.apiKey ?? `sbx-${randomBytes(16).toString('hex')}`;
      const sharedKey = k.sharedKey ?? randomBytes(30).toString('base64url');
      db.addApiKey({ apiKey, sharedKey, readOnly: k.readOnly ?? false, revoked: k.revoked ?? false });
      return { apiKey, sharedKey };
    },
    deviceVariables(product, hardwareId) {
      const rows = db.devicesOfProduct(productOrThrow(product).id, hardwareId)
        .flatMap((device) => db.variablesOf(device.id))
        .sort((a, b) => a.updatedAt - b.updatedAt || a.id - b.id);
      const result: Record<string, string> = {};
      for (const row of rows) Object.defineProperty(result, row.name, { value: row.value, enumerable: true, writable: true, configurable: true });
      return result;
    },
    requests: () => log.list(),
    resetRequestLog: () => log.reset(),
  };
}
