import { describe, expect, it } from 'vitest';
import { emptySyncState } from './sync-state.ts';
import { durableText, keepBack, type KeepBackFacts } from './write-policy.ts';

const HOUR = 60 * 60_000;
const base: KeepBackFacts = { again: false, writeFailed: false, sameDurable: true, keptSince: undefined, now: 10 * HOUR, volatileFlushMs: HOUR };

describe('keepBack: whether a save waits', () => {
  it.each<[string, Partial<KeepBackFacts>, boolean]>([
    ['only volatile fields changed, nothing kept back yet', {}, true],
    ['kept back for less than the flush age', { keptSince: 10 * HOUR - HOUR + 1 }, true],
    ['kept back for the flush age', { keptSince: 9 * HOUR }, false],
    ['a durable field changed', { sameDurable: false }, false],
    ['the same state saved twice in a row', { again: true }, false],
    ['the last write failed', { writeFailed: true }, false],
  ])('%s → %s', (_what, facts, waits) => {
    expect(keepBack({ ...base, ...facts })).toBe(waits);
  });
});

describe('durableText', () => {
  it('leaves out samples, history and the attempt/success times; keeps what the server acknowledged', () => {
    const state = { ...emptySyncState(), acknowledged: { a: 1 } };
    const busier = { ...state, samples: [{ at: 1, values: { cpu: 3 } }], history: [{ at: 1, outcome: 'ok' as const, sent: 1 }], lastAttemptAt: 5, lastSuccessAt: 5 };
    expect(durableText(busier)).toBe(durableText(state));
    expect(durableText({ ...state, acknowledged: { a: 2 } })).not.toBe(durableText(state));
  });
});
