// The sandbox's programmatic admin: change license and product state, blacklist
// devices, add products/licenses/API keys, read what the server holds, read the request log.
import { randomBytes } from 'node:crypto';
import type { LicenseType } from '../app/licenseapi/license-types.ts';
import type { LicenseExtras, LicenseRow, ProductStatus, SandboxDb } from './db.ts';
import { randomLicenseKey } from './demo-data.ts';
import type { RequestLog, RequestRecord } from './request-log.ts';

export interface NewLicense {
  product: string;
  licenseKey?: string;
  username?: string;
  password?: string;
  maxActivations?: number;
  enabled?: boolean;
  active?: boolean;
  /** Default 'perpetual'. */
  licenseType?: LicenseType;
  isTrial?: boolean;
  /** End of validity (ISO-8601 or Date); required for time-limited and subscription licenses and trials. */
  validityPeriod?: string | Date | null;
  startDate?: string | Date | null;
  /** -1: transfers prevented; 0 (default): unlimited; n: at most n transfers. */
  maxTransfers?: number;
  extras?: LicenseExtras;
}

export interface SandboxAdmin {
  setLicenseState(licenseKeyOrUsername: string, state: { enabled?: boolean; active?: boolean; validityPeriod?: string | Date | null }): void;
  setProductState(product: string, state: { status?: ProductStatus; hmacRequired?: boolean }): void;
  blacklist(product: string, hardwareId: string): void;
  addLicense(l: NewLicense): { id: number; licenseKey?: string };
  addProduct(p: { code: string; authorizationMethod: 'license-key' | 'user'; name?: string; status?: ProductStatus; hmacRequired?: boolean }): void;
  /** Adds an API key (random key/shared key unless given); `products` restricts it to those product codes. */
  addApiKey(k?: { apiKey?: string; sharedKey?: string; readOnly?: boolean; revoked?: boolean; products?: string[] }): { apiKey: string; sharedKey: string };
  deviceVariables(product: string, hardwareId: string): Record<string, string>;
  /** What a device's last activation said about it (os_ver, hostname, …), or undefined. */
  deviceDetails(product: string, hardwareId: string): Record<string, string | boolean> | undefined;
  requests(): RequestRecord[];
  resetRequestLog(): void;
}

/** Default max activations of a license added without one. */
export const DEFAULT_MAX_ACTIVATIONS = 5;

function isoOrNull(value: string | Date | null | undefined, field: string): string | null {
  if (value === undefined || value === null) return null;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`sandbox admin: ${field} is not a date`);
  return date.toISOString();
}

/** The license row for `l`, checking the combinations the vendor's license types allow. */
export function licenseFields(l: NewLicense): Omit<LicenseRow, 'id' | 'productId' | 'licenseKey' | 'username' | 'password'> {
  const licenseType = l.licenseType ?? 'perpetual';
  const validityPeriod = isoOrNull(l.validityPeriod, 'validityPeriod');
  if ((licenseType === 'time-limited' || licenseType === 'subscription' || l.isTrial) && validityPeriod === null) {
    throw new Error(`sandbox admin: a ${l.isTrial ? 'trial' : licenseType} license needs validityPeriod (its end date)`);
  }
  if (licenseType === 'perpetual' && !l.isTrial && validityPeriod !== null) throw new Error('sandbox admin: a perpetual license has no validityPeriod');
  const maxTransfers = l.maxTransfers ?? 0;
  if (!Number.isInteger(maxTransfers) || maxTransfers < -1) throw new Error('sandbox admin: maxTransfers must be -1 (prevented), 0 (unlimited) or a positive count');
  return {
    maxActivations: l.maxActivations ?? DEFAULT_MAX_ACTIVATIONS, enabled: l.enabled ?? true, active: l.active ?? true,
    licenseType, isTrial: l.isTrial ?? false, validityPeriod, startDate: isoOrNull(l.startDate, 'startDate'),
    maxTransfers, transferCount: 0, freedSeats: 0, extras: l.extras ?? {},
  };
}

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
      const next: { enabled?: boolean; active?: boolean; validityPeriod?: string | null } = {};
      if (state.enabled !== undefined) next.enabled = state.enabled;
      if (state.active !== undefined) next.active = state.active;
      if (state.validityPeriod !== undefined) next.validityPeriod = isoOrNull(state.validityPeriod, 'validityPeriod');
      if (next.validityPeriod !== undefined) {
        // The same rules as a new license: an end date exactly where the license type has one.
        for (const license of licenses) licenseFields({ product: '', licenseType: license.licenseType, isTrial: license.isTrial, validityPeriod: next.validityPeriod });
      }
      for (const license of licenses) db.setLicenseState(license.id, next);
    },
    setProductState(code, state) {
      db.setProductState(productOrThrow(code).id, state);
    },
    blacklist(product, hardwareId) {
      db.blacklist(productOrThrow(product).id, hardwareId);
    },
    addLicense(l) {
      const product = productOrThrow(l.product);
      const common = { productId: product.id, ...licenseFields(l) };
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
      db.addProduct(p.code, p.name ?? p.code, p.authorizationMethod, { ...(p.status ? { status: p.status } : {}), ...(p.hmacRequired !== undefined ? { hmacRequired: p.hmacRequired } : {}) });
    },
    addApiKey(k = {}) {
      const apiKey = k.apiKey ?? `sbx-${randomBytes(16).toString('hex')}`;
      const sharedKey = k.sharedKey ?? randomBytes(30).toString('base64url');
      db.addApiKey({ apiKey, sharedKey, readOnly: k.readOnly ?? false, revoked: k.revoked ?? false, products: k.products ?? null });
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
    deviceDetails(product, hardwareId) {
      return db.devicesOfProduct(productOrThrow(product).id, hardwareId).at(-1)?.details;
    },
    requests: () => log.list(),
    resetRequestLog: () => log.reset(),
  };
}
