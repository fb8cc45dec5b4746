// Bad configuration, table-driven: every field of app/config/fields.ts with wrong
// types, empty, huge, control characters, unicode, URLs with credentials and path
// traversal — through every layer (object/file, environment, flags). Each refused
// case is a ConfigError naming the field (never a crash, never echoing a secret);
// the accepted cases are decisions, documented in docs/security.md.
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CONFIG_FIELDS, ConfigError, formatProblem, layerFromEnv, layerFromFile, layerFromFlags, layerFromObject, resolveConfig,
} from '../../app/config/index.ts';
import type { AgentConfig } from '../../app/config/index.ts';
import type { FieldKind } from '../../app/config/fields.ts';
import { createAgent } from '../../app/create-agent.ts';

const HUGE = 'x'.repeat(100_000);

interface Case {
  label: string;
  /** What the layer holds (object/JSON-file semantics). */
  values: Record<string, unknown>;
  /** The field the error must name (top-level key, or a dotted path). */
  field: string;
  message: RegExp;
}

/** Refusals every field of a kind must produce. */
const BY_KIND: Record<FieldKind, Array<[label: string, value: unknown, message: RegExp]>> = {
  string: [
    ['a number', 42, /must be text/], ['a boolean', true, /must be text/], ['an object', {}, /must be text/], ['a list', ['a'], /must be text/],
    ['null', null, /must be text/], ['empty', '', /must not be empty/], ['only spaces', '   ', /must not be empty/],
    ['huge', HUGE, /must be at most \d+ characters/], ['a NUL byte', 'ab\u0000cd', /control characters/], ['a line break', 'ab\ncd', /control characters/],
  ],
  secret: [
    ['a number', 42, /must be text/], ['an object', {}, /must be text/], ['null', null, /must be text/], ['empty', '', /must not be empty/],
    ['only spaces', '   ', /must not be empty/], ['huge', HUGE, /must be at most 1024 characters/],
    ['a NUL byte', 'SECRET-PART\u0000REST', /control characters/], ['an escape sequence', 'SECRET-PART\u001b[2J', /control characters/],
  ],
  url: [
    ['a number', 42, /must be text/], ['empty', '', /must be an absolute URL/], ['not a URL', 'example.invalid/api', /must be an absolute URL/],
    ['ftp://', 'ftp://example.com/api/v4/', /must use https:\/\//], ['file://', 'file:///etc/passwd', /must use https:\/\//],
    ['javascript:', 'javascript:alert(1)', /must use https:\/\//], ['credentials in the URL', 'https://admin:hunter22@example.com/api/v4/', /must not contain a user name or password/],
    ['a user name in the URL', 'https://admin@example.com/api/v4/', /must not contain a user name/], ['a query string', 'https://example.com/api/v4/?key=1', /query string or fragment/],
    ['a fragment', 'https://example.com/api/v4/#x', /query string or fragment/], ['huge', `https://example.com/${HUGE}`, /at most 2048 characters/],
    ['http:// to another machine (a token and every value in clear)', 'http://licensing.example.com/api/v4/', /http:\/\/ only for a License API on this machine/],
    ['http:// to a LAN address', 'http://10.0.0.5:8080/api/v4/', /http:\/\/ only for a License API on this machine/],
  ],
  int: [
    ['text', '12', /must be a number/], ['a fraction', 1.5, /whole number/], ['negative', -1, /positive/], ['zero', 0, /positive/],
    ['NaN', NaN, /must be a number/], ['Infinity', Infinity, /must be a number|whole number/], ['beyond 2^53', 2 ** 60, /whole number|too big/],
    ['a boolean', true, /must be a number/], ['a list', [1], /must be a number/],
  ],
  bool: [['text', 'yes', /must be true or false/], ['a number', 1, /must be true or false/], ['null', null, /must be true or false/], ['an object', {}, /must be true or false/]],
  duration: [
    ['below 10 s', '5s', /between 10s and 24h/], ['above 24 h', '25h', /between 10s and 24h/], ['words', 'forever', /minutes \(e\.g\. 15\)/],
    ['negative', -1, /between 10s and 24h/], ['zero', 0, /between 10s and 24h/], ['NaN', NaN, /minutes/], ['Infinity', Infinity, /minutes/],
    ['an object', {}, /./], ['a boolean', true, /./], ['exponent notation', '1e9m', /minutes/],
  ],
  list: [
    ['a comma string in a file (lists are JSON arrays there)', 'a,b', /must be a list/], ['numbers', [42], /must be text|must be a variable name|must be one of|must be a source name/],
    ['a name with spaces', ['bad name'], /must be a variable name|must be one of|must be a source name/], ['too many', Array.from({ length: 201 }, (_, i) => `v${i}`), /./],
    ['an object', {}, /must be a list/],
  ],
  path: [
    ['a number', 42, /must be text/], ['empty', '', /must not be empty/], ['a NUL byte', '/tmp/a\u0000b', /control characters|file path/],
    ['huge', `/tmp/${'d'.repeat(5000)}`, /at most 4096 characters/],
  ],
  enum: [['a number', 42, /must be/], ['a word it does not know', 'sometimes', /must be/], ['null', null, /must be/], ['a list', ['always'], /must be/]],
  // variableSources (issue 15): one variable per entry, exactly one kind each.
  object: [
    ['text', 'ACME_EDITION', /expected record|must be an object|object/], ['a list', [{ env: 'A' }], /expected record|object/],
    ['an entry that says nothing', { v: {} }, /must say where the value comes from: one of env, file, registry, defaults, command/],
    ['an entry with two kinds', { v: { env: 'A', file: '/etc/a' } }, /must have only one of env, file/],
    ['an entry that is text', { v: 'ACME' }, /must be an object with one of/],
    ['a relative file', { v: { file: 'version.txt' } }, /must be an absolute path/],
    ['a file path with a NUL byte', { v: { file: '/etc/a\u0000b' } }, /control characters/],
    ['a command as one string (it would need a shell)', { v: { command: '/bin/sh -c "id"' } }, /must be a list: the program \(an absolute path\) and its arguments; no shell/],
    ['a command found through PATH', { v: { command: ['nvidia-smi'] } }, /must start with the program's absolute path/],
    ['an empty command', { v: { command: [] } }, /must name the program/],
    ['an option a kind does not have', { v: { env: 'A', shell: true } }, /shell: not an option of a env source/],
    ['a command every second', { v: { command: ['/bin/true'], interval: '1s' } }, /from 60s/],
    ['a command given two minutes', { v: { command: ['/bin/true'], timeout: '2m' } }, /to 60s/],
    ['an output bound of 1 MiB', { v: { command: ['/bin/true'], maxOutputBytes: 1024 * 1024 } }, /at most 65536/],
    ['an environment variable name with a dash', { v: { env: 'ACME-EDITION' } }, /name of an environment variable/],
    ['a registry key outside HKLM and HKCU', { v: { registry: 'HKCR\\Acme', value: 'Version' } }, /must be a key under HKLM/],
    ['a defaults domain with a space', { v: { defaults: 'com acme', key: 'Version' } }, /must be a domain/],
    ['a variable name with a space', { 'my var': { env: 'A' } }, /names must be 1-64 characters/],
    ['21 sources', Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`v${i}`, { env: 'A' }])), /at most 20 variable sources/],
    ['the name of a built-in variable', { cpu_cores: { env: 'A' } }, /is a built-in variable's name/],
  ],
};

const CASES: Case[] = [];
/** Keys only the managed file may set: their values are tried in a managed layer (elsewhere they are refused as such; see below). */
const MANAGED_ONLY = new Set(CONFIG_FIELDS.filter((f) => f.managedOnly).map((f) => f.key));
for (const spec of CONFIG_FIELDS) {
  const table = spec.key === 'logLevel' ? [...BY_KIND.string.slice(0, 5), ['not a level', 'verbose', /must be debug, info, warn or error/] as [string, unknown, RegExp]] : BY_KIND[spec.kind];
  for (const [label, value, message] of table) {
    // logLevel is an enum: every wrong value gets the enum's message.
    const expected = spec.key === 'logLevel' ? /must be debug, info, warn or error/ : message;
    CASES.push({ label: `${spec.key}: ${label}`, values: { [spec.key]: value }, field: spec.key, message: expected });
  }
}
CASES.push(
  { label: 'apiKey: non-ASCII (it travels in the Authorization header)', values: { apiKey: 'ключ-api' }, field: 'apiKey', message: /printable ASCII/ },
  { label: 'apiKey: a double quote', values: { apiKey: 'a"b' }, field: 'apiKey', message: /printable ASCII/ },
  { label: 'apiKey: a space inside', values: { apiKey: 'a b' }, field: 'apiKey', message: /printable ASCII/ },
  { label: 'pii: an unknown kind', values: { pii: ['ssn'] }, field: 'pii.0', message: /must be one of hostname, username, ip, mac/ },
  { label: 'allow: a pattern with two stars', values: { allow: ['cpu**'] }, field: 'allow.0', message: /must be a variable name, a prefix followed by \*, or \*/ },
  { label: 'deny: an empty name', values: { deny: [''] }, field: 'deny.0', message: /must be a variable name/ },
  { label: 'a misspelt setting', values: { sharedkey: 'abcdefgh' }, field: 'sharedkey', message: /is not a known setting/ },
  { label: 'an unknown setting', values: { proxyPassword: 'x' }, field: 'proxyPassword', message: /is not a known setting/ },
  { label: 'constructor as a setting', values: { constructor: 'x' }, field: 'constructor', message: /is not a known setting/ },
  { label: 'prototype as a setting', values: { prototype: {} }, field: 'prototype', message: /is not a known setting/ },
  { label: 'variables: not an object', values: { variables: 'site=lab' }, field: 'variables', message: /./ },
  { label: 'variables: a name with a space', values: { variables: { 'my site': 'lab' } }, field: 'variables', message: /names must be 1-64 characters/ },
  { label: 'variables: a name of 65 characters', values: { variables: { ['n'.repeat(65)]: 1 } }, field: 'variables', message: /names must be 1-64 characters/ },
  { label: 'variables: constructor', values: { variables: { constructor: 1 } }, field: 'variables', message: /reserved name/ },
  { label: 'variables: prototype', values: { variables: { prototype: 1 } }, field: 'variables', message: /reserved name/ },
  { label: 'variables: an object value', values: { variables: { site: { a: 1 } } }, field: 'variables.site', message: /./ },
  { label: 'variables: a list value', values: { variables: { site: [1] } }, field: 'variables.site', message: /./ },
  { label: 'variables: null', values: { variables: { site: null } }, field: 'variables.site', message: /./ },
  { label: 'variables: NaN', values: { variables: { load: NaN } }, field: 'variables.load', message: /./ },
  { label: 'variables: Infinity', values: { variables: { load: Infinity } }, field: 'variables.load', message: /finite number/ },
  { label: 'variables: -Infinity', values: { variables: { load: -Infinity } }, field: 'variables.load', message: /finite number/ },
  { label: 'variables: a value over 256 characters', values: { variables: { site: 'v'.repeat(257) } }, field: 'variables.site', message: /at most 256 characters/ },
  { label: 'variables: a control character in a value', values: { variables: { site: 'a\u0007b' } }, field: 'variables.site', message: /control characters/ },
  { label: 'variables: 51 custom variables', values: { variables: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`v${i}`, i])) }, field: 'variables', message: /at most 50 custom variables/ },
  { label: 'variableSources: a name a custom variable has too', values: { variables: { edition: 'x' }, variableSources: { edition: { env: 'ACME' } } }, field: 'variableSources.edition', message: /is also a custom variable/ },
  { label: 'dropInSources: a source with a dot', values: { dropInSources: ['acme.app'] }, field: 'dropInSources.0', message: /must be a source name/ },
);

