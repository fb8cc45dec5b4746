import { describe, expect, it } from 'vitest';
import { isApiErrorLike, realClock } from './ports.ts';

describe('isApiErrorLike', () => {
  const full = { code: 'c', errorClass: 'retryable', summary: 's', remedy: 'r' };
  it.each([
    [full, true],
    [{ ...full, extra: 1 }, true],
    [{ ...full, code: 1 }, false],
    [{ ...full, errorClass: undefined }, false],
    [{ ...full, summary: null }, false],
    [{ ...full, remedy: [] }, false],
    [null, false],
    [undefined, false],
    ['code', false],
    [42, false],
  ])('%j: %s', (value, like) => {
    expect(isApiErrorLike(value)).toBe(like);
  });
});

describe('realClock', () => {
  it('tells the time, fires a timer, and cancels one', async () => {
    expect(Math.abs(realClock.now() - Date.now())).toBeLessThan(50);
    const fired = await new Promise<boolean>((resolve) => { realClock.setTimeout(() => resolve(true), 1); });
    expect(fired).toBe(true);
    let cancelledFired = false;
    const handle = realClock.setTimeout(() => { cancelledFired = true; }, 5);
    realClock.clearTimeout(handle);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(cancelledFired).toBe(false);
  });
});
