// The credentials and demo licenses a fresh sandbox starts with. Created once
// per database (kept in its meta table), so a file database restarts with the
// same keys, licenses and devices.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { licenseFields } from './admin.ts';
import type { LicenseExtras, SandboxDb } from './db.ts';

/** API access that exists in every sandbox: one HMAC API key and one OAuth client. */
export interface AccessSeed { apiKey: string; sharedKey: string; clientId: string; clientSecret: string }
/** The demo products and licenses (seedDemo). */
export interface DemoSeed { product: string; licenseKey: string; userProduct: string; username: string; password: string }

export const DEMO_MAX_ACTIVATIONS = 100;

const accessSchema = z.object({ apiKey: z.string(), sharedKey: z.string(), clientId: z.string(), clientSecret: z.string() });
const demoSchema = z.object({ product: z.string(), licenseKey: z.string(), userProduct: z.string(), username: z.string(), password: z.string() });

const token = (bytes: number): string => randomBytes(bytes).toString('base64url');
const keyGroup = (): string => randomBytes(3).toString('hex').toUpperCase().slice(0, 4);

/** A license key in the vendor's usual XXXX-XXXX-XXXX-XXXX form. */
export function randomLicenseKey(): string {
  return [keyGroup(), keyGroup(), keyGroup(), keyGroup()].join('-');
}

export function ensureAccess(db: SandboxDb): AccessSeed {
  const stored = db.getMeta('access');
  if (stored) return accessSchema.parse(JSON.parse(stored));
  const access: AccessSeed = {
    apiKey: `sbx-${randomBytes(16).toString('hex')}`,
    sharedKey: token(30),
    clientId: 'device-agent-sandbox',
    clientSecret: token(24),
  };
  db.transaction(() => {
    db.addApiKey({ apiKey: access.apiKey, sharedKey: access.sharedKey, revoked: false, readOnly: false, products: null });
    db.addOAuthClient(access.clientId, access.clientSecret);
    db.setMeta('access', JSON.stringify(access));
  });
  return access;
}

/** What the demo licenses carry besides their entitlements, so a client's customer/metadata/feature getters have something to show. */
export const DEMO_EXTRAS: LicenseExtras = {
  customer: {
    email: 'it@example.com', company_name: 'Example Corp', reference: 'demo-customer', phone: '', first_name: 'Demo', last_name: 'Customer',
    city: '', postcode: '', state: '', country: '', address: '', customer_account: null, metadata: {},
  },
  metadata: { source: 'sandbox' },
  productFeatures: [],
  customFields: [{ name: 'site', data_type: 'text', value: 'sandbox' }],
  user: { first_name: 'Demo', last_name: 'User', phone_number: '', is_initial_password: false },
};

export function ensureDemoData(db: SandboxDb): DemoSeed {
  const stored = db.getMeta('demo');
  if (stored) return demoSchema.parse(JSON.parse(stored));
  const demo: DemoSeed = {
    product: 'demo',
    licenseKey: randomLicenseKey(),
    userProduct: 'demo-user',
    username: 'demo@example.com',
    password: token(12),
  };
  db.transaction(() => {
    const keyProduct = db.addProduct(demo.product, 'Demo Product (license key)', 'license-key');
    const fields = licenseFields({ product: demo.product, maxActivations: DEMO_MAX_ACTIVATIONS, extras: DEMO_EXTRAS });
    db.addLicense({ ...fields, productId: keyProduct.id, licenseKey: demo.licenseKey, username: null, password: null });
    const userProduct = db.addProduct(demo.userProduct, 'Demo Product (license user)', 'user');
    db.addLicense({ ...fields, productId: userProduct.id, licenseKey: null, username: demo.username, password: demo.password });
    db.setMeta('demo', JSON.stringify(demo));
  });
  return demo;
}
