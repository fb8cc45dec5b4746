import { describe, expect, it } from 'vitest';
import { emptySyncState } from '../state/sync-state.ts';
import type { SyncState } from '../state/sync-state.ts';
import { afterSettingsChange, forgetIdentity, forIdentity } from './identity-change.ts';

const T = 1_800_000_000_000;

/** A state with every field set, so each row shows what is kept and what is forgotten. */
const FULL: SyncState = {
  ...emptySyncState(),
  desired: { cpu: 5, host: 'pc' },
  acknowledged: { cpu: 4, host: 'pc' },
  identityHash: 'old-hash',
  staticValues: { host: 'pc' },
  lastStaticAt: T - 5,
  lastFullRefreshAt: T - 4,
  lastAttemptAt: T - 3,
  lastSuccessAt: T - 2,
  lastError: { code: 'timeout', errorClass: 'retryable', summary: 's', remedy: 'r', at: T - 1 },
  lastActivationAttempt: { identityHash: 'old-hash', at: T - 6 },
  license: { checkedAt: T - 7, active: true },
  history: [{ at: T - 2, outcome: 'ok', sent: 2 }],
  samples: [{ at: T - 2, values: { cpu: 4 } }],
};

type Field = keyof SyncState;
const ALL = Object.keys(FULL) as Field[];

/** The fields a function changed, and to what. */
function changes(before: SyncState, after: SyncState): Partial<SyncState> {
  return Object.fromEntries(ALL.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).map((k) => [k, after[k]]));
}

describe('what each event forgets (the rest of the state is kept as it was)', () => {
  const rows: Array<[event: string, apply: (s: SyncState) => SyncState, forgotten: Partial<SyncState>]> = [
    ['a cycle under the same identity', (s) => forIdentity(s, 'old-hash').state, {}],
    ['a cycle under another identity', (s) => forIdentity(s, 'new-hash').state, { acknowledged: {}, identityHash: 'new-hash', lastFullRefreshAt: undefined, license: undefined }],
    ['a deactivation', forgetIdentity, { acknowledged: {}, identityHash: undefined, lastFullRefreshAt: undefined, lastError: undefined, lastActivationAttempt: undefined, license: undefined }],
    ['a settings change', afterSettingsChange, { lastFullRefreshAt: undefined, lastActivationAttempt: undefined }],
  ];
  it.each(rows)('%s', (_event, apply, forgotten) => {
    const before = structuredClone(FULL);
    const after = apply(before);
    expect(changes(FULL, after)).toEqual(forgotten);
    expect(before).toEqual(FULL); // the given state is not changed in place
  });
});

describe('forIdentity: whether the acknowledged values belong to this identity', () => {
  const rows: Array<[stored: string | undefined, current: string, changed: boolean]> = [
    ['old-hash', 'old-hash', false],
    ['old-hash', 'new-hash', true],
    [undefined, 'new-hash', true], // a first run, a deactivated device, a quarantined state file
  ];
  it.each(rows)('stored %s, now %s → changed %s', (stored, current, changed) => {
    const out = forIdentity({ ...FULL, identityHash: stored }, current);
    expect(out.changed).toBe(changed);
    expect(out.state.identityHash).toBe(current);
    expect(out.state.acknowledged).toEqual(changed ? {} : FULL.acknowledged);
  });

  it('returns the very state when nothing changed (no copy to persist)', () => {
    expect(forIdentity(FULL, 'old-hash').state).toBe(FULL);
  });
});
