// Soak: kill -9 during state writes, 4 × 100 times (the CI test does 50).
import { describe, expect, it } from 'vitest';
import { killLoop } from '../reliability/kill-loop.ts';

const ROUNDS = Number(process.env.SOAK_KILL_ROUNDS ?? 100);

describe('kill -9 during state writes (soak)', () => {
  it(`leaves a readable, valid state file every time (4 × ${ROUNDS} kills)`, async () => {
    const results = await Promise.all([killLoop(ROUNDS), killLoop(ROUNDS), killLoop(ROUNDS), killLoop(ROUNDS)]);
    for (const { generations, leftovers } of results) {
      expect(generations).toEqual(generations.map((_, i) => i + 1));
      expect(leftovers).toEqual([]);
    }
  });
});
