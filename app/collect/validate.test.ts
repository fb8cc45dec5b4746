import { describe, expect, it } from 'vitest';
import { validateVariables, formatFieldErrors } from './validate.ts';

const NAME_RULE = 'name must be 1-64 characters of A-Z a-z 0-9 _ . -';

describe('validateVariables', () => {
  it('accepts strings, finite numbers and booleans within the limits, into a null-prototype object', () => {
    const input = { os: 'linux', 'cpu.cores': 8, 'is-vm': false, ram_gb: 15.6, empty: '', long: 'x'.repeat(256), ['n'.repeat(64)]: 1 };
    const result = validateVariables(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect({ ...result.values }).toEqual(input);
    expect(Object.getPrototypeOf(result.values)).toBeNull();
  });

  it.each<[string, unknown, string, string]>([
    ['a space in the name', { 'my var': 1 }, 'variables.my var', NAME_RULE],
    ['an empty name', { '': 1 }, 'variables.', NAME_RULE],
    ['a 65-character name', { ['n'.repeat(65)]: 1 }, `variables.${'n'.repeat(65)}`, NAME_RULE],
    ['a unicode name', { 'größe': 1 }, 'variables.größe', NAME_RULE],
    ['a newline in the name', { 'a\nb': 1 }, 'variables.a\\nb', NAME_RULE],
    ['constructor', { constructor: 'x' }, 'variables.constructor', 'name "constructor" is reserved'],
    ['prototype', { prototype: 'x' }, 'variables.prototype', 'name "prototype" is reserved'],
    ['NaN', { v: Number.NaN }, 'variables.v', 'value must be a finite number (got NaN)'],
    ['Infinity', { v: Number.POSITIVE_INFINITY }, 'variables.v', 'value must be a finite number (got Infinity)'],
    ['null', { v: null }, 'variables.v', 'value must be a string, number or boolean (got null)'],
    ['an object', { v: { a: 1 } }, 'variables.v', 'value must be a string, number or boolean (got an object)'],
    ['an array', { v: [1] }, 'variables.v', 'value must be a string, number or boolean (got an array)'],
    ['a bigint', { v: 1n }, 'variables.v', 'value must be a string, number or boolean (got a bigint)'],
    ['undefined', { v: undefined }, 'variables.v', 'value must be a string, number or boolean (got a undefined)'],
    ['a 257-character string', { v: 'x'.repeat(257) }, 'variables.v', 'value must be at most 256 characters (got 257)'],
    ['a newline in the value', { v: 'a\nb' }, 'variables.v', 'value must not contain control characters'],
    ['a NUL in the value', { v: 'a\u0000b' }, 'variables.v', 'value must not contain control characters'],
    ['a C1 control in the value', { v: 'a\u0085b' }, 'variables.v', 'value must not contain control characters'],
    ['a lone surrogate', { v: 'a\ud800b' }, 'variables.v', 'value must be well-formed Unicode (no lone surrogates)'],
  ])('refuses %s, naming the field', (_label, input, field, message) => {
    expect(validateVariables(input)).toEqual({ ok: false, errors: [{ field, message }] });
  });

  it('refuses "__proto__" from JSON without touching Object.prototype', () => {
    const input: unknown = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}');
    expect(validateVariables(input)).toEqual({ ok: false, errors: [{ field: 'variables.__proto__', message: 'name "__proto__" is reserved' }] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each<[string, unknown, string]>([
    ['null', null, 'must be an object of name: value pairs (got null)'],
    ['an array', [1, 2], 'must be an object of name: value pairs (got an array)'],
    ['a string', 'a=b', 'must be an object of name: value pairs (got a string)'],
    ['a Map', new Map([['a', 1]]), 'must be a plain object of name: value pairs'],
  ])('refuses %s as the whole map', (_label, input, message) => {
    expect(validateVariables(input, 'custom')).toEqual({ ok: false, errors: [{ field: 'custom', message }] });
  });

  it('refuses more than 100 variables and reports every bad field at once', () => {
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`v${i}`, i]));
    expect(validateVariables(many)).toEqual({ ok: false, errors: [{ field: 'variables', message: 'at most 100 variables are allowed (got 101)' }] });
    const result = validateVariables({ 'a b': 1, c: Number.NaN, d: 'fine' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(formatFieldErrors(result.errors)).toBe(`variables.a b: ${NAME_RULE}; variables.c: value must be a finite number (got NaN)`);
  });

  it('accepts exactly 100 variables', () => {
    const hundred = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`v${i}`, i]));
    expect(validateVariables(hundred).ok).toBe(true);
  });
});