function problemsOf(values: Record<string, unknown>): ConfigError {
  try {
    const managed = Object.keys(values).some((key) => MANAGED_ONLY.has(key));
    resolveConfig([layerFromObject(values, 'test', { managed })], { stateDir: tmpdir() });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw new Error(`not a ConfigError: ${String(error)}`, { cause: error });
  }
  throw new Error(`accepted: ${JSON.stringify(values).slice(0, 120)}`);
}

describe('configuration values that are refused', () => {
  it('covers every field of the table', () => {
    const covered = new Set(CASES.map((c) => c.field.split('.')[0]));
    for (const spec of CONFIG_FIELDS) expect(covered.has(spec.key), spec.key).toBe(true);
    expect(CASES.length).toBeGreaterThanOrEqual(150);
  });

  it.each(CASES.map((c) => [c.label, c] as const))('%s', (_label, c) => {
    const error = problemsOf(c.values);
    // The field itself, or an entry inside it (allow.0, variables.my site).
    const problem = error.problems.find((p) => p.field === c.field || p.field.startsWith(`${c.field}.`));
    expect(problem, `problems: ${error.message}`).toBeDefined();
    expect(problem!.message).toMatch(c.message);
    expect(problem!.source).toBe('test');
    const line = formatProblem(problem!);
    expect(line.startsWith(`${problem!.field} (from test): `)).toBe(true);
    expect(line).not.toMatch(/\n\s+at /); // no stack
    expect(line.length).toBeLessThan(300); // a huge value is never echoed back
    for (const value of Object.values(c.values)) {
      if (typeof value === 'string' && value.length >= 8) expect(error.message).not.toContain(value);
    }
    expect(error.message).not.toContain('SECRET-PART');
    expect(error.message).not.toContain('hunter22');
  });
});

