// The credentials and demo licenses a fresh sandbox starts with. Created once
// per database (kept in its meta table), so a file database restarts with the
// same keys, licenses and devices.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SandboxDb } from './db.ts';

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
    db.addApiKey({ apiKey: access.apiKey, sharedKey: access.sharedKey, revoked: false, readOnly: false });
    db.addOAuthClient(access.clientId, access.clientSecret);
    db.setMeta('access', JSON.stringify(access));
  });
  return access;
}

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
    db.addLicense({ productId: keyProduct.id, licenseKey: demo.licenseKey, username: null, password: null, maxActivations: DEMO_MAX_ACTIVATIONS, enabled: true, active: true });
    const userProduct = db.addProduct(demo.userProduct, 'Demo Product (license user)', 'user');
    db.addLicense({ productId: userProduct.id, licenseKey: null, username: demo.username, password: demo.password, maxActivations: DEMO_MAX_ACTIVATIONS, enabled: true, active: true });
    db.setMeta('demo', JSON.stringify(demo));
  });
  return demo;
}
