import { describe, expect, it } from 'vitest';
import type { ErrorClass } from '../licenseapi/error-codes.ts';
import type { VariableMap } from '../variables.ts';
import { afterReadFailure, markInDoubt, needsReconcile, reconcile, reconfirmLater } from './in-doubt.ts';

const set = (...names: string[]): ReadonlySet<string> => new Set(names);
const sorted = (s: ReadonlySet<string>): string[] => [...s].sort();

describe('markInDoubt: which failed sends leave their values in doubt', () => {
  const cases: Array<[code: string | undefined, before: string[], sent: string[], after: string[]]> = [
    ['timeout', [], ['a', 'b'], ['a', 'b']],
    ['timeout', ['a', 'z'], ['a', 'b'], ['a', 'b', 'z']], // joins what was in doubt already
    ['timeout', ['z'], [], ['z']],
    ['network_error', [], ['a'], []], // a dead connection: applied before the retry or not at all
    ['connection_reset', ['z'], ['a'], ['z']],
    ['device_not_found', [], ['a'], []],
    ['server_error', [], ['a'], []],
    [undefined, ['z'], ['a'], ['z']], // not an API error (a bug): nothing is known to be in flight
  ];
  it.each(cases)('%s after sending %j (in doubt before: %j) → %j', (code, before, sent, after) => {
    expect(sorted(markInDoubt(set(...before), code, sent))).toEqual(after);
  });

  it('leaves the set it was given unchanged', () => {
    const before = set('z');
    markInDoubt(before, 'timeout', ['a']);
    expect(sorted(before)).toEqual(['z']);
  });
});

describe('reconfirmLater: a success no longer counts the names in doubt as acknowledged', () => {
  const ack: VariableMap = { a: 1, b: 'x', c: true };
  const cases: Array<[inDoubt: string[], kept: VariableMap]> = [
    [[], { a: 1, b: 'x', c: true }],
    [['a'], { b: 'x', c: true }],
    [['a', 'c'], { b: 'x' }],
    [['a', 'b', 'c'], {}],
    [['gone'], { a: 1, b: 'x', c: true }], // a name no longer acknowledged changes nothing
    [['A'], { a: 1, b: 'x', c: true }], // names are compared exactly
  ];
  it.each(cases)('in doubt %j → acknowledged %j', (inDoubt, kept) => {
    expect(reconfirmLater(ack, set(...inDoubt))).toEqual(kept);
  });
});

describe('needsReconcile: when the cycle reads what the server holds', () => {
  const cases: Array<[identityChanged: boolean, inDoubt: string[], recheck: string[], reads: boolean]> = [
    [false, [], [], false],
    [true, [], [], true],
    [false, ['a'], [], true],
    [false, [], ['a'], true],
    [true, ['a'], ['b'], true],
  ];
  it.each(cases)('identity changed %s, in doubt %j, recheck %j → %s', (identityChanged, inDoubt, recheck, reads) => {
    expect(needsReconcile(identityChanged, set(...inDoubt), set(...recheck))).toBe(reads);
  });
});

