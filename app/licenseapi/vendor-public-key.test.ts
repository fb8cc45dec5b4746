import { createHash, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { VENDOR_PUBLIC_KEY_PEM, VENDOR_PUBLIC_KEY_SHA256, isVendorProductionApi } from './vendor-public-key.ts';

describe('the vendor\'s response-signing key', () => {
  it('is the RSA 4096 key the official SDK ships (fingerprint recorded from @licensespring/node-sdk 1.4.17 dist/.env.prod)', () => {
    const key = createPublicKey(VENDOR_PUBLIC_KEY_PEM);
    expect(key.asymmetricKeyType).toBe('rsa');
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(4096);
    expect(createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex')).toBe(VENDOR_PUBLIC_KEY_SHA256);
  });

  it('is the default only for the vendor\'s production API', () => {
    expect(isVendorProductionApi('https://api.licensespring.com/api/v4/')).toBe(true);
    expect(isVendorProductionApi('https://api.licensespring.com/api/v4')).toBe(true);
    expect(isVendorProductionApi('https://API.licensespring.com/api/v4/')).toBe(true);
    expect(isVendorProductionApi('http://api.licensespring.com/api/v4/')).toBe(false);
    expect(isVendorProductionApi('https://api.licensespring.com.evil.example/api/v4/')).toBe(false);
    expect(isVendorProductionApi('https://eu.api.example.com/api/v4/')).toBe(false);
    expect(isVendorProductionApi('https://api.licensespring.com:8443/api/v4/')).toBe(false);
    expect(isVendorProductionApi('not a url')).toBe(false);
  });
});
