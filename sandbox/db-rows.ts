// The sandbox database's rows as TypeScript sees them, its schema (with the columns added
// since the first version, for a database file from an older sandbox), and the mapping
// from node:sqlite's untyped rows. db.ts holds the queries.
import type { LicenseType } from '../app/licenseapi/license-types.ts';

export type AuthorizationMethod = 'license-key' | 'user';
/** A product is usable, disabled (every endpoint refuses it) or archived (no new activations). */
export type ProductStatus = 'enabled' | 'disabled' | 'archived';

export interface ProductRow {
  id: number; code: string; name: string; authorizationMethod: AuthorizationMethod;
  status: ProductStatus;
  /** Requests for this product must be HMAC-signed (OAuth tokens are refused with hmac_required). */
  hmacRequired: boolean;
}
export interface LicenseRow {
  id: number; productId: number; licenseKey: string | null; username: string | null; password: string | null;
  maxActivations: number; enabled: boolean; active: boolean;
  licenseType: LicenseType;
  isTrial: boolean;
  /** ISO-8601 end of validity (time-limited, subscription, trial); null = never expires. */
  validityPeriod: string | null;
  /** ISO-8601 start of validity; null = valid from issue. */
  startDate: string | null;
  /** -1: transfers prevented; 0: unlimited; n: at most n transfers. */
  maxTransfers: number;
  transferCount: number;
  /** Seats freed by deactivations and not yet taken by another device (a new device taking one is a transfer). */
  freedSeats: number;
  /** The customer, metadata, features, custom fields and license-user profile the replies carry (JSON). */
  extras: LicenseExtras;
}
export interface LicenseExtras {
  customer?: Record<string, unknown> | null;
  metadata?: Record<string, unknown>;
  productFeatures?: Array<Record<string, unknown>>;
  customFields?: Array<{ name: string; data_type: 'number' | 'text' | 'date/time' | null; value: string }>;
  user?: { first_name?: string; last_name?: string; phone_number?: string; is_initial_password?: boolean };
}
export interface DeviceRow { id: number; licenseId: number; hardwareId: string; active: boolean; createdAt: number; details: Record<string, string | boolean> }
export interface VariableRow { id: number; deviceId: number; name: string; value: string; createdAt: number; updatedAt: number }
export interface ApiKeyRow {
  apiKey: string; sharedKey: string; revoked: boolean; readOnly: boolean;
  /** Product codes the key may be used for; null = every product. */
  products: string[] | null;
}

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS api_keys (
  api_key TEXT PRIMARY KEY, shared_key TEXT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0, read_only INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS products (
  id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
  authorization_method TEXT NOT NULL CHECK (authorization_method IN ('license-key', 'user')));
CREATE TABLE IF NOT EXISTS licenses (
  id INTEGER PRIMARY KEY, product_id INTEGER NOT NULL REFERENCES products(id),
  license_key TEXT, username TEXT, password TEXT,
  max_activations INTEGER NOT NULL, enabled INTEGER NOT NULL, active INTEGER NOT NULL,
  UNIQUE (product_id, license_key), UNIQUE (product_id, username));
CREATE TABLE IF NOT EXISTS devices (
  id INTEGER PRIMARY KEY, license_id INTEGER NOT NULL REFERENCES licenses(id),
  hardware_id TEXT NOT NULL, active INTEGER NOT NULL, created_at INTEGER NOT NULL,
  UNIQUE (license_id, hardware_id));
CREATE TABLE IF NOT EXISTS blacklist (
  product_id INTEGER NOT NULL REFERENCES products(id), hardware_id TEXT NOT NULL,
  PRIMARY KEY (product_id, hardware_id));
CREATE TABLE IF NOT EXISTS variables (
  id INTEGER PRIMARY KEY, device_id INTEGER NOT NULL REFERENCES devices(id),
  name TEXT NOT NULL, value TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  UNIQUE (device_id, name));
CREATE TABLE IF NOT EXISTS oauth_clients (client_id TEXT PRIMARY KEY, client_secret TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS oauth_tokens (
  token TEXT PRIMARY KEY, client_id TEXT NOT NULL REFERENCES oauth_clients(client_id), expires_at INTEGER NOT NULL);
`;

/** Columns added after the first release; a database file made by an older sandbox gets them on open. */
export const ADDED_COLUMNS: ReadonlyArray<[table: string, column: string, definition: string]> = [
  ['products', 'status', "TEXT NOT NULL DEFAULT 'enabled'"],
  ['products', 'hmac_required', 'INTEGER NOT NULL DEFAULT 0'],
  ['licenses', 'license_type', "TEXT NOT NULL DEFAULT 'perpetual'"],
  ['licenses', 'is_trial', 'INTEGER NOT NULL DEFAULT 0'],
  ['licenses', 'validity_period', 'TEXT'],
  ['licenses', 'start_date', 'TEXT'],
  ['licenses', 'max_transfers', 'INTEGER NOT NULL DEFAULT 0'],
  ['licenses', 'transfer_count', 'INTEGER NOT NULL DEFAULT 0'],
  ['licenses', 'freed_seats', 'INTEGER NOT NULL DEFAULT 0'],
  ['licenses', 'extras', "TEXT NOT NULL DEFAULT '{}'"],
  ['devices', 'details', "TEXT NOT NULL DEFAULT '{}'"],
  ['api_keys', 'products', 'TEXT'],
];

export type Row = Record<string, unknown>;
export const num = (v: unknown): number => Number(v);
export const str = (v: unknown): string => String(v);
export const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
export const bool = (v: unknown): boolean => Number(v) !== 0;

export function jsonOr<T>(v: unknown, fallback: T): T {
  if (typeof v !== 'string') return fallback;
  try {
    return JSON.parse(v) as T;
  } catch {
    return fallback;
  }
}

export function product(r: Row): ProductRow {
  return {
    id: num(r.id), code: str(r.code), name: str(r.name), authorizationMethod: str(r.authorization_method) as AuthorizationMethod,
    status: str(r.status ?? 'enabled') as ProductStatus, hmacRequired: bool(r.hmac_required ?? 0),
  };
}
export function license(r: Row): LicenseRow {
  return {
    id: num(r.id), productId: num(r.product_id), licenseKey: strOrNull(r.license_key), username: strOrNull(r.username),
    password: strOrNull(r.password), maxActivations: num(r.max_activations), enabled: bool(r.enabled), active: bool(r.active),
    licenseType: str(r.license_type ?? 'perpetual') as LicenseType, isTrial: bool(r.is_trial ?? 0),
    validityPeriod: strOrNull(r.validity_period), startDate: strOrNull(r.start_date),
    maxTransfers: num(r.max_transfers ?? 0), transferCount: num(r.transfer_count ?? 0), freedSeats: num(r.freed_seats ?? 0),
    extras: jsonOr<LicenseExtras>(r.extras, {}),
  };
}
export function device(r: Row): DeviceRow {
  return {
    id: num(r.id), licenseId: num(r.license_id), hardwareId: str(r.hardware_id), active: bool(r.active), createdAt: num(r.created_at),
    details: jsonOr<Record<string, string | boolean>>(r.details, {}),
  };
}
export function variable(r: Row): VariableRow {
  return { id: num(r.id), deviceId: num(r.device_id), name: str(r.name), value: str(r.value), createdAt: num(r.created_at), updatedAt: num(r.updated_at) };
}

