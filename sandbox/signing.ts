// The sandbox's RSA key pair and the two response signatures of the notes:
// v2 = header LicenseSignature, Base64(RSA PKCS#1 v1.5 SHA-256) over the exact
// body bytes sent; v1 = `license_signature` in activate/check bodies, the same
// algorithm over lowercase(hardware_id#license_key_or_username#validity_ISO_or_empty).
// The key pair is generated on first start and kept in the database's meta table.
import { createSign, createVerify, generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import type { SandboxDb } from './db.ts';

const generateKeyPairAsync = promisify(generateKeyPair);

export interface KeyPair { publicKeyPem: string; privateKeyPem: string }

/** Loads the stored key pair, or generates one (RSA, `bits` long) and stores it. */
export async function loadOrCreateKeyPair(db: SandboxDb, bits: number): Promise<KeyPair> {
  const publicKeyPem = db.getMeta('public_key_pem');
  const privateKeyPem = db.getMeta('private_key_pem');
  if (publicKeyPem && privateKeyPem) return { publicKeyPem, privateKeyPem };
  const pair = await generateKeyPairAsync('rsa', {
    modulusLength: bits,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  db.transaction(() => {
    db.setMeta('public_key_pem', pair.publicKey);
    db.setMeta('private_key_pem', pair.privateKey);
  });
  return { publicKeyPem: pair.publicKey, privateKeyPem: pair.privateKey };
}

/** Base64 RSA-SHA256 (PKCS#1 v1.5) signature of the given bytes. */
export function rsaSign(privateKeyPem: string, data: string | Buffer): string {
  return createSign('sha256').update(data).sign(privateKeyPem, 'base64');
}

export function rsaVerify(publicKeyPem: string, data: string | Buffer, signature: string): boolean {
  return createVerify('sha256').update(data).verify(publicKeyPem, signature, 'base64');
}

/** The v1 signing input: lowercase(hardware_id#license_key_or_username#validity_period_or_empty). */
export function licenseSignatureInput(hardwareId: string, keyOrUsername: string, validityPeriod: string | null): string {
  return `${hardwareId}#${keyOrUsername}#${validityPeriod ?? ''}`.toLowerCase();
}
