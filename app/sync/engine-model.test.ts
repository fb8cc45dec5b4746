// initialModel(): what a new engine knows before its first event, from its options and the
// persisted state.
import { describe, expect, it } from 'vitest';
import type { AgentErrorView } from '../agent-api.ts';
import { emptySyncState } from '../state/sync-state.ts';
import type { SyncState } from '../state/sync-state.ts';
import { initialModel } from './engine-model.ts';
import { engineOptions } from '../../test/support/engine-model.ts';

const error = (code: string): AgentErrorView => ({ code, errorClass: 'license-state', summary: 's', remedy: 'r', at: 1 });

describe('initialModel', () => {
  it('a new engine: idle, not started, static facts due, the schedule at its first attempt', () => {
    const m = initialModel(engineOptions(), emptySyncState(), 0);
    expect(m).toMatchObject({ started: false, stopped: false, paused: false, syncing: false, timerArmed: false, staticDue: true, restored: true, cyclesBegun: 0, sched: { attempt: 0 }, deactivated: false });
    expect(m.license).toBeUndefined();
    expect(m.lastLicenseCheckAt).toBeUndefined();
  });

  // At start (the daemon, the desktop app); for `once` (checkLicenseAtStart false) only when the last run ended on the license.
  const cases: Array<[name: string, checkLicenseAtStart: boolean | undefined, lastError: AgentErrorView | undefined, due: boolean]> = [
    ['the daemon, nothing known', undefined, undefined, true],
    ['the daemon after a license error', true, error('license_expired'), true],
    ['once, nothing known', false, undefined, false],
    ['once after a network error', false, error('timeout'), false],
    ['once after a license error', false, error('license_expired'), true],
  ];
  it.each(cases)('license check due at start: %s → %s', (_, checkLicenseAtStart, lastError, due) => {
    const state: SyncState = { ...emptySyncState(), ...(lastError ? { lastError } : {}) };
    const options = engineOptions(checkLicenseAtStart === undefined ? {} : { checkLicenseAtStart });
    expect(initialModel(options, state, 0).licenseCheckDue).toBe(due);
  });

  it('the persisted license answer is shown as of now, and counts as the last check', () => {
    const state: SyncState = { ...emptySyncState(), license: { checkedAt: 1_000, active: true, expiresAt: 1_000 + 5 * 86_400_000 } as SyncState['license'] };
    const m = initialModel(engineOptions(), state, 1_000 + 2 * 86_400_000);
    expect(m.lastLicenseCheckAt).toBe(1_000);
    expect(m.license).toMatchObject({ checkedAt: 1_000, active: true, daysLeft: 3 });
  });
});
