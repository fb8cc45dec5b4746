import { describe, expect, it } from 'vitest';
import { applySettingsInput, lockedFields, readUserSettings, settingsView, userConfigValues } from './settings-model.ts';

describe('settings model', () => {
  it('shows user settings with defaults, the license key masked and no secrets', () => {
    const v = settingsView({ user: { product: 'demo', licenseKey: 'AAAA-BBBB-CCCC-DDDD', interval: 30, pii: ['ip'] }, managed: {}, hasSharedKey: false, hasClientSecret: true, startAtLogin: true });
    expect(v).toMatchObject({ product: 'demo', intervalMinutes: 30, authMethod: 'hmac', apiUrl: 'https://api.licensespring.com/api/v4/', hasClientSecret: true, startAtLogin: true, locked: [] });
    expect(v.licenseKeyMasked.endsWith('DDDD')).toBe(true);
    expect(v.licenseKeyMasked).not.toContain('AAAA');
    expect(v.pii).toEqual({ hostname: false, username: false, ip: true, mac: false });
  });

  it('lets the managed configuration win and lock its fields', () => {
    const v = settingsView({
      user: { apiUrl: 'https://mine.example/api/v4/', product: 'mine', authMethod: 'hmac' },
      managed: { apiUrl: 'https://corp.example/api/v4/', clientId: 'corp-client', clientSecret: 'x', interval: 60 },
      hasSharedKey: false, hasClientSecret: false, startAtLogin: false,
    });
    expect(v.apiUrl).toBe('https://corp.example/api/v4/');
    expect(v.product).toBe('mine');
    expect(v.authMethod).toBe('oauth');
    expect(v.hasClientSecret).toBe(true);
    expect(v.intervalMinutes).toBe(60);
    expect(v.locked.sort()).toEqual(['apiUrl', 'authMethod', 'clientId', 'clientSecret', 'intervalMinutes'].sort());
  });

  it('refuses a change to a locked field, naming it', () => {
    expect(() => applySettingsInput({}, { apiUrl: 'https://x.example/' }, lockedFields(['apiUrl']))).toThrow(expect.objectContaining({ field: 'apiUrl' }));
    expect(applySettingsInput({}, { startAtLogin: true, product: 'p' }, lockedFields(['apiUrl']))).toEqual({ product: 'p' });
  });

  it('applies input: empty text clears, empty license key keeps, pii object becomes a list', () => {
    const next = applySettingsInput({ apiKey: 'old', licenseKey: 'KEEP-1234', product: 'p' }, { apiKey: '', licenseKey: '', product: 'q', pii: { hostname: true, username: false, ip: false, mac: true }, intervalMinutes: 5, allow: ['a', 'a', 'b'] }, []);
    expect(next).toEqual({ licenseKey: 'KEEP-1234', product: 'q', pii: ['hostname', 'mac'], interval: 5, allow: ['a', 'b'] });
  });

  it('builds configuration values with the secrets of the chosen auth method only', () => {
    const user = { authMethod: 'oauth' as const, apiKey: 'k', clientId: 'c', product: 'p', licenseKey: 'L', interval: 15 };
    const v = userConfigValues(user, { sharedKey: 'shared', clientSecret: 'cs' });
    expect(v).toEqual({ clientId: 'c', clientSecret: 'cs', product: 'p', licenseKey: 'L', interval: 15 });
    expect(userConfigValues({ ...user, authMethod: 'hmac' }, { sharedKey: 'shared' })).toMatchObject({ apiKey: 'k', sharedKey: 'shared' });
  });

  it('reads a hand-edited store defensively', () => {
    expect(readUserSettings('nonsense')).toEqual({});
    // A hand-edited settings.json cannot give the engine what only the managed file may set.
    const edited = readUserSettings({ product: 'p', variableSources: { gpu: { command: ['/usr/bin/id'] } }, allowCommandSources: true, trayIcon: 'never', notifications: false, dropInSources: ['*'] });
    expect(userConfigValues(edited, {})).toEqual({ product: 'p' });
    expect(readUserSettings({ product: 5, interval: 99999, pii: ['ip', 'ssn'], authMethod: 'magic', apiUrl: 'https://a/' })).toEqual({ pii: ['ip'], apiUrl: 'https://a/' });
  });
});
