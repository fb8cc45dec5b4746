import { describe, expect, it } from 'vitest';
import { CONFIG_FIELDS } from './fields.ts';
import { isLoopbackHost, isRemotePlainHttp, parseDuration, PRODUCTION_API_URL, PRODUCTION_TOKEN_URL, rawConfigSchema } from './schema.ts';

/** The first problem zod reports for `values`, as [field path, message], or undefined when valid. */
function problem(values: Record<string, unknown>): [string, string] | undefined {
  const result = rawConfigSchema.safeParse(values);
  if (result.success) return undefined;
  const issue = result.error.issues[0]!;
  return [issue.path.map(String).join('.'), issue.message];
}

describe('isLoopbackHost', () => {
  it.each([
    ['localhost', true], ['api.localhost', true], ['127.0.0.1', true], ['127.1.2.3', true], ['127.255.255.255', true], ['[::1]', true],
    ['localhost.example', false], ['mylocalhost', false], ['128.0.0.1', false], ['127.0.0', false], ['127.0.0.1.example', false],
    ['x127.0.0.1', false], ['::1', false], ['10.0.0.1', false], ['example.com', false],
  ])('%s: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});

describe('parseDuration', () => {
  it.each([
    [15, 900_000], [0.5, 30_000], ['15', 900_000], [' 15 ', 900_000], ['90s', 90_000], ['90 S', 90_000], ['15m', 900_000], ['15min', 900_000],
    ['1h', 3_600_000], ['1.5h', 5_400_000], ['2H', 7_200_000], ['0.25m', 15_000], ['10.4s', 10_400],
  ])('%j is %i ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, '', 'often', '15 minutes', '1d', '-5', '1,5h', '.5h', '5.h', 'h'])('%j is not a duration', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });
});

describe('the configuration schema', () => {
  it('fills the defaults', () => {
    expect(rawConfigSchema.parse({})).toEqual({
      apiUrl: PRODUCTION_API_URL, tokenUrl: PRODUCTION_TOKEN_URL, interval: 900_000, autoActivate: false,
      allow: [], deny: [], pii: [], logLevel: 'info', variables: {}, insecureHttp: false,
      dropInSources: ['*'], userDropInSources: ['*'], variableSources: {}, allowCommandSources: false, trayIcon: 'always', notifications: true,
    });
  });

  it.each([
    [{ apiUrl: 'https://licensing.example.com/api/v4/' }, undefined],
    [{ apiUrl: ' https://licensing.example.com/api/v4/ ' }, undefined],
    [{ apiUrl: 'http://127.0.0.1:8080/api/v4/' }, undefined],
    [{ apiUrl: 'http://localhost/api/v4/' }, undefined],
    [{ apiUrl: 'http://[::1]:9/api/v4/' }, undefined],
    // http:// to another machine passes the schema; load.ts refuses it unless insecureHttp (test/bad-input/config.test.ts).
    [{ apiUrl: 'http://licensing.example.com/api/v4/' }, undefined],
    [{ apiUrl: 'ftp://example.com/' }, ['apiUrl', 'must use https:// (or http:// for a local sandbox)']],
    [{ apiUrl: 'example.com/api/v4/' }, ['apiUrl', 'must be an absolute URL such as https://api.licensespring.com/api/v4/']],
    [{ apiUrl: 'https://u:p@example.com/' }, ['apiUrl', 'must not contain a user name or password; put credentials in their own fields']],
    [{ apiUrl: 'https://u@example.com/' }, ['apiUrl', 'must not contain a user name or password; put credentials in their own fields']],
    [{ apiUrl: 'https://example.com/?k=v' }, ['apiUrl', 'must not contain a query string or fragment']],
    [{ apiUrl: 'https://example.com/#x' }, ['apiUrl', 'must not contain a query string or fragment']],
    [{ apiUrl: `https://example.com/${'a'.repeat(2048)}` }, ['apiUrl', 'must be at most 2048 characters']],
    [{ tokenUrl: 'http://auth.example.com/token' }, undefined],
  ])('URL %j: %j', (values, expected) => {
    expect(problem(values)).toEqual(expected);
  });

  it.each([
    [{ product: '  p  ' }, undefined],
    [{ product: '   ' }, ['product', 'must not be empty']],
    [{ product: 'p'.repeat(128) }, undefined],
    [{ product: 'p'.repeat(129) }, ['product', 'must be at most 128 characters']],
    [{ product: 'a\u0007b' }, ['product', 'must not contain control characters']],
    [{ product: 'a\u007fb' }, ['product', 'must not contain control characters']],
    [{ licenseKey: 'k'.repeat(256) }, undefined],
    [{ licenseKey: 'k'.repeat(257) }, ['licenseKey', 'must be at most 256 characters']],
    [{ sharedKey: 's'.repeat(1024) }, undefined],
    [{ sharedKey: 's'.repeat(1025) }, ['sharedKey', 'must be at most 1024 characters']],
    [{ apiKey: 'abc-DEF_123!~' }, undefined],
    [{ apiKey: 'has space' }, ['apiKey', 'must be printable ASCII without spaces, quotes or backslashes']],
    [{ apiKey: 'has"quote' }, ['apiKey', 'must be printable ASCII without spaces, quotes or backslashes']],
    [{ apiKey: 'back\\slash' }, ['apiKey', 'must be printable ASCII without spaces, quotes or backslashes']],
    [{ apiKey: 'ümlaut' }, ['apiKey', 'must be printable ASCII without spaces, quotes or backslashes']],
    [{ hardwareIdFile: 'a\0b' }, ['hardwareIdFile', 'must not contain control characters']],
    [{ stateDir: 'x'.repeat(4097) }, ['stateDir', 'must be at most 4096 characters']],
    [{ licenseId: 1 }, undefined],
    [{ licenseId: 0 }, ['licenseId', 'must be positive']],
    [{ licenseId: 1.5 }, ['licenseId', 'must be a whole number']],
    [{ licenseId: Number.MAX_SAFE_INTEGER + 2 }, ['licenseId', expect.any(String)]],
  ])('text and numbers %j: %j', (values, expected) => {
    expect(problem(values)).toEqual(expected);
  });

  it.each([
    [{ interval: 15 }, undefined, 900_000],
    [{ interval: '10s' }, undefined, 10_000],
    [{ interval: '9s' }, ['interval', 'must be between 10s and 24h'], undefined],
    [{ interval: '24h' }, undefined, 86_400_000],
    [{ interval: '24.001h' }, ['interval', 'must be between 10s and 24h'], undefined],
    [{ interval: 'often' }, ['interval', 'must be minutes (e.g. 15) or a number with s, m or h (e.g. 90s, 15m, 1h)'], undefined],
    [{ interval: true }, ['interval', 'must be minutes (e.g. 15) or a number with s, m or h (e.g. 90s, 15m, 1h)'], undefined],
  ])('interval %j: %j', (values, expected, ms) => {
    expect(problem(values)).toEqual(expected);
    if (ms !== undefined) expect(rawConfigSchema.parse(values).interval).toBe(ms);
  });

  it.each([
    [{ allow: ['cpu_cores', 'os_*', '*', 'a.b-c'] }, undefined],
    [{ allow: ['bad name'] }, ['allow.0', 'must be a variable name, a prefix followed by *, or *']],
    [{ deny: ['*x'] }, ['deny.0', 'must be a variable name, a prefix followed by *, or *']],
    [{ deny: ['x'.repeat(65)] }, ['deny.0', 'must be a variable name, a prefix followed by *, or *']],
    [{ allow: Array.from({ length: 201 }, (_, i) => `v${i}`) }, ['allow', expect.any(String)]],
    [{ pii: ['hostname', 'mac'] }, undefined],
    [{ pii: ['ssn'] }, ['pii.0', 'must be one of hostname, username, ip, mac']],
    [{ logLevel: 'debug' }, undefined],
    [{ logLevel: 'trace' }, ['logLevel', 'must be debug, info, warn or error']],
  ])('lists and choices %j: %j', (values, expected) => {
    expect(problem(values)).toEqual(expected);
  });

  it.each([
    [{ variables: { site: 'Berlin', floor: 3, vip: true } }, undefined],
    [{ variables: { site: 'x'.repeat(256) } }, undefined],
    [{ variables: { site: 'x'.repeat(257) } }, ['variables.site', 'must be at most 256 characters']],
    [{ variables: { site: 'a\nb' } }, ['variables.site', 'must not contain control characters']],
    [{ variables: { n: Number.POSITIVE_INFINITY } }, ['variables.n', 'must be text, a finite number, or true/false']],
    [{ variables: { n: null } }, ['variables.n', 'must be text, a finite number, or true/false']],
    [{ variables: { 'bad name': 1 } }, ['variables.bad name', 'Invalid key in record']], // load.ts shows the inner message (load.test)
    [{ variables: { ['x'.repeat(65)]: 1 } }, [`variables.${'x'.repeat(65)}`, 'Invalid key in record']],
    [{ variables: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`v${i}`, i])) }, undefined],
    [{ variables: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`v${i}`, i])) }, ['variables', 'at most 50 custom variables']],
    [{ nope: 1 }, ['', expect.stringMatching(/nope/)]],
  ])('custom variables %j: %j', (values, expected) => {
    expect(problem(values)).toEqual(expected);
  });

  it('refuses the reserved names as variable names', () => {
    for (const name of ['constructor', 'prototype']) {
      expect(problem({ variables: JSON.parse(`{"${name}": 1}`) as Record<string, unknown> })?.[0]).toBe(`variables.${name}`);
    }
  });
});