describe('settings only the managed file may set (issue 15)', () => {
  const keys = [...MANAGED_ONLY];
  it('are these six', () => {
    expect(keys.sort()).toEqual(['allowCommandSources', 'dropInSources', 'notifications', 'trayIcon', 'userDropInSources', 'variableSources']);
  });

  it.each(keys)('%s is refused in a --config file, a flag and the environment, saying where it belongs', async (key) => {
    const spec = CONFIG_FIELDS.find((f) => f.key === key)!;
    const value = { variableSources: { gpu: { command: ['/usr/bin/id'] } }, allowCommandSources: true, dropInSources: ['*'], userDropInSources: ['*'], trayIcon: 'never', notifications: false }[key];
    const dir = await mkdtemp(join(tmpdir(), 'da-managed-only-'));
    const file = join(dir, 'agent.json');
    await writeFile(file, JSON.stringify({ [key]: value }));
    const layers = [
      layerFromFile(file),
      layerFromFlags({ [spec.flag]: typeof value === 'boolean' ? value : Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : JSON.stringify(value) }),
      layerFromEnv({ [spec.env]: typeof value === 'string' ? value : JSON.stringify(value) }),
    ];
    for (const layer of layers) {
      let error: unknown;
      try {
        resolveConfig([layer], { stateDir: tmpdir() });
      } catch (e) {
        error = e;
      }
      expect(error, `${key} from ${Object.values(layer.origin)[0]}`).toBeInstanceOf(ConfigError);
      const problem = (error as ConfigError).problems.find((p) => p.field === key);
      expect(problem?.message).toMatch(/can be set only in the administrator's managed configuration file \(\/etc\/device-agent\/config\.json\)/);
      expect(problem?.source).toBe(Object.values(layer.origin)[0]);
    }
    // The same value in the managed file is taken.
    expect(() => resolveConfig([layerFromObject({ [key]: value }, 'managed config', { managed: true })], { stateDir: tmpdir() })).not.toThrow();
  });

  it('are refused in a person\'s layer even when the managed file sets them too (its value stands, the other is an error)', () => {
    let error: unknown;
    try {
      resolveConfig([layerFromObject({ allowCommandSources: true }, '--config agent.json'), layerFromObject({ allowCommandSources: false }, 'managed config', { managed: true })], { stateDir: tmpdir() });
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).problems).toEqual([expect.objectContaining({ field: 'allowCommandSources', source: '--config agent.json' })]);
  });

  it('have defaults: drop-in folders open to every source, no sources, commands off, the tray always, notifications on', () => {
    const config = resolveConfig([layerFromObject({}, 'test')], { stateDir: tmpdir() });
    expect([config.dropInSources, config.userDropInSources, config.variableSources, config.allowCommandSources, config.trayIcon, config.notifications])
      .toEqual([['*'], ['*'], {}, false, 'always', true]);
  });
});

