// Which trigger a debounced burst runs as: several triggers within the debounce window
// make one cycle, named for the weightiest of them (a configuration change outranks a
// resume, which outranks the network coming back; the rest rank alike and the first stays).
import type { SyncTrigger } from '../agent-api.ts';

const TRIGGER_RANK: Partial<Record<SyncTrigger, number>> = { 'config-change': 3, resume: 2, 'network-back': 1 };

/** The trigger a pending burst runs as once `incoming` joins it. */
export function rankedTrigger(pending: SyncTrigger | undefined, incoming: SyncTrigger): SyncTrigger {
  if (pending === undefined) return incoming;
  return (TRIGGER_RANK[incoming] ?? 0) > (TRIGGER_RANK[pending] ?? 0) ? incoming : pending;
}