describe('the schema is the table\'s rules together', () => {
  it('has the table\'s keys in its order, the custom variables before the managed file\'s own (so problems are told in that order)', () => {
    const keys = (managed: boolean) => CONFIG_FIELDS.filter((f) => (f.managedOnly === true) === managed).map((f) => f.key);
    expect(Object.keys(rawConfigSchema.shape)).toEqual([...keys(false), 'variables', ...keys(true)]);
  });

  it('each key checks with its field\'s own rule', () => {
    for (const f of CONFIG_FIELDS) expect(rawConfigSchema.shape[f.key as keyof typeof rawConfigSchema.shape], f.key).toBe(f.rule);
  });
});

describe('rules the table\'s fields take', () => {
  it.each([
    ['http://10.0.0.5/api/v4/', true], ['http://lab.example/api/v4/', true], ['http://localhost:8080/', false], ['http://127.0.0.1/', false],
    ['https://lab.example/', false], ['not a url', false],
  ])('%s is plain HTTP to another machine: %s', (url, remote) => {
    expect(isRemotePlainHttp(url)).toBe(remote);
  });

  it.each([[['*']], [['acme']], [['acme*', 'ops_team-2']], [['a'.repeat(32)]], [[]]])('drop-in sources %j are allowed', (sources) => {
    expect(rawConfigSchema.safeParse({ dropInSources: sources }).success).toBe(true);
  });

  it.each([[['a b']], [['a'.repeat(33)]], [['*acme']], [['acme**']], [['x.y']], [['']], [['acme*x']]])('drop-in sources %j are refused, saying what a source name is', (sources) => {
    const r = rawConfigSchema.safeParse({ dropInSources: sources });
    expect(r.success ? '' : r.error.issues[0]?.message).toBe('must be a source name (1-32 of A-Z a-z 0-9 _ -), a prefix followed by *, or *');
  });
});

