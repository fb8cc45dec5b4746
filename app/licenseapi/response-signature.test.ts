import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadPublicKey, verifyResponseSignature } from './response-signature.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const key = loadPublicKey(publicKey.export({ type: 'spki', format: 'pem' }).toString());
const signCompact = (value: unknown) => sign('sha256', Buffer.from(JSON.stringify(value)), privateKey).toString('base64');

describe('verifyResponseSignature', () => {
  const body = [{ variable: 'a', value: '1', device_id: 1, created_at: 2 }];

  it('verifies the exact bytes received', () => {
    expect(verifyResponseSignature(key, Buffer.from(JSON.stringify(body)), signCompact(body))).toBe(true);
  });

  it('falls back to the compact re-serialisation of a pretty-printed body', () => {
    expect(verifyResponseSignature(key, Buffer.from(JSON.stringify(body, null, 2)), signCompact(body))).toBe(true);
  });

  it('verifies a signature over the exact (pretty-printed) bytes, which the compact form would not match', () => {
    const pretty = Buffer.from(JSON.stringify(body, null, 2));
    const overRaw = sign('sha256', pretty, privateKey).toString('base64');
    expect(verifyResponseSignature(key, pretty, overRaw)).toBe(true);
    expect(verifyResponseSignature(key, Buffer.from(JSON.stringify(body)), overRaw)).toBe(false);
  });

  it('refuses a tampered body, a missing or garbled header', () => {
    const tampered = Buffer.from(JSON.stringify([{ ...body[0], value: '2' }]));
    expect(verifyResponseSignature(key, tampered, signCompact(body))).toBe(false);
    expect(verifyResponseSignature(key, Buffer.from(JSON.stringify(body)), undefined)).toBe(false);
    expect(verifyResponseSignature(key, Buffer.from(JSON.stringify(body)), '')).toBe(false);
    expect(verifyResponseSignature(key, Buffer.from(JSON.stringify(body)), 'not base64!')).toBe(false);
    expect(verifyResponseSignature(key, Buffer.from('not json'), signCompact(body))).toBe(false);
  });

  it('accepts only a standard base64 header (spaces around it aside), though Node\'s decoder would skip the rest', () => {
    const raw = Buffer.from(JSON.stringify(body));
    const good = signCompact(body);
    expect(verifyResponseSignature(key, raw, ` ${good}\t`)).toBe(true);
    for (const garbled of [`${good}!!`, `*${good}`, `${good.slice(0, 40)} ${good.slice(40)}`, `${good.slice(0, 40)}\n${good.slice(40)}`, `${good}===`, `${good.replace(/=+$/, '')}.`]) {
      expect(Buffer.from(garbled, 'base64').equals(Buffer.from(good, 'base64')), garbled).toBe(true);
      expect(verifyResponseSignature(key, raw, garbled), garbled).toBe(false);
    }
    expect(verifyResponseSignature(key, raw, 'A')).toBe(false);
    expect(verifyResponseSignature(key, raw, '   ')).toBe(false);
  });

  it('names the option when the key cannot be read', () => {
    expect(() => loadPublicKey('-----BEGIN PUBLIC KEY-----\nxx\n-----END PUBLIC KEY-----')).toThrow(/publicKeyPem/);
  });
});
