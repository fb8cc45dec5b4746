// The long variant of test/reliability/lock-race.test.ts: more starters, many more rounds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadPid, plantStaleLock, STALE_KINDS, startContenders, tempLockDir } from '../reliability/lock-race-harness.ts';
import type { Contenders } from '../reliability/lock-race-harness.ts';

const CONTENDERS = 32;
const ROUNDS = 500;

describe('the lock under a long race', () => {
  let contenders: Contenders;
  beforeAll(async () => {
    contenders = await startContenders(CONTENDERS);
  }, 120_000);
  afterAll(async () => {
    await contenders?.close();
  });

  it(`${CONTENDERS} starters × ${ROUNDS} rounds over every kind of stale lock: exactly one holder each round`, async () => {
    const dir = await tempLockDir();
    const dead = await deadPid();
    const counts: Record<number, number> = {};
    for (let round = 0; round < ROUNDS; round++) {
      await plantStaleLock(dir, STALE_KINDS[round % STALE_KINDS.length]!, dead, process.pid);
      const results = await contenders.race(dir);
      const holders = results.filter((r) => r.held).length;
      counts[holders] = (counts[holders] ?? 0) + 1;
      expect(results.filter((r) => !r.held && !r.refused)).toEqual([]);
      await contenders.release();
    }
    console.log(`holders per round: ${JSON.stringify(counts)}`);
    expect(counts).toEqual({ 1: ROUNDS });
  });
});
