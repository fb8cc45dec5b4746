import { describe, expect, it } from 'vitest';
import { isRefreshDue } from './refresh-due.ts';

const DAY = 24 * 60 * 60_000;
const T = 1_800_000_000_000;

describe('isRefreshDue: the static facts and the license check', () => {
  const cases: Array<[why: string, forced: boolean, lastAt: number | undefined, now: number, due: boolean]> = [
    ['never done', false, undefined, T, true],
    ['forced, although just done', true, T, T, true],
    ['just done', false, T, T, false],
    ['one ms short of the period', false, T - DAY + 1, T, false],
    ['exactly one period old', false, T - DAY, T, true],
    ['older than a period', false, T - 2 * DAY, T, true],
    ['the clock went back by one ms', false, T + 1, T, true],
    ['the clock went back by a day', false, T + DAY, T, true],
  ];
  it.each(cases)('%s → due %s', (_why, forced, lastAt, now, due) => {
    expect(isRefreshDue({ forced, lastAt, now, everyMs: DAY })).toBe(due);
  });

  it('measures the age against its own period', () => {
    expect(isRefreshDue({ forced: false, lastAt: T - 60_000, now: T, everyMs: 60_000 })).toBe(true);
    expect(isRefreshDue({ forced: false, lastAt: T - 59_999, now: T, everyMs: 60_000 })).toBe(false);
  });
});
