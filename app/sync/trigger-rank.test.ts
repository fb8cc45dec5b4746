import { describe, expect, it } from 'vitest';
import type { SyncTrigger } from '../agent-api.ts';
import { rankedTrigger } from './trigger-rank.ts';

describe('rankedTrigger: the trigger a debounced burst runs as', () => {
  const cases: Array<[pending: SyncTrigger | undefined, incoming: SyncTrigger, runsAs: SyncTrigger]> = [
    // nothing pending: the incoming trigger, whatever its rank
    [undefined, 'network-back', 'network-back'],
    [undefined, 'manual', 'manual'],
    // a weightier trigger replaces the pending one
    ['network-back', 'resume', 'resume'],
    ['network-back', 'config-change', 'config-change'],
    ['resume', 'config-change', 'config-change'],
    ['manual', 'network-back', 'network-back'],
    // a lighter one does not
    ['config-change', 'resume', 'config-change'],
    ['config-change', 'network-back', 'config-change'],
    ['resume', 'network-back', 'resume'],
    ['network-back', 'manual', 'network-back'],
    // equal rank: the first one stays
    ['resume', 'resume', 'resume'],
    ['manual', 'timer', 'manual'],
    ['timer', 'daily-refresh', 'timer'],
  ];
  it.each(cases)('pending %s, then %s → runs as %s', (pending, incoming, runsAs) => {
    expect(rankedTrigger(pending, incoming)).toBe(runsAs);
  });
});
