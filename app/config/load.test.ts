import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_FIELDS } from './fields.ts';
import { ConfigError, checkReady, defaultStateDir, layerFromEnv, layerFromFile, layerFromFlags, resolveConfig, writableByEveryone } from './load.ts';
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

describe('text from flags and the environment, by field kind', () => {
  it.each([
    ['1', true], ['true', true], ['yes', true], ['on', true], ['TRUE', true], [' Yes ', true], ['On', true],
    ['0', false], ['false', false], ['no', false], ['off', false], ['', false], ['FALSE', false], [' Off ', false],
  ])('DEVICE_AGENT_AUTO_ACTIVATE=%j is %s, and wins over the file either way', (text, value) => {
    const file = tempFile(JSON.stringify({ autoActivate: !value }));
    const config = resolveConfig([layerFromEnv({ DEVICE_AGENT_AUTO_ACTIVATE: text }), layerFromFile(file)]);
    expect(config.autoActivate).toBe(value);
    expect(resolveConfig([layerFromFlags({ 'auto-activate': text }), layerFromFile(file)]).autoActivate).toBe(value);
  });

  it.each(['maybe', '2', 'truee', 'y', 'n'])('DEVICE_AGENT_AUTO_ACTIVATE=%j is refused, naming the variable', (text) => {
    expect(problemsOf(() => layerFromEnv({ DEVICE_AGENT_AUTO_ACTIVATE: text }))).toEqual([{ field: 'autoActivate', source: 'DEVICE_AGENT_AUTO_ACTIVATE', message: 'must be true or false' }]);
  });

  it('a boolean flag (--auto-activate, --no-auto-activate) is taken as it is and wins over the environment', () => {
    expect(resolveConfig([layerFromFlags({ 'auto-activate': false }), layerFromEnv({ DEVICE_AGENT_AUTO_ACTIVATE: 'true' })]).autoActivate).toBe(false);
    expect(resolveConfig([layerFromFlags({ 'auto-activate': true }), layerFromEnv({ DEVICE_AGENT_AUTO_ACTIVATE: 'false' })]).autoActivate).toBe(true);
    expect(layerFromFlags({ 'auto-activate': false })).toMatchObject({ values: { autoActivate: false }, origin: { autoActivate: '--auto-activate' } });
  });

  it.each([
    ['42', 42], [' 7 ', 7], ['0', 0],
  ])('a whole number from text: %j is %i', (text, value) => {
    expect(layerFromEnv({ DEVICE_AGENT_LICENSE_ID: text }).values.licenseId).toBe(value);
  });

  it.each(['4.2', '', 'x1', '1e3', '0x10', '1 2'])('%j is not a whole number', (text) => {
    expect(problemsOf(() => layerFromFlags({ 'license-id': text }))).toEqual([{ field: 'licenseId', source: '--license-id', message: 'must be a whole number' }]);
  });

  it('a list from text drops empty items; from repeated flags it joins them', () => {
    expect(layerFromEnv({ DEVICE_AGENT_DENY: ' a , b,,c ,' }).values.deny).toEqual(['a', 'b', 'c']);
    expect(layerFromFlags({ deny: ['a,b', 'c'] }).values.deny).toEqual(['a', 'b', 'c']);
    expect(layerFromEnv({ DEVICE_AGENT_DENY: ' , ' }).values.deny).toEqual([]);
  });

  it('collects every bad variable in one error; ignores the agent\'s non-setting variables and unset ones', () => {
    const problems = problemsOf(() => layerFromEnv({ DEVICE_AGENT_AUTO_ACTIVATE: 'maybe', DEVICE_AGENT_LICENSE_ID: 'x', DEVICE_AGENT_PRODUKT: 'p' }));
    expect(problems.map((p) => p.field)).toEqual(['autoActivate', 'licenseId', 'DEVICE_AGENT_PRODUKT']);
    expect(problems[2]!.message).toMatch(/^is not a known setting \(did you mean DEVICE_AGENT_PRODUCT\?\)/);
    const layer = layerFromEnv({ DEVICE_AGENT_CONFIG: '/x', DEVICE_AGENT_NODE_CACHE: '/y', DEVICE_AGENT_PRODUCT: undefined, OTHER: '1', PRODUCT: 'p' });
    expect(Object.keys(layer.values)).toEqual([]);
  });
});

