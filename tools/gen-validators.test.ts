// The track-body validator compiled ahead of time (tools/gen-validators.ts) is the
// seed's schema: the same verdict and the same first error as ajv compiling the schema
// at run time, on a table of good and bad bodies; and the checked-in file is current.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trackBodyProblem } from '../app/licenseapi/schemas.ts';
import { validate as generated } from '../app/licenseapi/track-body-validator.generated.js';
import {
  generateTrackBodyValidator, staleValidatorProblem, TRACK_BODY_AJV_OPTIONS, TRACK_BODY_SCHEMA, TRACK_BODY_VALIDATOR,
} from './gen-validators.ts';

const schema = JSON.parse(readFileSync(TRACK_BODY_SCHEMA, 'utf8')) as object;
const compiled = new Ajv2020(TRACK_BODY_AJV_OPTIONS).compile(schema);

const base = { product: 'demo', hardware_id: 'hw-1', variables: { os: 'linux', cores: 8, vm: false } };
const withProto = JSON.parse('{"product":"p","hardware_id":"h","variables":{"__proto__":{"a":1}}}') as unknown;

/** [label, body, valid per the seed's schema] */
const BODIES: Array<[string, unknown, boolean]> = [
  ['the documented fields', base, true],
  ['every optional field', { ...base, license_key: 'K', username: 'u@x', license_id: 7 }, true],
  ['no variables at all (empty object)', { ...base, variables: {} }, true],
  ['string, number and boolean values', { ...base, variables: { a: 'x', b: 1.5, c: -3, d: true, e: '' } }, true],
  ['a license_id that is a float (the schema says number)', { ...base, license_id: 1.5 }, true],
  ['empty strings in the identity (lengths are the agent\'s own rules)', { ...base, product: '', hardware_id: '' }, true],
  ['an extra top-level field', { ...base, password: 'x' }, false],
  ['an extra field named like a prototype key', JSON.parse('{"product":"p","hardware_id":"h","variables":{},"__proto__":{}}') as unknown, false],
  ['a nested object as a value', { ...base, variables: { nested: { a: 1 } } }, false],
  ['a list as a value', { ...base, variables: { list: [1] } }, false],
  ['null as a value', { ...base, variables: { none: null } }, false],
  ['an object value under __proto__', withProto, false],
  ['NaN as a value (not a JSON number)', { ...base, variables: { n: Number.NaN } }, false],
  ['Infinity as license_id', { ...base, license_id: Number.POSITIVE_INFINITY }, false],
  ['variables as a list', { ...base, variables: [] }, false],
  ['variables as a string', { ...base, variables: 'os=linux' }, false],
  ['no variables', { product: 'demo', hardware_id: 'hw-1' }, false],
  ['no hardware_id', { product: 'demo', variables: {} }, false],
  ['no product', { hardware_id: 'hw-1', variables: {} }, false],
  ['a number as product', { ...base, product: 5 }, false],
  ['a boolean as hardware_id', { ...base, hardware_id: true }, false],
  ['a number as license_key', { ...base, license_key: 123 }, false],
  ['a number as username', { ...base, username: 1 }, false],
  ['a string as license_id', { ...base, license_id: '7' }, false],
  ['null', null, false],
  ['a list', [base], false],
  ['a string', JSON.stringify(base), false],
  ['a number', 42, false],
];

describe('the track-body validator compiled ahead of time', () => {
  it('is current: generated from the schema file as it is now', () => {
    expect(staleValidatorProblem()).toBeUndefined();
    expect(readFileSync(TRACK_BODY_VALIDATOR, 'utf8')).toBe(generateTrackBodyValidator());
  });

  it('would be found stale after a change to the schema, saying what to run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'da-gen-validators-'));
    const changed = join(dir, 'schema.json');
    writeFileSync(changed, JSON.stringify({ ...schema, required: ['product', 'hardware_id'] }));
    expect(generateTrackBodyValidator(changed)).not.toBe(generateTrackBodyValidator());
    expect(staleValidatorProblem(changed)).toMatch(/does not match .*schema\.json: run `npm run gen:validators`/);
    expect(staleValidatorProblem(TRACK_BODY_SCHEMA, join(dir, 'missing.js'))).toMatch(/gen:validators/);
  });

  it.each(BODIES)('%s: the same verdict and first error as ajv compiling the schema', (_label, body, valid) => {
    expect(compiled(body)).toBe(valid);
    expect(generated(body)).toBe(valid);
    expect(generated.errors ?? null).toEqual(compiled.errors ?? null);
    expect(trackBodyProblem(body) === undefined).toBe(valid);
  });

  it('names the field in the agent\'s words', () => {
    expect(trackBodyProblem({ ...base, password: 'x' })).toBe('body: must NOT have additional properties "password"');
    expect(trackBodyProblem({ ...base, variables: { nested: { a: 1 } } })).toBe('variables.nested: must be string,number,boolean');
    expect(trackBodyProblem({ product: 'demo', variables: {} })).toBe('body: must have required property \'hardware_id\'');
  });
});
