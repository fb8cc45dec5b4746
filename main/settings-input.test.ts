import { describe, expect, it } from 'vitest';
import { replyErrorFromZod } from '../preload/contract.ts';
import { settingsInputSchema } from './settings-input.ts';

describe('the window\'s save payload, checked field by field from the settings table', () => {
  it('accepts a full, valid settings form', () => {
    const r = settingsInputSchema.safeParse({
      apiUrl: 'https://api.licensespring.com/api/v4/', authMethod: 'oauth', apiKey: '', clientId: 'c', tokenUrl: '',
      product: 'demo', licenseKey: '', username: '', intervalMinutes: 15, allow: ['os_name', 'cpu.model'],
      pii: { hostname: false, username: false, ip: true, mac: false }, autoActivate: true, startAtLogin: true,
    });
    expect(r.success).toBe(true);
  });

  it.each([
    { apiUrl: 'http://127.0.0.1:8080/api/v4/' }, { apiUrl: ' https://a.example/api/v4/ ' }, { tokenUrl: '' }, { tokenUrl: 'https://t.example/token' },
    { product: '' }, { product: 'a.b-c_1' }, { licenseKey: 'K'.repeat(256) }, { intervalMinutes: 1 }, { intervalMinutes: 1440 }, { authMethod: 'hmac' },
  ])('accepts %j', (payload) => {
    expect(settingsInputSchema.safeParse(payload).success).toBe(true);
  });

  it.each([
    [{ pii: { hostname: 'yes', username: false, ip: false, mac: false } }, 'pii.hostname', 'Personal data (Host name): Invalid input: expected boolean, received string'],
    [{ intervalMinutes: 0 }, 'intervalMinutes', 'Sync interval (minutes): must be at least 1 minute'],
    [{ intervalMinutes: 1441 }, 'intervalMinutes', 'Sync interval (minutes): must be at most 1440 minutes (one day)'],
    [{ intervalMinutes: 1.5 }, 'intervalMinutes', 'Sync interval (minutes): must be a whole number of minutes'],
    [{ intervalMinutes: '15' }, 'intervalMinutes', 'Sync interval (minutes): must be a number of minutes'],
    [{ product: 'my product' }, 'product', 'Product code: must be 1–64 letters, digits, _ . or -'],
    [{ apiUrl: '' }, 'apiUrl', 'Server URL: must be an http(s) URL without user name or password'],
    [{ tokenUrl: 'ftp://x/t' }, 'tokenUrl', 'Token URL: must be an http(s) URL without user name or password'],
    [{ apiKey: 'a\u001bb' }, 'apiKey', 'API key: must not contain control characters'],
    [{ allow: ['bad name'] }, 'allow.0', 'Only these variables: must be a variable name (letters, digits, _ . -)'],
    [{ sharedKey: 'never here' }, '', 'Unrecognized key: "sharedKey"'],
    [{ apiUrl: 'not a url' }, 'apiUrl', 'Server URL: must be an http(s) URL without user name or password'],
    [{ apiUrl: 'https://user@a.example/' }, 'apiUrl', 'Server URL: must be an http(s) URL without user name or password'],
    [{ apiUrl: 'https://:pw@a.example/' }, 'apiUrl', 'Server URL: must be an http(s) URL without user name or password'],
    [{ username: 'u'.repeat(257) }, 'username', 'License user: Too big: expected string to have <=256 characters'],
    [{ product: ' has space ' }, 'product', 'Product code: must be 1–64 letters, digits, _ . or -'],
    [{ pii: { hostname: false, username: false, ip: false, mac: false, ssn: true } }, 'pii', 'Personal data: Unrecognized key: "ssn"'],
    [{ authMethod: 'magic' }, 'authMethod', 'Authorization: Invalid option: expected one of "oauth"|"hmac"'],
  ])('refuses %j naming %j', (payload, field, message) => {
    const r = settingsInputSchema.safeParse(payload);
    expect(r.success).toBe(false);
    if (!r.success) expect(replyErrorFromZod(r.error)).toEqual({ field, message });
  });
});
