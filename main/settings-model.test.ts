import { describe, expect, it } from 'vitest';
import { maskLicenseKey } from '../app/license-key-mask.ts';
import { applySettingsInput, formFieldForConfigKey, lockedFields, readUserSettings, settingsView, userConfigValues } from './settings-model.ts';

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

describe('settings model, field by field', () => {
  it.each([
    [['apiUrl'], ['apiUrl']],
    [['apiKey'], ['authMethod', 'apiKey']],
    [['sharedKey'], ['authMethod', 'sharedKey']],
    [['clientId'], ['authMethod', 'clientId']],
    [['clientSecret'], ['authMethod', 'clientSecret']],
    [['tokenUrl'], ['tokenUrl']],
    [['product', 'licenseKey', 'username'], ['product', 'licenseKey', 'username']],
    [['interval'], ['intervalMinutes']],
    // In the form's order, top to bottom (the managed note names them so).
    [['allow', 'pii', 'autoActivate'], ['autoActivate', 'allow', 'pii']],
    [['deny', 'logLevel', 'stateDir'], []],
    [[], []],
  ])('a managed file setting %j locks %j', (keys, fields) => {
    expect(lockedFields(keys)).toEqual(fields);
  });

  const base = { hasSharedKey: false, hasClientSecret: false, startAtLogin: false };

  it('with nothing set: the defaults', () => {
    expect(settingsView({ user: {}, managed: {}, ...base })).toEqual({
      apiUrl: 'https://api.licensespring.com/api/v4/', authMethod: 'hmac', apiKey: '', clientId: '', tokenUrl: '', product: '',
      licenseKeyMasked: maskLicenseKey(''), username: '', intervalMinutes: 15, allow: [], pii: { hostname: false, username: false, ip: false, mac: false },
      autoActivate: false, startAtLogin: false, hasSharedKey: false, hasClientSecret: false, locked: [],
    });
  });

  it.each([
    ['apiUrl', 'https://mine/api/v4/', 'https://corp/api/v4/', 'apiUrl'],
    ['apiKey', 'mine', 'corp', 'apiKey'],
    ['clientId', 'mine', 'corp', 'clientId'],
    ['tokenUrl', 'https://mine/t', 'https://corp/t', 'tokenUrl'],
    ['product', 'mine', 'corp', 'product'],
    ['username', 'mine', 'corp', 'username'],
  ] as const)('%s: the user\'s value, unless the managed file sets it', (key, mine, corp, shown) => {
    expect(settingsView({ user: { [key]: mine }, managed: {}, ...base })[shown]).toBe(mine);
    expect(settingsView({ user: { [key]: mine }, managed: { [key]: corp }, ...base })[shown]).toBe(corp);
    expect(settingsView({ user: { [key]: mine }, managed: { [key]: 5 }, ...base })[shown]).not.toBe(mine);
  });

  it('the other fields: managed wins, odd types fall back to defaults', () => {
    const user = { interval: 30, allow: ['a'], pii: ['ip' as const], autoActivate: true, licenseKey: 'USER-KEY-1111' };
    expect(settingsView({ user, managed: {}, ...base })).toMatchObject({ intervalMinutes: 30, allow: ['a'], pii: { ip: true, mac: false }, autoActivate: true, licenseKeyMasked: maskLicenseKey('USER-KEY-1111') });
    expect(settingsView({ user, managed: { interval: 60, allow: ['b'], pii: ['mac'], autoActivate: false, licenseKey: 'CORP-KEY-2222' }, ...base }))
      .toMatchObject({ intervalMinutes: 60, allow: ['b'], pii: { ip: false, mac: true }, autoActivate: false, licenseKeyMasked: maskLicenseKey('CORP-KEY-2222') });
    expect(settingsView({ user, managed: { interval: '1h', allow: 'b', pii: 'mac' }, ...base })).toMatchObject({ intervalMinutes: 15, allow: [], pii: { ip: false, mac: false } });
    // The managed file's interval may be any number of minutes (90s is 1.5).
    expect(settingsView({ user, managed: { interval: 1.5 }, ...base }).intervalMinutes).toBe(1.5);
    expect(settingsView({ user: { authMethod: 'magic' as never }, managed: {}, ...base }).authMethod).toBe('hmac');
    const shown = settingsView({ user, managed: {}, ...base });
    shown.allow.push('changed');
    expect(user.allow).toEqual(['a']);
  });

  it.each([
    [{}, undefined, 'hmac'],
    [{}, 'oauth', 'oauth'],
    [{ apiKey: 'k' }, 'oauth', 'hmac'],
    [{ sharedKey: 's' }, 'oauth', 'hmac'],
    [{ clientId: 'c' }, 'hmac', 'oauth'],
    [{ clientSecret: 'x' }, 'hmac', 'oauth'],
    [{ clientId: 'c', apiKey: 'k' }, 'hmac', 'oauth'],
  ] as const)('managed %j with the user\'s %s: the method shown is %s', (managed, mine, shown) => {
    expect(settingsView({ user: mine ? { authMethod: mine } : {}, managed, ...base }).authMethod).toBe(shown);
  });

  it('a secret counts as set when stored, or when the managed file sets it', () => {
    expect(settingsView({ user: {}, managed: {}, ...base, hasSharedKey: true })).toMatchObject({ hasSharedKey: true, hasClientSecret: false });
    expect(settingsView({ user: {}, managed: { sharedKey: 's' }, ...base })).toMatchObject({ hasSharedKey: true, hasClientSecret: false });
    expect(settingsView({ user: {}, managed: { clientSecret: 'x' }, ...base })).toMatchObject({ hasSharedKey: false, hasClientSecret: true });
    expect(settingsView({ user: {}, managed: {}, ...base, startAtLogin: true }).startAtLogin).toBe(true);
  });

  it('applies each field of the form', () => {
    const next = applySettingsInput({ apiKey: 'a', clientId: 'c', tokenUrl: 't', product: 'p', username: 'u', autoActivate: true }, {
      authMethod: 'oauth', apiUrl: 'https://x/api/v4/', apiKey: 'a2', clientId: '', tokenUrl: 'https://t2', product: '', username: 'u2',
      licenseKey: 'NEW-KEY', intervalMinutes: 60, allow: [], pii: { hostname: false, username: true, ip: false, mac: false }, autoActivate: false,
    }, []);
    expect(next).toEqual({ authMethod: 'oauth', apiUrl: 'https://x/api/v4/', apiKey: 'a2', tokenUrl: 'https://t2', username: 'u2', licenseKey: 'NEW-KEY', interval: 60, allow: [], pii: ['username'], autoActivate: false });
    expect(applySettingsInput({ product: 'p' }, {}, [])).toEqual({ product: 'p' });
  });

  it('names every locked field the input touches, the first one it meets', () => {
    const locked = lockedFields(['product', 'apiKey']);
    expect(() => applySettingsInput({}, { product: 'x' }, locked)).toThrow('Product code is set by your administrator (managed configuration) and cannot be changed here');
    expect(() => applySettingsInput({}, { authMethod: 'oauth' }, locked)).toThrow(expect.objectContaining({ field: 'authMethod' }));
    expect(applySettingsInput({}, { username: 'u' }, locked)).toEqual({ username: 'u' });
  });

  it('configuration values: HMAC by default, empty values left out, lists only when they hold something', () => {
    expect(userConfigValues({ apiKey: 'k', clientId: 'c', tokenUrl: 't', apiUrl: '', allow: [], pii: [], autoActivate: false }, { sharedKey: '', clientSecret: 'cs' }))
      .toEqual({ apiKey: 'k', autoActivate: false });
    expect(userConfigValues({ authMethod: 'oauth', tokenUrl: 'https://t', apiUrl: 'https://a', allow: ['x'], pii: ['ip'], username: 'u' }, {}))
      .toEqual({ apiUrl: 'https://a', tokenUrl: 'https://t', username: 'u', allow: ['x'], pii: ['ip'] });
    expect(Object.getPrototypeOf(userConfigValues({}, {}))).toBeNull();
  });

  it.each([
    ['interval', 'intervalMinutes'], ['variables.site', 'variables'], ['allow.3', 'allow'], ['product', 'product'], ['', ''],
  ])('a configuration error on %j points at the form field %j', (key, field) => {
    expect(formFieldForConfigKey(key)).toBe(field);
  });

  it.each([
    [{ interval: 1 }, { interval: 1 }],
    [{ interval: 1440 }, { interval: 1440 }],
    [{ interval: 0 }, {}],
    [{ interval: 1441 }, {}],
    [{ interval: 1.5 }, {}],
    [{ interval: '15' }, {}],
    [{ allow: ['a', 'b'] }, { allow: ['a', 'b'] }],
    [{ allow: ['a', 1] }, {}],
    [{ allow: 'a' }, {}],
    [{ pii: 'ip' }, {}],
    [{ pii: ['mac', 'ip', 'mac'] }, { pii: ['ip', 'mac'] }],
    [{ autoActivate: 'true' }, {}],
    [{ autoActivate: false }, { autoActivate: false }],
    [{ authMethod: 'oauth', apiKey: 'k', clientId: 'c', tokenUrl: 't', product: 'p', licenseKey: 'L', username: 'u' }, { authMethod: 'oauth', apiKey: 'k', clientId: 'c', tokenUrl: 't', product: 'p', licenseKey: 'L', username: 'u' }],
    [{ authMethod: 'hmac' }, { authMethod: 'hmac' }],
    [null, {}],
    [[1], {}],
  ])('a stored %j is read as %j', (raw, settings) => {
    expect(readUserSettings(raw)).toEqual(settings);
  });
});