describe('--var name=value', () => {
  it.each([
    [['novalue'], 'variables', '"novalue" must be name=value'],
    [['=x'], 'variables', '"=x" must be name=value'],
    [['__proto__=x'], 'variables.__proto__', 'is a reserved name and cannot be used'],
    [['constructor=x'], 'variables.constructor', 'is a reserved name and cannot be used'],
  ])('%j is refused, naming --var', (vars, field, message) => {
    expect(problemsOf(() => layerFromFlags({ var: vars }))).toEqual([{ field, source: '--var', message }]);
  });

  it('keeps everything after the first = as the value, takes one --var as well as several, and reports every bad one', () => {
    expect(layerFromFlags({ var: ['a=b=c', 'empty=', 'x=1'] }).values.variables).toEqual({ a: 'b=c', empty: '', x: '1' });
    expect(layerFromFlags({ var: 'one=1' })).toMatchObject({ values: { variables: { one: '1' } }, origin: { variables: '--var' } });
    expect(problemsOf(() => layerFromFlags({ var: ['bad', 'ok=1', '=also'] })).map((p) => p.message)).toEqual(['"bad" must be name=value', '"=also" must be name=value']);
    expect(Object.getPrototypeOf(layerFromFlags({ var: ['a=1'] }).values.variables)).toBeNull();
  });
});

describe('the configuration file cannot be read', () => {
  it.each([
    ['a directory', () => mkdtempSync(join(tmpdir(), 'da-config-dir-')), /^is a directory/],
    ['missing', () => join(tmpdir(), 'da-no-such-dir', 'config.json'), /^file not found$/],
    ['too large', () => tempFile(`{"product":"${'x'.repeat(1024 * 1024)}"}`), /^is larger than 1 MiB/],
    ['empty', () => tempFile(''), /^is empty$/],
    ['only whitespace', () => tempFile(' \n\t '), /^is empty$/],
    ['null', () => tempFile('null'), /^must be a JSON object of settings$/],
    ['a number', () => tempFile('5'), /^must be a JSON object of settings$/],
    ['a string', () => tempFile('"product"'), /^must be a JSON object of settings$/],
  ])('%s: a configuration error naming the file, never its content', (_what, make, message) => {
    const path = make();
    const problems = problemsOf(() => layerFromFile(path, 'the test file'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ field: 'config', source: 'the test file' });
    expect(problems[0]!.message).toMatch(message);
    expect(problems[0]!.message).not.toContain('xxxx');
  });

  it('a file every user may write: refused (managed) or warned about (user), never for a sticky folder like /tmp', () => {
    const file = tempFile('{"product":"p"}');
    chmodSync(file, 0o666);
    expect(problemsOf(() => layerFromFile(file, 'managed', { worldWritable: 'refuse' }))[0]!.message).toMatch(/is writable by every user, so anyone on this machine could redirect the agent/);
    expect(layerFromFile(file, 'user', { worldWritable: 'warn' }).warnings).toEqual([expect.stringMatching(/is writable by every user: anyone on this machine could change/)]);
    expect(layerFromFile(file, 'plain').warnings).toBeUndefined();
    chmodSync(file, 0o644);
    expect(layerFromFile(file, 'user', { worldWritable: 'warn' }).warnings).toBeUndefined();
    const openFolder = mkdtempSync(join(tmpdir(), 'da-open-'));
    chmodSync(openFolder, 0o777);
    const inOpen = join(openFolder, 'config.json');
    writeFileSync(inOpen, '{}');
    expect(writableByEveryone(inOpen)).toBe(`the folder of ${inOpen} is writable by every user`);
    chmodSync(openFolder, 0o1777);
    expect(writableByEveryone(inOpen)).toBeUndefined();
    expect(writableByEveryone(join(openFolder, 'missing.json'))).toBeUndefined();
  });

  it('resolves only non-empty text paths against the file\'s folder', () => {
    const file = tempFile(JSON.stringify({ caFile: '', hardwareIdFile: '/abs/hw', stateDir: 'state', product: 'rel/not/a/path' }));
    const layer = layerFromFile(file);
    expect(layer.values).toMatchObject({ caFile: '', hardwareIdFile: '/abs/hw', stateDir: join(file, '..', 'state'), product: 'rel/not/a/path' });
  });

  it('finds a reserved key anywhere in the file, not only at the top', () => {
    const file = tempFile('{"variables": {"ok": 1}, "pii": [], "deep": {"a": {"prototype": 1}}}');
    expect(problemsOf(() => layerFromFile(file, 'f'))).toEqual([{ field: 'deep.a.prototype', source: 'f', message: 'is a reserved name and cannot be used' }]);
  });
});