describe('reconcile: what the server holds counts as acknowledged', () => {
  const desired: VariableMap = { a: 1, b: 'x', c: true, d: 2.5 };
  interface Row {
    why: string;
    identityChanged: boolean;
    acknowledged: VariableMap;
    held: Record<string, string>;
    inDoubt: string[];
    recheck: string[];
    expected: { acknowledged: VariableMap; recheck: string[]; compared: string[]; matching: number };
  }
  const rows: Row[] = [
    {
      why: 'identity changed: every desired value compared, the old acknowledgements dropped',
      identityChanged: true, acknowledged: { a: 1, b: 'x', old: 9 }, held: { a: '1', b: 'y', c: 'true', other: '7' }, inDoubt: ['a'], recheck: ['b'],
      expected: { acknowledged: { a: 1, c: true }, recheck: [], compared: ['a', 'b', 'c', 'd'], matching: 2 },
    },
    {
      why: 'identity changed, the server holds nothing',
      identityChanged: true, acknowledged: { a: 1 }, held: {}, inDoubt: [], recheck: [],
      expected: { acknowledged: {}, recheck: [], compared: ['a', 'b', 'c', 'd'], matching: 0 },
    },
    {
      why: 'in doubt: only those names compared, the rest kept; they are read back once more',
      identityChanged: false, acknowledged: { a: 1, b: 'x', c: true }, held: { a: '1', b: 'old', c: 'false' }, inDoubt: ['a', 'b'], recheck: [],
      expected: { acknowledged: { a: 1, c: true }, recheck: ['a', 'b'], compared: ['a', 'b'], matching: 1 },
    },
    {
      why: 'recheck only: compared once more, then no more',
      identityChanged: false, acknowledged: { a: 1, d: 2.5 }, held: { d: '2.5' }, inDoubt: [], recheck: ['a', 'd'],
      expected: { acknowledged: { d: 2.5 }, recheck: [], compared: ['a', 'd'], matching: 1 },
    },
    {
      why: 'in doubt and recheck overlap: each name compared once',
      identityChanged: false, acknowledged: {}, held: { a: '1', c: 'true' }, inDoubt: ['a', 'c'], recheck: ['a'],
      expected: { acknowledged: { a: 1, c: true }, recheck: ['a', 'c'], compared: ['a', 'c'], matching: 2 },
    },
    {
      why: 'a name in doubt no longer desired is dropped from acknowledged',
      identityChanged: false, acknowledged: { gone: 3, a: 1 }, held: { gone: '3' }, inDoubt: ['gone'], recheck: [],
      expected: { acknowledged: { a: 1 }, recheck: ['gone'], compared: ['gone'], matching: 0 },
    },
    {
      why: 'a name in doubt no longer desired is not acknowledged, even when the server holds the text "undefined"',
      identityChanged: false, acknowledged: { gone: 'undefined' }, held: { gone: 'undefined' }, inDoubt: ['gone'], recheck: [],
      expected: { acknowledged: {}, recheck: ['gone'], compared: ['gone'], matching: 0 },
    },
    {
      why: 'the comparison is by canonical text: 1 matches "1", not "1.0"',
      identityChanged: false, acknowledged: {}, held: { a: '1.0', d: '2.5' }, inDoubt: ['a', 'd'], recheck: [],
      expected: { acknowledged: { d: 2.5 }, recheck: ['a', 'd'], compared: ['a', 'd'], matching: 1 },
    },
    {
      why: 'an inherited name is not held',
      identityChanged: false, acknowledged: {}, held: {}, inDoubt: ['toString'], recheck: [],
      expected: { acknowledged: {}, recheck: ['toString'], compared: ['toString'], matching: 0 },
    },
  ];
  it.each(rows)('$why', ({ identityChanged, acknowledged, held, inDoubt, recheck, expected }) => {
    const wanted = identityChanged ? desired : { ...desired, toString: 'x' };
    const out = reconcile({ identityChanged, desired: wanted, acknowledged, held, inDoubt: set(...inDoubt), recheck: set(...recheck) });
    expect(out.acknowledged).toEqual(expected.acknowledged);
    expect(sorted(out.recheck)).toEqual(expected.recheck);
    expect([...out.compared].sort()).toEqual(expected.compared);
    expect(out.matching).toBe(expected.matching);
  });

  it('does not change the acknowledged map it was given', () => {
    const acknowledged = { a: 1 };
    reconcile({ identityChanged: false, desired, acknowledged, held: {}, inDoubt: set('a'), recheck: set() });
    expect(acknowledged).toEqual({ a: 1 });
  });
});

describe('afterReadFailure: when what the server holds cannot be read', () => {
  const cases: Array<[errorClass: ErrorClass | undefined, then: 'activate' | 'stop' | 'go-on']> = [
    ['needs-activation', 'activate'],
    ['retryable', 'stop'],
    ['needs-configuration', 'go-on'], // e.g. the endpoint is not there: the send may still work
    ['license-state', 'go-on'],
    ['fatal', 'go-on'],
    [undefined, 'go-on'], // not an API error
  ];
  it.each(cases)('%s → %s', (errorClass, then) => {
    expect(afterReadFailure(errorClass)).toBe(then);
  });
});
