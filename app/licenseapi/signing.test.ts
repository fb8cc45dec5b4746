import { describe, expect, it } from 'vitest';
import { authorizationHeader, parseAuthorization, sign, signaturesEqual, signingString, signedHeaders } from './signing.ts';
import { createHmac } from 'node:crypto';

const VECTOR = {
  sharedKey: 'kw4qSnpSwXzgiv5yxYpZZmFEd9QAeiKTQ6OuyMja',
  date: 'Tue, 07 Jun 2011 20:51:35 GMT',
  signature: 'UDysfR6MndUZReo07Y9r+vErn8vSxrnQ5ulit18iJ/Q=',
  withoutPrefix: 'bBUg5NUAFIV+eZBR/wR/wAWt0s3nNvahY3sw6tuUs+s=',
};

describe('HMAC signing', () => {
  it('reproduces the published test vector byte for byte', () => {
    expect(sign(VECTOR.sharedKey, VECTOR.date)).toBe(VECTOR.signature);
  });

  it('differs when the "date: " prefix is left out (the published negative case)', () => {
    const wrong = createHmac('sha256', VECTOR.sharedKey).update(`licenseSpring\n${VECTOR.date}`).digest('base64');
    expect(wrong).toBe(VECTOR.withoutPrefix);
    expect(sign(VECTOR.sharedKey, VECTOR.date)).not.toBe(wrong);
  });

  it('signs exactly "licenseSpring\\ndate: <date>" with no trailing newline', () => {
    expect(signingString(VECTOR.date)).toBe('licenseSpring\ndate: Tue, 07 Jun 2011 20:51:35 GMT');
  });

  it('formats the Date header as RFC 7231 IMF-fixdate', () => {
    const headers = signedHeaders('key', VECTOR.sharedKey, Date.UTC(2011, 5, 7, 20, 51, 35));
    expect(headers.Date).toBe(VECTOR.date);
    expect(headers.Authorization).toBe(`algorithm="hmac-sha256",headers="date",signature="${VECTOR.signature}",apikey="key"`);
  });
});

describe('parseAuthorization', () => {
  it.each([
    ['compact (official SDKs)', `algorithm="hmac-sha256",headers="date",signature="abc=",apikey="k1"`],
    ['spaced (documentation)', `algorithm="hmac-sha256", headers="date", signature="abc=", apikey="k1"`],
    ['apiKey spelling', `algorithm="hmac-sha256",headers="date",signature="abc=",apiKey="k1"`],
  ])('accepts the %s form', (_name, header) => {
    expect(parseAuthorization(header)).toEqual({ algorithm: 'hmac-sha256', headers: 'date', signature: 'abc=', apiKey: 'k1' });
  });

  it.each([
    ['empty', ''],
    ['bearer', 'Bearer abc'],
    ['missing apikey', 'algorithm="hmac-sha256",headers="date",signature="abc="'],
    ['garbage between fields', 'algorithm="hmac-sha256";headers="date",signature="a",apikey="k"'],
    ['duplicate field', 'algorithm="a",algorithm="b",headers="date",signature="a",apikey="k"'],
  ])('rejects %s', (_name, header) => {
    expect(parseAuthorization(header)).toBeUndefined();
  });

  it('round-trips what authorizationHeader builds', () => {
    expect(parseAuthorization(authorizationHeader('my-key', 'sig/+=')))
      .toEqual({ algorithm: 'hmac-sha256', headers: 'date', signature: 'sig/+=', apiKey: 'my-key' });
  });

  it('compares signatures in constant time and exactly', () => {
    expect(signaturesEqual('abc', 'abc')).toBe(true);
    expect(signaturesEqual('abc', 'abd')).toBe(false);
    expect(signaturesEqual('abc', 'abcd')).toBe(false);
  });
});

describe('parseAuthorization needs every part', () => {
  const full = 'algorithm="hmac-sha256",headers="date",signature="abc=",apikey="k1"';
  it.each([
    ['algorithm="hmac-sha256",headers="date",signature="abc="', 'apikey'],
    ['algorithm="hmac-sha256",headers="date",apikey="k1"', 'signature'],
    ['algorithm="hmac-sha256",signature="abc=",apikey="k1"', 'headers'],
    ['headers="date",signature="abc=",apikey="k1"', 'algorithm'],
  ])('%s (no %s) is not an Authorization the server accepts', (header) => {
    expect(parseAuthorization(header)).toBeUndefined();
  });
  it('and takes all four', () => {
    expect(parseAuthorization(full)).toEqual({ algorithm: 'hmac-sha256', headers: 'date', signature: 'abc=', apiKey: 'k1' });
  });
  it('compares signatures byte for byte, multibyte text included', () => {
    expect(signaturesEqual('é', 'é')).toBe(true);
    expect(signaturesEqual('é', 'e')).toBe(false);
    expect(signaturesEqual('', '')).toBe(true);
  });
});
