import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_FIELDS } from './fields.ts';
import { ConfigError, checkReady, defaultStateDir, layerFromEnv, layerFromFile, layerFromFlags, resolveConfig } from './load.ts';
import { managedConfigPath, loadManagedConfig } from './managed.ts';
import { PRODUCTION_API_URL } from './schema.ts';

function problemsOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

function tempFile(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'da-config-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, content);
  return file;
}

describe('configuration layers', () => {
  it('applies defaults', () => {
    const config = resolveConfig([], { stateDir: '/tmp/x' });
    expect(config.apiUrl).toBe(PRODUCTION_API_URL);
    expect(config.intervalMs).toBe(15 * 60_000);
    expect(config.autoActivate).toBe(false);
    expect(config.pii).toEqual({ hostname: false, username: false, ip: false, mac: false });
    expect(config.stateDir).toBe('/tmp/x');
  });

  it('prefers flags over environment over file', () => {
    const file = tempFile(JSON.stringify({ product: 'from-file', licenseKey: 'FILE', interval: 30, username: undefined }));
    const config = resolveConfig([
      layerFromFlags({ product: 'from-flag' }),
      layerFromEnv({ DEVICE_AGENT_PRODUCT: 'from-env', DEVICE_AGENT_LICENSE_KEY: 'ENV' }),
      layerFromFile(file),
    ]);
    expect(config.product).toBe('from-flag');
    expect(config.licenseKey).toBe('ENV');
    expect(config.intervalMs).toBe(30 * 60_000);
  });

  it('coerces text from flags and environment by field kind', () => {
    const config = resolveConfig([layerFromEnv({
      DEVICE_AGENT_LICENSE_ID: '42', DEVICE_AGENT_AUTO_ACTIVATE: 'yes', DEVICE_AGENT_ALLOW: 'os_arch, cpu_cores,,',
      DEVICE_AGENT_PII: 'hostname,mac', DEVICE_AGENT_INTERVAL: '90s',
    })]);
    expect(config.licenseId).toBe(42);
    expect(config.autoActivate).toBe(true);
    expect(config.allow).toEqual(['os_arch', 'cpu_cores']);
    expect(config.pii).toEqual({ hostname: true, username: false, ip: false, mac: true });
    expect(config.intervalMs).toBe(90_000);
  });

  it('resolves relative paths in a config file against its folder', () => {
    const file = tempFile(JSON.stringify({ publicKey: 'keys/api.pem' }));
    expect(resolveConfig([layerFromFile(file)]).publicKey).toBe(join(file, '..', 'keys', 'api.pem'));
  });

  it('reads custom variables from --var name=value', () => {
    const config = resolveConfig([layerFromFlags({ var: ['site=Berlin', 'floor=3'] })]);
    expect(config.variables).toEqual({ site: 'Berlin', floor: '3' });
  });

  it('has one flag and one environment variable per field', () => {
    const flags = new Set(CONFIG_FIELDS.map((f) => f.flag));
    const envs = new Set(CONFIG_FIELDS.map((f) => f.env));
    expect(flags.size).toBe(CONFIG_FIELDS.length);
    expect(envs.size).toBe(CONFIG_FIELDS.length);
    expect(CONFIG_FIELDS.find((f) => f.key === 'apiUrl')).toMatchObject({ flag: 'api-url', env: 'DEVICE_AGENT_API_URL' });
  });
});

