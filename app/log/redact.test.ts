import { describe, expect, it } from 'vitest';
import { redactSecrets, redactText, redactValue, secretList } from './redact.ts';

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

describe('redactSecrets, exactly', () => {
  it.each([
    ['a JSON authorization field, spaced', '{"authorization" : "hmac sig=1", "a": 1}', '{"authorization" : "[redacted]", "a": 1}'],
    ['a JSON authorization field, tight', '{"Authorization":"Bearer t.k.n"}', '{"Authorization":"[redacted]"}'],
    ['a JSON authorization field with an escaped quote', '{"authorization": "a\\"b", "c": 2}', '{"authorization": "[redacted]", "c": 2}'],
    ['an HMAC header line', 'Authorization: algorithm="hmac-sha256",signature="abc="\nnext', 'Authorization: [redacted]\nnext'],
    ['a Bearer header line keeps the scheme', 'authorization:  Bearer eyJ.x.y', 'authorization:  Bearer [redacted]'],
    ['a JSON secret field, spaced, with an escaped quote', '{"sharedKey" : "s\\"k", "product": "demo"}', '{"sharedKey" : "[redacted]", "product": "demo"}'],
    ['a form field, up to the next &', 'client_secret=abc123&grant_type=client_credentials', 'client_secret=[redacted]&grant_type=client_credentials'],
    ['a key=value in a log line, spaced', 'password = hunter22 rest', 'password = [redacted] rest'],
    ['an environment variable', 'DEVICE_AGENT_SHARED_KEY=abcdef', 'DEVICE_AGENT_SHARED_KEY=[redacted]'],
    ['a word that only contains a key name is left', 'mypassword=x', 'mypassword=x'],
  ])('%s', (_what, text, redacted) => {
    expect(redactSecrets(text)).toBe(redacted);
  });

  it('a secret that contains another is removed whole (longest first)', () => {
    expect(redactSecrets('token abcd-efgh here', ['abcd', 'abcd-efgh'])).toBe('token [redacted] here');
  });
});

describe('redactValue', () => {
  it('keeps plain values, drops what JSON cannot hold, bounds depth, and keeps an error\'s code but not its stack', () => {
    const error = Object.assign(new Error('failed with s3cret-value'), { code: 'EACCES' });
    const numbered = Object.assign(new Error('x'), { code: 7 });
    const odd = Object.assign(new Error('y'), { code: { nested: true } });
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 10; i++) deep = { d: deep };
    expect(redactValue({ n: 1, b: false, z: null, big: 10n, u: undefined, f: () => 1, e: error, e2: numbered, e3: odd }, ['s3cret-value'])).toEqual({
      n: 1, b: false, z: null, big: '10', u: undefined, f: undefined,
      e: { name: 'Error', message: 'failed with [redacted]', code: 'EACCES' }, e2: { name: 'Error', message: 'x', code: 7 }, e3: { name: 'Error', message: 'y' },
    });
    expect(JSON.stringify(redactValue(deep, []))).toContain('"[too deep]"');
    expect(JSON.stringify(redactValue(deep, []))).not.toContain('leaf');
  });

  it('redacts a field by its name whatever its value, but not an empty one', () => {
    expect(redactValue({ apiKey: 'k', clientSecret: '', authorization: 'x', Password: 1, tokenUrl: 'https://t' }, [])).toEqual({ apiKey: '[redacted]', clientSecret: '', authorization: '[redacted]', Password: '[redacted]', tokenUrl: '[redacted]' });
  });
});