describe('configuration values that are accepted (decisions)', () => {
  const accepted: Array<[string, Record<string, unknown>, (c: AgentConfig) => unknown, unknown]> = [
    ['unicode product code (the server decides whether it exists)', { product: 'prodüct-ü' }, (c) => c.product, 'prodüct-ü'],
    ['unicode license key', { licenseKey: 'КЛЮЧ-1234' }, (c) => c.licenseKey, 'КЛЮЧ-1234'],
    ['unicode user name', { username: 'zoë@example.com' }, (c) => c.username, 'zoë@example.com'],
    ['unicode hardware id', { hardwareId: 'машина-1' }, (c) => c.hardwareId, 'машина-1'],
    ['spaces around a value are trimmed', { product: '  demo  ' }, (c) => c.product, 'demo'],
    ['a relative state dir with .. (paths are the running user\'s own business)', { stateDir: '../../state' }, (c) => c.stateDir, '../../state'],
    ['http:// for a local sandbox', { apiUrl: 'http://127.0.0.1:8080/api/v4/' }, (c) => c.apiUrl, 'http://127.0.0.1:8080/api/v4/'],
    ['http:// to localhost', { apiUrl: 'http://localhost:8080/api/v4/' }, (c) => c.apiUrl, 'http://localhost:8080/api/v4/'],
    ['http:// to [::1]', { tokenUrl: 'http://[::1]:8080/token' }, (c) => c.tokenUrl, 'http://[::1]:8080/token'],
    ['http:// to a lab server with the explicit opt-in (insecureHttp)', { apiUrl: 'http://10.0.0.5:8080/api/v4/', insecureHttp: true }, (c) => c.apiUrl, 'http://10.0.0.5:8080/api/v4/'],
    ['an interval in minutes as a number', { interval: 15 }, (c) => c.intervalMs, 900_000],
    ['an interval with a unit', { interval: '90s' }, (c) => c.intervalMs, 90_000],
    ['allow with a prefix pattern', { allow: ['cpu_*', 'agent_version'] }, (c) => c.allow, ['cpu_*', 'agent_version']],
  ];
  it.each(accepted)('%s', (_label, values, pick, expected) => {
    expect(pick(resolveConfig([layerFromObject(values, 'test')], { stateDir: tmpdir() }))).toEqual(expected);
  });
});