describe('configuration errors name the field and its source', () => {
  it.each([
    [{ DEVICE_AGENT_INTERVAL: 'often' }, 'interval', 'DEVICE_AGENT_INTERVAL'],
    [{ DEVICE_AGENT_INTERVAL: '1s' }, 'interval', 'DEVICE_AGENT_INTERVAL'],
    [{ DEVICE_AGENT_LICENSE_ID: '-3' }, 'licenseId', 'DEVICE_AGENT_LICENSE_ID'],
    [{ DEVICE_AGENT_AUTO_ACTIVATE: 'maybe' }, 'autoActivate', 'DEVICE_AGENT_AUTO_ACTIVATE'],
    [{ DEVICE_AGENT_API_URL: 'https://user:pw@example.com/api/v4/' }, 'apiUrl', 'DEVICE_AGENT_API_URL'],
    [{ DEVICE_AGENT_API_URL: 'ftp://example.com/' }, 'apiUrl', 'DEVICE_AGENT_API_URL'],
    [{ DEVICE_AGENT_API_URL: 'not a url' }, 'apiUrl', 'DEVICE_AGENT_API_URL'],
    [{ DEVICE_AGENT_PII: 'hostname,ssn' }, 'pii.1', 'DEVICE_AGENT_PII'],
    [{ DEVICE_AGENT_PRODUCT: '   ' }, 'product', 'DEVICE_AGENT_PRODUCT'],
    [{ DEVICE_AGENT_ALLOW: 'ok,bad name' }, 'allow.1', 'DEVICE_AGENT_ALLOW'],
    [{ DEVICE_AGENT_LOG_LEVEL: 'loud' }, 'logLevel', 'DEVICE_AGENT_LOG_LEVEL'],
    [{ DEVICE_AGENT_BOGUS: '1' }, 'DEVICE_AGENT_BOGUS', 'environment'],
  ])('%j', (env, field, source) => {
    const problems = problemsOf(() => resolveConfig([layerFromEnv(env)]));
    expect(problems[0]).toMatchObject({ field, source });
    expect(problems[0]!.message.length).toBeGreaterThan(5);
  });

  it('accepts the variables that are not settings (the desktop app\'s user data, headless screenshots, the managed file…)', () => {
    const env = { DEVICE_AGENT_USER_DATA: '/tmp/ud', DEVICE_AGENT_SCREENSHOTS: '/tmp/shots', DEVICE_AGENT_MANAGED_CONFIG: '/tmp/m.json', DEVICE_AGENT_TEST_SHORT_SPLAY_MS: '3000', DEVICE_AGENT_PRODUCT: 'p' };
    expect(resolveConfig([layerFromEnv(env)]).product).toBe('p');
  });

  it.each([
    ['not json', '{ product: ', 'config', /not valid JSON/],
    ['an array', '[1,2]', 'config', /JSON object/],
    ['an unknown key', '{"prodcut":"x"}', 'prodcut', /not a known setting/],
    ['a number where text goes', '{"product": 5}', 'product', /must be text/],
    ['a bad custom variable value', '{"variables": {"site": {"x": 1}}}', 'variables.site', /./],
    ['a bad custom variable name', '{"variables": {"bad name": 1}}', 'variables.bad name', /names must be/],
    ['a prototype key', '{"__proto__": {"polluted": true}}', '__proto__', /reserved/],
    ['a prototype variable name', '{"variables": {"__proto__": "x"}}', 'variables.__proto__', /reserved/],
  ])('file with %s', (_name, content, field, message) => {
    const file = tempFile(content);
    const problems = problemsOf(() => resolveConfig([layerFromFile(file)]));
    expect(problems[0]!.field).toBe(field);
    expect(problems[0]!.message).toMatch(message);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('says when the file is missing', () => {
    expect(problemsOf(() => layerFromFile('/nonexistent/device-agent.json'))[0]).toMatchObject({ field: 'config', message: 'file not found' });
  });
});

describe('readiness', () => {
  it('is ready with HMAC credentials, product and license key', () => {
    const result = checkReady(resolveConfig([layerFromFlags({ 'api-key': 'k', 'shared-key': 's', product: 'p', 'license-key': 'L' })]));
    expect(result).toEqual({ ready: true, auth: { kind: 'hmac', apiKey: 'k', sharedKey: 's' } });
  });

  it('is ready with OAuth client credentials and a username', () => {
    const result = checkReady(resolveConfig([layerFromFlags({ 'client-id': 'c', 'client-secret': 's', product: 'p', username: 'u@x' })]));
    expect(result.ready && result.auth.kind).toBe('oauth');
  });

  it('reports what is missing, and whether nothing at all is configured', () => {
    const empty = checkReady(resolveConfig([]));
    expect(empty).toMatchObject({ ready: false, nothingConfigured: true });
    const partial = checkReady(resolveConfig([layerFromFlags({ 'api-key': 'k', product: 'p' })]));
    expect(partial.ready).toBe(false);
    if (!partial.ready) {
      expect(partial.nothingConfigured).toBe(false);
      expect(partial.missing.map((m) => m.field)).toEqual(['sharedKey', 'licenseKey']);
    }
  });
});

describe('platform paths', () => {
  it('puts state and managed config where each OS expects them', () => {
    expect(defaultStateDir('linux', { HOME: '/home/a' })).toBe('/home/a/.local/state/device-agent');
    expect(defaultStateDir('linux', { HOME: '/home/a', XDG_STATE_HOME: '/xdg' })).toBe('/xdg/device-agent');
    expect(defaultStateDir('darwin', { HOME: '/Users/a' })).toBe('/Users/a/Library/Application Support/DeviceAgent');
    expect(managedConfigPath('linux')).toBe('/etc/device-agent/config.json');
    expect(managedConfigPath('darwin')).toBe('/Library/Application Support/DeviceAgent/config.json');
    expect(managedConfigPath('win32', { ProgramData: 'C:\\ProgramData' })).toMatch(/DeviceAgent[\\/]config\.json$/);
  });

  it('reads a managed file and lists the fields it locks', () => {
    const file = tempFile(JSON.stringify({ apiUrl: 'https://licensing.example.com/api/v4/', autoActivate: true }));
    const managed = loadManagedConfig(file);
    expect(managed?.locked).toEqual(['apiUrl', 'autoActivate']);
    expect(loadManagedConfig('/nonexistent/config.json')).toBeUndefined();
  });
});
