import { describe, expect, it } from 'vitest';
import { CONFIG_FIELDS, fieldByEnv, fieldByFlag, fieldByKey, NON_CONFIG_ENV, SECRET_KEYS } from './fields.ts';
import { layerFromEnv } from './load.ts';

describe('the configuration fields table', () => {
  it('gives each field its kind (it decides coercion, path resolving, redaction and the --help placeholder)', () => {
    expect(Object.fromEntries(CONFIG_FIELDS.map((f) => [f.key, f.kind]))).toEqual({
      apiUrl: 'url', apiKey: 'string', sharedKey: 'secret', clientId: 'string', clientSecret: 'secret', tokenUrl: 'url',
      product: 'string', licenseKey: 'string', username: 'string', licenseId: 'int', hardwareId: 'string', hardwareIdFile: 'path',
      appVersion: 'string', stateDir: 'path', interval: 'duration', publicKey: 'path', autoActivate: 'bool', caFile: 'path', insecureHttp: 'bool',
      allow: 'list', deny: 'list', pii: 'list', logLevel: 'string',
      // Managed file only (issue 15):
      dropInSources: 'list', userDropInSources: 'list', variableSources: 'object', allowCommandSources: 'bool', trayIcon: 'enum', notifications: 'bool',
    });
  });

  it('the secrets are exactly the shared key and the client secret', () => {
    expect([...SECRET_KEYS].sort()).toEqual(['clientSecret', 'sharedKey']);
  });

  it('finds a field by key, flag or variable, and nothing for a name it does not know', () => {
    expect(fieldByKey('hardwareIdFile')).toMatchObject({ flag: 'hardware-id-file', env: 'DEVICE_AGENT_HARDWARE_ID_FILE' });
    expect(fieldByFlag('hardware-id-file')?.key).toBe('hardwareIdFile');
    expect(fieldByEnv('DEVICE_AGENT_HARDWARE_ID_FILE')?.key).toBe('hardwareIdFile');
    expect(fieldByKey('nope')).toBeUndefined();
    expect(fieldByFlag('nope')).toBeUndefined();
    expect(fieldByEnv('DEVICE_AGENT_NOPE')).toBeUndefined();
  });

  it.each([...NON_CONFIG_ENV])('%s is the agent\'s own variable, not an unknown setting', (name) => {
    expect(() => layerFromEnv({ [name]: 'x' })).not.toThrow();
    expect(name).toMatch(/^DEVICE_AGENT_/);
  });

  it('knows the variables that are not settings', () => {
    expect([...NON_CONFIG_ENV].sort()).toEqual(['DEVICE_AGENT_CONFIG', 'DEVICE_AGENT_MANAGED_CONFIG', 'DEVICE_AGENT_NODE_CACHE', 'DEVICE_AGENT_SANDBOX_ADMIN_TOKEN',
      'DEVICE_AGENT_SCREENSHOTS', 'DEVICE_AGENT_TEST_SHORT_SPLAY_MS', 'DEVICE_AGENT_TEST_UPDATE_MS', 'DEVICE_AGENT_USER_DATA']);
  });
});