describe('plain HTTP to another machine', () => {
  it('is refused naming the opt-in, and the opt-in does not open other schemes', () => {
    const refused = (values: Record<string, unknown>) => {
      try {
        resolveConfig([layerFromObject(values, 'test')], { stateDir: tmpdir() });
      } catch (error) {
        return (error as { problems: { field: string; message: string }[] }).problems;
      }
      return [];
    };
    expect(refused({ tokenUrl: 'http://sso.example.com/token' })).toEqual([expect.objectContaining({ field: 'tokenUrl', message: expect.stringMatching(/needs insecureHttp: true/) })]);
    expect(refused({ apiUrl: 'ftp://10.0.0.5/api/v4/', insecureHttp: true })).toEqual([expect.objectContaining({ field: 'apiUrl', message: expect.stringMatching(/must use https:\/\//) })]);
    expect(refused({ apiUrl: 'http://10.0.0.5:8080/api/v4/', insecureHttp: 'yes' })).toEqual([expect.objectContaining({ field: 'insecureHttp' })]);
  });
});

describe('environment variables and flags', () => {
  const envCases: Array<[string, Record<string, string>, string, RegExp]> = [
    ['a licenseId that is not a number', { DEVICE_AGENT_LICENSE_ID: 'twelve' }, 'licenseId', /must be a whole number/],
    ['a negative licenseId', { DEVICE_AGENT_LICENSE_ID: '-3' }, 'licenseId', /must be a whole number/],
    ['autoActivate that is not a boolean', { DEVICE_AGENT_AUTO_ACTIVATE: 'maybe' }, 'autoActivate', /must be true or false/],
    ['a misspelt variable', { DEVICE_AGENT_SHAREDKEY: 'abcdefgh' }, 'DEVICE_AGENT_SHAREDKEY', /is not a known setting/],
    ['an interval in words', { DEVICE_AGENT_INTERVAL: 'hourly' }, 'interval', /minutes/],
    ['an api URL with credentials', { DEVICE_AGENT_API_URL: 'https://u:p@example.com/api/v4/' }, 'apiUrl', /user name or password/],
    ['a list with an unknown PII kind', { DEVICE_AGENT_PII: 'hostname,ssn' }, 'pii.1', /must be one of/],
  ];
  it.each(envCases)('env: %s', (_label, env, field, message) => {
    let error: unknown;
    try {
      resolveConfig([layerFromEnv(env)], { stateDir: tmpdir() });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problem = (error as ConfigError).problems.find((p) => p.field === field);
    expect(problem?.message).toMatch(message);
    expect(problem?.source).toMatch(/^DEVICE_AGENT_|environment$/);
  });

  const flagCases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['--var without =', { var: ['site'] }, 'variables', /must be name=value/],
    ['--var __proto__=x', { var: ['__proto__=x'] }, 'variables.__proto__', /reserved name/],
    ['--license-id 1.5', { 'license-id': '1.5' }, 'licenseId', /whole number/],
    ['--interval 0', { interval: '0' }, 'interval', /between 10s and 24h/],
    ['--api-url with a fragment', { 'api-url': 'https://example.com/api/v4/#frag' }, 'apiUrl', /fragment/],
  ];
  it.each(flagCases)('flag: %s', (_label, flags, field, message) => {
    let error: unknown;
    try {
      resolveConfig([layerFromFlags(flags)], { stateDir: tmpdir() });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.find((p) => p.field === field)?.message).toMatch(message);
  });
});

describe('configuration files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'da-bad-config-'));
  });
  const fileCases: Array<[string, string | undefined, string, RegExp]> = [
    ['not JSON', '{"product": "demo",', 'config', /is not valid JSON/],
    ['a JSON array', '["demo"]', 'config', /must be a JSON object of settings/],
    ['a JSON string', '"demo"', 'config', /must be a JSON object of settings/],
    ['__proto__ at the top', '{"__proto__": {"polluted": true}}', '__proto__', /reserved name/],
    ['__proto__ nested in variables', '{"variables": {"__proto__": {"polluted": true}}}', 'variables.__proto__', /reserved name/],
    ['constructor nested', '{"variables": {"constructor": 1}}', 'variables.constructor', /reserved name/],
    ['larger than 1 MiB', JSON.stringify({ product: 'p'.repeat(1024 * 1024 + 10) }), 'config', /larger than 1 MiB/],
    ['missing', undefined, 'config', /file not found/],
    ['empty', '', 'config', /^is empty$/],
    ['a private key passed by mistake (its content is never echoed)', '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n', 'config', /^is not valid JSON \(at line 1, column 2\)$/],
    ['a password file passed by mistake', 'hunter2-Secret\n', 'config', /^is not valid JSON \(it does not start with \{\)$/],
  ];
  it.each(fileCases)('%s', async (label, text, field, message) => {
    const path = join(dir, `${label.replace(/\W+/g, '-')}.json`);
    if (text !== undefined) await writeFile(path, text);
    let error: unknown;
    try {
      resolveConfig([layerFromFile(path)], { stateDir: tmpdir() });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.find((p) => p.field === field)?.message).toMatch(message);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a directory instead of a file', async () => {
    const path = join(dir, 'a-dir.json');
    await mkdir(path);
    expect(() => layerFromFile(path)).toThrow(/config \(from .*\): is a directory/);
  });

  it('an endless file (/dev/zero) fails at once naming the file and the bound, after reading at most the bound', () => {
    const started = Date.now();
    expect(() => layerFromFile('/dev/zero')).toThrow(/^config \(from \/dev\/zero\): is larger than 1 MiB \(the limit for this file\)$/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('a file whose content does not parse is never quoted in the error', async () => {
    const path = join(dir, 'secret-looking.json');
    await writeFile(path, 'sk_live_0123456789abcdef');
    let message = '';
    try { layerFromFile(path); } catch (e) { message = (e as Error).message; }
    expect(message).toMatch(/is not valid JSON/);
    expect(message).not.toMatch(/sk_live|0123456789/);
  });

  it('relative paths in a file resolve against the file\'s folder (path traversal stays explicit)', async () => {
    const path = join(dir, 'paths.json');
    await writeFile(path, JSON.stringify({ stateDir: '../elsewhere/state', caFile: 'ca.pem' }));
    const config = resolveConfig([layerFromFile(path)]);
    expect(config.stateDir).toBe(join(dir, '..', 'elsewhere', 'state'));
    expect(config.caFile).toBe(join(dir, 'ca.pem'));
  });
});

describe('file options that point at the wrong file (checked when the agent is built)', () => {
  const base = {
    apiUrl: 'http://127.0.0.1:9/api/v4/', apiKey: 'key-123', sharedKey: 'shared-123456', product: 'demo', licenseKey: 'AAAA-BBBB-CCCC',
  };
  const fileOptionCases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['publicKey: /etc/passwd (not a PEM key; its content is never echoed)', { publicKey: '/etc/passwd' }, 'publicKey', /^is not a PEM public key$/],
    ['publicKey: a traversal to a missing file', { publicKey: '../../../../nonexistent/key.pem' }, 'publicKey', /not found/],
    ['publicKey: a directory', { publicKey: '/tmp' }, 'publicKey', /^file \/tmp is a directory, not a regular file$/],
    ['publicKey: /dev/zero (endless: read up to the bound only)', { publicKey: '/dev/zero' }, 'publicKey', /^file \/dev\/zero is larger than 64 KiB \(the limit for this file\)$/],
    ['caFile: /etc/passwd (no certificate in it)', { caFile: '/etc/passwd' }, 'caFile', /holds no PEM certificate$/],
    ['caFile: missing', { caFile: '/nonexistent/ca.pem' }, 'caFile', /not found/],
    ['caFile: a directory', { caFile: '/tmp' }, 'caFile', /^file \/tmp is a directory, not a regular file$/],
    ['caFile: /dev/zero (endless: read up to the bound only)', { caFile: '/dev/zero' }, 'caFile', /^file \/dev\/zero is larger than 4 MiB \(the limit for this file\)$/],
  ];
  it.each(fileOptionCases)('%s', async (_label, extra, field, message) => {
    const stateDir = await mkdtemp(join(tmpdir(), 'da-bad-file-'));
    const config = resolveConfig([layerFromObject({ ...base, ...extra, stateDir }, 'test')]);
    let error: unknown;
    try {
      const handle = await createAgent(config);
      await handle.close();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problem = (error as ConfigError).problems.find((p) => p.field === field);
    expect(problem?.message).toMatch(message);
    expect((error as Error).message).not.toMatch(/root:|BEGIN/); // no file content
  });
});
