// License API response signature v2: the `LicenseSignature` header is
// Base64(RSA PKCS#1 v1.5 SHA-256) over the compact JSON of the reply body.
// We verify against the exact bytes received first, then against the body
// re-serialised compactly (a server may pretty-print or reorder whitespace).
import { createPublicKey, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export const SIGNATURE_HEADER = 'licensesignature';

/** Loads a PEM public key once; throws a readable error naming the setting. */
export function loadPublicKey(pem: string): KeyObject {
  try {
    return createPublicKey(pem);
  } catch {
    throw new Error('publicKeyPem: not a readable PEM public key');
  }
}

function verifyBytes(key: KeyObject, data: Buffer, signature: Buffer): boolean {
  try {
    return verify('sha256', data, key, signature);
  } catch {
    return false;
  }
}

/** True when `signatureHeader` is a valid v2 signature of `rawBody` under `key`. */
export function verifyResponseSignature(key: KeyObject, rawBody: Buffer, signatureHeader: string | undefined): boolean {
  if (!signatureHeader) return false;
  const text = signatureHeader.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return false;
  const signature = Buffer.from(text, 'base64');
  if (signature.length === 0) return false;
  if (verifyBytes(key, rawBody, signature)) return true;
  let compact: string;
  try {
    compact = JSON.stringify(JSON.parse(rawBody.toString('utf8')));
  } catch {
    return false;
  }
  return compact !== undefined && verifyBytes(key, Buffer.from(compact, 'utf8'), signature);
}
