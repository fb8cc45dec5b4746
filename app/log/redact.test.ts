import { describe, expect, it } from 'vitest';
import { redactSecrets, redactText, secretList } from './redact.ts';

const SHARED = 'shared-KEY-7f1c9e2d';

describe('redactSecrets', () => {
  it('removes known secret values, Authorization headers and secret-named fields', () => {
    const text = [
      `signing with ${SHARED}`,
      'Authorization: algorithm="hmac-sha256",headers="date",signature="abc=",apikey="k"',
      'authorization: Bearer eyJhbGciOi.payload.sig',
      '{"clientSecret":"inline-secret-1","product":"demo"}',
      'client_secret=form-secret-2&grant_type=client_credentials',
    ].join('\n');
    const out = redactSecrets(text, [SHARED]);
    expect(out).not.toContain(SHARED);
    expect(out).not.toContain('signature="abc="');
    expect(out).not.toContain('eyJhbGciOi');
    expect(out).not.toContain('inline-secret-1');
    expect(out).not.toContain('form-secret-2');
    expect(out).toContain('"product":"demo"');
    expect(out).toContain('grant_type=client_credentials');
  });
});

describe('one minimum length for secret values', () => {
  it('redacts a 4-character secret in log records and in outgoing text alike; a shorter one is not searched for', () => {
    const secrets = secretList(['k3y9', 'abc']);
    expect(secrets).toEqual(['k3y9']);
    expect(redactText('key k3y9 abc', secrets)).toBe('key [redacted] abc');
    expect(redactSecrets('key k3y9 abc', ['k3y9', 'abc'])).toBe('key [redacted] abc');
  });
});
