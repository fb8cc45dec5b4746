// Bad device variables, table-driven, at both trust boundaries: the collector's
// validateVariables (what the agent collects or is configured with) and the License
// API client (the last check before the wire). Each case names the variable and the
// rule; the client refuses before sending, proven by the sandbox's empty request log.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validateVariables } from '../../app/collect/validate.ts';
import { createLicenseApiClient } from '../../app/licenseapi/client.ts';
import type { LicenseApiClient } from '../../app/licenseapi/client.ts';
import { LicenseApiError } from '../../app/licenseapi/errors.ts';
import { startSandbox } from '../../sandbox/server.ts';
import type { Sandbox } from '../../sandbox/server.ts';

let sandbox: Sandbox;
let client: LicenseApiClient;
const hardwareId = `bad-vars-${process.pid}`;

beforeAll(async () => {
  sandbox = await startSandbox();
  client = createLicenseApiClient({ apiUrl: sandbox.url, auth: { kind: 'hmac', apiKey: sandbox.demo.apiKey, sharedKey: sandbox.demo.sharedKey }, timeoutMs: 3_000 });
  await client.activateLicense({ product: sandbox.demo.product, hardwareId, licenseKey: sandbox.demo.licenseKey });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => sandbox.admin.resetRequestLog());

const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`v${i}`, i]));

/** [label, variables, the name the error must mention (undefined = the map as a whole), rule] */
const CASES: Array<[string, unknown, string | undefined, RegExp]> = [
  ['an empty name', { '': 1 }, '', /name/],
  ['a 65-character name', { ['n'.repeat(65)]: 1 }, 'n'.repeat(40), /name/],
  ['a space in the name', { 'my site': 1 }, 'my site', /name/],
  ['a slash in the name', { 'a/b': 1 }, 'a/b', /name/],
  ['a non-ASCII name', { 'sité': 1 }, 'sit', /name/],
  ['a line break in the name', { 'a\nb': 1 }, 'a', /name/],
  ['a NUL in the name', { 'a\u0000b': 1 }, 'a', /name/],
  ['__proto__ (from JSON)', JSON.parse('{"__proto__": "x"}'), '__proto__', /reserved/],
  ['__proto__ (computed key)', { ['__proto__']: 'x' }, '__proto__', /reserved/],
  ['constructor', { constructor: 'x' }, 'constructor', /reserved/],
  ['prototype', { prototype: 'x' }, 'prototype', /reserved/],
  ['a 257-character value', { site: 'v'.repeat(257) }, 'site', /256 characters/],
  ['a 100 000-character value', { site: 'v'.repeat(100_000) }, 'site', /256 characters/],
  ['an object value', { site: { a: 1 } }, 'site', /string, (a finite )?number or (a )?boolean/],
  ['an array value', { site: [1, 2] }, 'site', /string, (a finite )?number or (a )?boolean/],
  ['null', { site: null }, 'site', /string, (a finite )?number or (a )?boolean/],
  ['undefined', { site: undefined }, 'site', /string, (a finite )?number or (a )?boolean/],
  ['a function', { site: () => 1 }, 'site', /string, (a finite )?number or (a )?boolean/],
  ['a bigint', { site: 10n }, 'site', /string, (a finite )?number or (a )?boolean/],
  ['a symbol', { site: Symbol('x') }, 'site', /string, (a finite )?number or (a )?boolean/],
  ['a Date', { site: new Date(0) }, 'site', /string, (a finite )?number or (a )?boolean/],
  ['NaN', { load: NaN }, 'load', /finite/],
  ['Infinity', { load: Infinity }, 'load', /finite/],
  ['-Infinity', { load: -Infinity }, 'load', /finite/],
  ['a NUL in the value', { site: 'a\u0000b' }, 'site', /control characters/],
  ['a tab in the value', { site: 'a\tb' }, 'site', /control characters/],
  ['a line break in the value', { site: 'line1\nline2' }, 'site', /control characters/],
  ['an ANSI escape in the value', { site: '\u001b[31mred' }, 'site', /control characters/],
  ['DEL in the value', { site: 'a\u007fb' }, 'site', /control characters/],
  ['a C1 control (NEL) in the value', { site: 'a\u0085b' }, 'site', /control characters/],
  ['a lone surrogate', { site: 'a\ud800b' }, 'site', /well-formed Unicode/],
  ['101 variables', many(101), undefined, /at most 100/],
  ['1000 variables', many(1000), undefined, /at most 100/],
];

const MAP_CASES: Array<[string, unknown]> = [['null', null], ['an array', [['a', 1]]], ['a string', 'a=1'], ['a number', 42], ['a Map', new Map([['a', 1]])]];

describe('bad variables at the collector boundary (validateVariables)', () => {
  it.each(CASES)('%s', (_label, variables, name, rule) => {
    const result = validateVariables(variables);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const error = result.errors[0]!;
    expect(error.field).toMatch(/^variables/);
    if (name !== undefined && name !== '') expect(error.field).toContain(JSON.stringify(name).slice(1, -1).slice(0, 40));
    expect(`${error.field}: ${error.message}`).toMatch(rule);
    expect(error.message.length).toBeLessThan(200);
  });
  it.each(MAP_CASES)('the map itself is %s', (_label, variables) => {
    const result = validateVariables(variables);
    expect(result).toMatchObject({ ok: false, errors: [{ field: 'variables' }] });
  });
  it('nothing reaches Object.prototype', () => {
    validateVariables(JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('bad variables at the client (refused before anything is sent)', () => {
  it.each([...CASES, ...MAP_CASES.map(([label, v]) => [`the map itself is ${label}`, v, undefined, /variables/] as const)])('%s', async (_label, variables, name, rule) => {
    let error: unknown;
    try {
      await client.trackDeviceVariables({ product: sandbox.demo.product, hardwareId, licenseKey: sandbox.demo.licenseKey, variables: variables as never });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LicenseApiError);
    const apiError = error as LicenseApiError;
    expect(apiError.code).toBe('invalid_request');
    expect(apiError.summary).toMatch(/^The agent refused to send an invalid request: variables/);
    if (name !== undefined && name !== '') expect(apiError.summary).toContain(JSON.stringify(name).slice(1, -1).slice(0, 40));
    expect(apiError.summary).toMatch(rule);
    expect(apiError.summary.length).toBeLessThan(300);
    expect(sandbox.admin.requests()).toEqual([]);
  });

  it('control: a valid map is sent and stored (so the refusals above are about the values)', async () => {
    await client.trackDeviceVariables({ product: sandbox.demo.product, hardwareId, licenseKey: sandbox.demo.licenseKey, variables: { site: 'lab', load: 0.5, ok: true, 'a.b-c_d': 'ünïcode ✓' } });
    expect(sandbox.admin.deviceVariables(sandbox.demo.product, hardwareId)).toEqual({ site: 'lab', load: '0.5', ok: 'true', 'a.b-c_d': 'ünïcode ✓' });
  });
});
