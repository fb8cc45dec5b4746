import { describe, expect, it } from 'vitest';
import { PRODUCTION_TOKEN_URL } from '../app/config/index.ts';
import { secretBindingFor } from './secret-binding.ts';
import { DEFAULT_API_URL, type UserSettings } from './settings-model.ts';

describe('the servers a secret entered now is for', () => {
  it('the managed file\'s, else the person\'s, else LicenseSpring\'s, by origin', () => {
    const user = { apiUrl: 'https://mine.example/api/v4/', tokenUrl: 'https://auth.mine.example/oauth/token' } as UserSettings;
    expect(secretBindingFor({ apiUrl: 'https://it.example:8443/api/v4/' }, user)).toEqual({ apiUrl: 'https://it.example:8443', tokenUrl: 'https://auth.mine.example' });
    expect(secretBindingFor({ apiUrl: '' }, user).apiUrl).toBe('https://mine.example');
    expect(secretBindingFor({}, {} as UserSettings)).toEqual({ apiUrl: new URL(DEFAULT_API_URL).origin, tokenUrl: new URL(PRODUCTION_TOKEN_URL).origin });
  });
  it('keeps a value that is not a URL as it is (it then matches nothing else)', () => {
    expect(secretBindingFor({ apiUrl: 'not a url' }, {} as UserSettings).apiUrl).toBe('not a url');
  });
});
