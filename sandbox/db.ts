// The sandbox's data: products, licenses, devices, variables, API keys, OAuth
// clients/tokens and a small key/value table (key pair, demo credentials).
// node:sqlite (DatabaseSync) on a file or ':memory:'; every query lives here.
import { DatabaseSync } from 'node:sqlite';
import { ADDED_COLUMNS, SCHEMA, bool, device, jsonOr, license, num, product, str, variable, type ApiKeyRow, type AuthorizationMethod, type DeviceRow, type LicenseRow, type ProductRow, type ProductStatus, type VariableRow } from './db-rows.ts';

export type { ApiKeyRow, AuthorizationMethod, DeviceRow, LicenseExtras, LicenseRow, ProductRow, ProductStatus, VariableRow } from './db-rows.ts';

export class SandboxDb {
  readonly #db: DatabaseSync;

  constructor(path: string) {
    this.#db = new DatabaseSync(path);
    this.#db.exec('PRAGMA foreign_keys = ON;');
    if (path !== ':memory:') this.#db.exec('PRAGMA journal_mode = WAL;');
    this.#db.exec(SCHEMA);
    for (const [table, column, definition] of ADDED_COLUMNS) {
      const columns = this.#db.prepare(`PRAGMA table_info(${table})`).all().map((c) => str(c.name));
      if (!columns.includes(column)) this.#db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
    }
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  /** Runs fn in one transaction (all or nothing). */
  transaction<T>(fn: () => T): T {
    this.#db.exec('BEGIN');
    try {
      const result = fn();
      this.#db.exec('COMMIT');
      return result;
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  // meta
  getMeta(key: string): string | undefined {
    const row = this.#db.prepare('SELECT value FROM meta WHERE key = ?').get(key);
    return row ? str(row.value) : undefined;
  }
  setMeta(key: string, value: string): void {
    this.#db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  // api keys
  addApiKey(k: ApiKeyRow): void {
    this.#db.prepare('INSERT INTO api_keys (api_key, shared_key, revoked, read_only, products) VALUES (?, ?, ?, ?, ?)')
      .run(k.apiKey, k.sharedKey, k.revoked ? 1 : 0, k.readOnly ? 1 : 0, k.products === null ? null : JSON.stringify(k.products));
  }
  findApiKey(apiKey: string): ApiKeyRow | undefined {
    const r = this.#db.prepare('SELECT * FROM api_keys WHERE api_key = ?').get(apiKey);
    return r ? {
      apiKey: str(r.api_key), sharedKey: str(r.shared_key), revoked: bool(r.revoked), readOnly: bool(r.read_only),
      products: r.products === null || r.products === undefined ? null : jsonOr<string[]>(r.products, []),
    } : undefined;
  }

  // products
  addProduct(code: string, name: string, method: AuthorizationMethod, options: { status?: ProductStatus; hmacRequired?: boolean } = {}): ProductRow {
    const status = options.status ?? 'enabled';
    const hmacRequired = options.hmacRequired ?? false;
    const result = this.#db.prepare('INSERT INTO products (code, name, authorization_method, status, hmac_required) VALUES (?, ?, ?, ?, ?)')
      .run(code, name, method, status, hmacRequired ? 1 : 0);
    return { id: num(result.lastInsertRowid), code, name, authorizationMethod: method, status, hmacRequired };
  }
  setProductState(id: number, state: { status?: ProductStatus; hmacRequired?: boolean }): void {
    if (state.status !== undefined) this.#db.prepare('UPDATE products SET status = ? WHERE id = ?').run(state.status, id);
    if (state.hmacRequired !== undefined) this.#db.prepare('UPDATE products SET hmac_required = ? WHERE id = ?').run(state.hmacRequired ? 1 : 0, id);
  }
  findProduct(code: string): ProductRow | undefined {
    const r = this.#db.prepare('SELECT * FROM products WHERE code = ?').get(code);
    return r ? product(r) : undefined;
  }

  // licenses
  addLicense(l: Omit<LicenseRow, 'id'>): LicenseRow {
    const result = this.#db.prepare(
      'INSERT INTO licenses (product_id, license_key, username, password, max_activations, enabled, active, license_type, is_trial, '
      + 'validity_period, start_date, max_transfers, transfer_count, freed_seats, extras) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(l.productId, l.licenseKey, l.username, l.password, l.maxActivations, l.enabled ? 1 : 0, l.active ? 1 : 0, l.licenseType, l.isTrial ? 1 : 0,
      l.validityPeriod, l.startDate, l.maxTransfers, l.transferCount, l.freedSeats, JSON.stringify(l.extras));
    return { ...l, id: num(result.lastInsertRowid) };
  }
  findLicense(id: number): LicenseRow | undefined {
    const r = this.#db.prepare('SELECT * FROM licenses WHERE id = ?').get(id);
    return r ? license(r) : undefined;
  }
  findLicenseByKey(productId: number, licenseKey: string): LicenseRow | undefined {
    const r = this.#db.prepare('SELECT * FROM licenses WHERE product_id = ? AND license_key = ?').get(productId, licenseKey);
    return r ? license(r) : undefined;
  }
  findLicenseByUsername(productId: number, username: string): LicenseRow | undefined {
    const r = this.#db.prepare('SELECT * FROM licenses WHERE product_id = ? AND username = ?').get(productId, username);
    return r ? license(r) : undefined;
  }
  /** Licenses of any product whose key or username equals the given string. */
  findLicensesByKeyOrUsername(keyOrUsername: string): LicenseRow[] {
    return this.#db.prepare('SELECT * FROM licenses WHERE license_key = ? OR username = ?').all(keyOrUsername, keyOrUsername).map(license);
  }
  setLicenseState(id: number, state: { enabled?: boolean; active?: boolean; validityPeriod?: string | null }): void {
    if (state.enabled !== undefined) this.#db.prepare('UPDATE licenses SET enabled = ? WHERE id = ?').run(state.enabled ? 1 : 0, id);
    if (state.active !== undefined) this.#db.prepare('UPDATE licenses SET active = ? WHERE id = ?').run(state.active ? 1 : 0, id);
    if (state.validityPeriod !== undefined) this.#db.prepare('UPDATE licenses SET validity_period = ? WHERE id = ?').run(state.validityPeriod, id);
  }
  /** A deactivation freed a seat (a different device taking it later is a transfer). */
  freeSeat(licenseId: number): void {
    this.#db.prepare('UPDATE licenses SET freed_seats = freed_seats + 1 WHERE id = ?').run(licenseId);
  }
  /** A device took a seat a deactivation had freed; when it is another device than before, that is one more transfer. */
  takeFreedSeat(licenseId: number, transfer: boolean): void {
    this.#db.prepare('UPDATE licenses SET freed_seats = freed_seats - 1, transfer_count = transfer_count + ? WHERE id = ? AND freed_seats > 0').run(transfer ? 1 : 0, licenseId);
  }

  // devices
  findDevice(licenseId: number, hardwareId: string): DeviceRow | undefined {
    const r = this.#db.prepare('SELECT * FROM devices WHERE license_id = ? AND hardware_id = ?').get(licenseId, hardwareId);
    return r ? device(r) : undefined;
  }
  countActiveDevices(licenseId: number): number {
    const r = this.#db.prepare('SELECT COUNT(*) AS n FROM devices WHERE license_id = ? AND active = 1').get(licenseId);
    return num(r?.n ?? 0);
  }
  /** Creates the device, or re-activates an existing inactive one; `details` are what the activation told about the device. */
  activateDevice(licenseId: number, hardwareId: string, now: number, details: Record<string, string | boolean> = {}): DeviceRow {
    this.#db.prepare(
      'INSERT INTO devices (license_id, hardware_id, active, created_at, details) VALUES (?, ?, 1, ?, ?) '
      + 'ON CONFLICT (license_id, hardware_id) DO UPDATE SET active = 1, details = excluded.details',
    ).run(licenseId, hardwareId, now, JSON.stringify(details));
    return this.findDevice(licenseId, hardwareId)!;
  }
  deactivateDevice(deviceId: number): void {
    this.#db.prepare('UPDATE devices SET active = 0 WHERE id = ?').run(deviceId);
  }
  devicesOfProduct(productId: number, hardwareId: string): DeviceRow[] {
    return this.#db.prepare(
      'SELECT d.* FROM devices d JOIN licenses l ON l.id = d.license_id WHERE l.product_id = ? AND d.hardware_id = ? ORDER BY d.id',
    ).all(productId, hardwareId).map(device);
  }

  // blacklist
  blacklist(productId: number, hardwareId: string): void {
    this.#db.prepare('INSERT OR IGNORE INTO blacklist (product_id, hardware_id) VALUES (?, ?)').run(productId, hardwareId);
  }
  isBlacklisted(productId: number, hardwareId: string): boolean {
    return this.#db.prepare('SELECT 1 FROM blacklist WHERE product_id = ? AND hardware_id = ?').get(productId, hardwareId) !== undefined;
  }

  // variables
  upsertVariable(deviceId: number, name: string, value: string, now: number): void {
    this.#db.prepare(
      'INSERT INTO variables (device_id, name, value, created_at, updated_at) VALUES (?, ?, ?, ?, ?) '
      + 'ON CONFLICT (device_id, name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    ).run(deviceId, name, value, now, now);
  }
  variablesOf(deviceId: number): VariableRow[] {
    return this.#db.prepare('SELECT * FROM variables WHERE device_id = ? ORDER BY name').all(deviceId).map(variable);
  }
  countVariables(deviceId: number): number {
    const r = this.#db.prepare('SELECT COUNT(*) AS n FROM variables WHERE device_id = ?').get(deviceId);
    return num(r?.n ?? 0);
  }

  // oauth
  addOAuthClient(clientId: string, clientSecret: string): void {
    this.#db.prepare('INSERT INTO oauth_clients (client_id, client_secret) VALUES (?, ?)').run(clientId, clientSecret);
  }
  findOAuthClientSecret(clientId: string): string | undefined {
    const r = this.#db.prepare('SELECT client_secret FROM oauth_clients WHERE client_id = ?').get(clientId);
    return r ? str(r.client_secret) : undefined;
  }
  addOAuthToken(token: string, clientId: string, expiresAt: number): void {
    this.#db.prepare('DELETE FROM oauth_tokens WHERE expires_at < ?').run(expiresAt - 24 * 3600_000);
    this.#db.prepare('INSERT INTO oauth_tokens (token, client_id, expires_at) VALUES (?, ?, ?)').run(token, clientId, expiresAt);
  }
  findOAuthToken(token: string): { clientId: string; expiresAt: number } | undefined {
    const r = this.#db.prepare('SELECT client_id, expires_at FROM oauth_tokens WHERE token = ?').get(token);
    return r ? { clientId: str(r.client_id), expiresAt: num(r.expires_at) } : undefined;
  }
}
