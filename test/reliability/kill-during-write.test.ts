// kill -9 during state writes, 50 times (test/soak/ repeats it a few hundred times).
import { describe, expect, it } from 'vitest';
import { killLoop } from './kill-loop.ts';

describe('kill -9 during state writes', () => {
  it('leaves a readable, valid state file every time (2 × 25 kills at random moments)', async () => {
    const results = await Promise.all([killLoop(25), killLoop(25)]);
    for (const { generations, leftovers } of results) {
      // Each child read what the previous one left (its generation follows), so nothing went back in time.
      expect(generations).toEqual(generations.map((_, i) => i + 1));
      expect(leftovers).toEqual([]);
    }
  }, 60_000);
});