describe('readiness, one row per missing piece', () => {
  const HMAC = { 'api-key': 'k', 'shared-key': 's' };
  const OAUTH = { 'client-id': 'c', 'client-secret': 'x' };
  const WHAT = { product: 'p', 'license-key': 'L' };
  it.each([
    ['HMAC without a product', { ...HMAC, 'license-key': 'L' }, [['product', 'is required (the product short code)']]],
    ['OAuth without a product', { ...OAUTH, username: 'u' }, [['product', 'is required (the product short code)']]],
    ['no license key or user', { ...HMAC, product: 'p' }, [['licenseKey', 'a license key (or username for user-based products) is required']]],
    ['both a license key and a user', { ...HMAC, ...WHAT, username: 'u' }, [['username', 'give either licenseKey or username, not both']]],
    ['only an API key', { 'api-key': 'k', ...WHAT }, [['sharedKey', 'is required with apiKey']]],
    ['only a shared key', { 'shared-key': 's', ...WHAT }, [['apiKey', 'is required with sharedKey']]],
    ['OAuth with only a client id', { 'client-id': 'c', ...WHAT }, [['clientSecret', 'is required with clientId']]],
    ['OAuth with only a client secret', { 'client-secret': 'x', ...WHAT }, [['clientId', 'is required with clientSecret']]],
    ['no credentials', { ...WHAT }, [['apiKey', 'credentials are required: apiKey + sharedKey, or clientId + clientSecret']]],
    ['a client id and an API key, each without its pair', { 'client-id': 'c', 'api-key': 'k', ...WHAT }, [['sharedKey', 'is required with apiKey']]],
    ['nothing but a user', { username: 'u' }, [['apiKey', 'credentials are required: apiKey + sharedKey, or clientId + clientSecret'], ['product', 'is required (the product short code)']]],
  ])('%s: not ready, naming what is missing', (_name, flags, missing) => {
    const result = checkReady(resolveConfig([layerFromFlags(flags)]));
    expect(result).toEqual({ ready: false, nothingConfigured: false, missing: missing.map(([field, message]) => ({ field, message })) });
  });

  it.each(['api-key', 'shared-key', 'client-id', 'client-secret', 'product', 'license-key', 'username'])('--%s alone is something configured', (flag) => {
    expect(checkReady(resolveConfig([layerFromFlags({ [flag]: 'v' })]))).toMatchObject({ ready: false, nothingConfigured: false });
  });

  it('HMAC wins when both kinds of credentials are complete; OAuth carries its token URL', () => {
    expect(checkReady(resolveConfig([layerFromFlags({ ...HMAC, ...OAUTH, ...WHAT })]))).toEqual({ ready: true, auth: { kind: 'hmac', apiKey: 'k', sharedKey: 's' } });
    const oauth = checkReady(resolveConfig([layerFromFlags({ ...OAUTH, ...WHAT, 'token-url': 'https://auth.example/token' })]));
    expect(oauth).toEqual({ ready: true, auth: { kind: 'oauth', clientId: 'c', clientSecret: 'x', tokenUrl: 'https://auth.example/token' } });
  });
});

describe('more of resolveConfig', () => {
  it('an allowlist entry that matches nothing is a typo, with the closest name', () => {
    const problems = problemsOf(() => resolveConfig([layerFromEnv({ DEVICE_AGENT_ALLOW: 'os_arch,cpu_coers' })]));
    expect(problems).toEqual([{ field: 'allow', source: 'DEVICE_AGENT_ALLOW', message: expect.stringMatching(/^"cpu_coers" matches no known variable \(did you mean cpu_cores\?\)/) }]);
    expect(resolveConfig([layerFromFlags({ allow: 'site', var: ['site=x'] })]).allow).toEqual(['site']);
    expect(resolveConfig([layerFromFlags({ allow: 'cpu_*' })]).allow).toEqual(['cpu_*']);
  });

  it('names the kind expected in words', () => {
    const cases: Array<[unknown, string]> = [[{ product: 5 }, 'must be text'], [{ autoActivate: 'x' }, 'must be true or false'], [{ allow: 'x' }, 'must be a list'], [{ variables: [] }, 'must be an object of name: value'], [{ variables: 'site=x' }, 'must be an object of name: value']];
    for (const [values, message] of cases) {
      expect(problemsOf(() => resolveConfig([{ values: values as Record<string, unknown>, origin: {} }]))[0]).toMatchObject({ message, source: 'default' });
    }
  });

  it('an unknown setting names the layer it came from and the closest known name', () => {
    const problems = problemsOf(() => resolveConfig([{ values: { prodct: 'x' }, origin: { prodct: 'somewhere' } }]));
    expect(problems).toEqual([{ field: 'prodct', source: 'somewhere', message: 'is not a known setting (did you mean product?)' }]);
  });

  it('the state directory: configured, else the caller\'s default, else the OS default', () => {
    expect(resolveConfig([layerFromFlags({ 'state-dir': '/s' })], { stateDir: '/d' }).stateDir).toBe('/s');
    expect(resolveConfig([], { stateDir: '/d' }).stateDir).toBe('/d');
    expect(resolveConfig([]).stateDir).toBe(defaultStateDir());
  });

  it('the Windows state directory: LOCALAPPDATA, else under the profile', () => {
    expect(defaultStateDir('win32', { LOCALAPPDATA: 'L', HOME: 'H' })).toBe(join('L', 'DeviceAgent'));
    expect(defaultStateDir('win32', { USERPROFILE: 'U' })).toBe(join('U', 'AppData', 'Local', 'DeviceAgent'));
    expect(defaultStateDir('linux', { USERPROFILE: 'U' })).toBe(join('U', '.local', 'state', 'device-agent'));
  });
});
