// What the persisted state forgets when the identity its acknowledged values belong to
// changes (engine.ts's identityHash: server, credentials, device, license), when the device
// is deactivated, and when the settings change. Acknowledged values belong to one identity:
// under another the server may hold none of them, so everything is sent (or reconciled) again.
import type { SyncState } from '../state/sync-state.ts';

/**
 * The state a cycle under identity `hash` starts from: unchanged when the acknowledged values
 * belong to it; otherwise nothing counts as acknowledged, the daily full refresh is due and the
 * license answer (given to another identity) is dropped.
 */
export function forIdentity(state: SyncState, hash: string): { state: SyncState; changed: boolean } {
  if (state.identityHash === hash) return { state, changed: false };
  return { state: { ...state, acknowledged: {}, identityHash: hash, lastFullRefreshAt: undefined, license: undefined }, changed: true };
}

/**
 * After a deactivation: no identity, nothing acknowledged, no error to show, and the
 * once-a-day activation limit lifted (an activation is the user's next step).
 */
export function forgetIdentity(state: SyncState): SyncState {
  return { ...state, acknowledged: {}, identityHash: undefined, lastFullRefreshAt: undefined, lastError: undefined, lastActivationAttempt: undefined, license: undefined };
}

/**
 * After a configuration change new credentials (or anything else) must prove themselves:
 * the next cycle sends every value, so a wrong key shows at once instead of when a value next
 * changes, and an activation may be tried again at once.
 */
export function afterSettingsChange(state: SyncState): SyncState {
  return { ...state, lastFullRefreshAt: undefined, lastActivationAttempt: undefined };
}
