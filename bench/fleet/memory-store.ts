// The engine's state store without a disk: the fleet holds 10 000 agents' state
// in memory. Counts saves, i.e. finished sync cycles.
import { emptySyncState } from '../../app/state/sync-state.ts';
import type { StateStore } from '../../app/state/state-store.ts';
import type { SyncState } from '../../app/state/sync-state.ts';

export interface MemoryStateStore extends StateStore {
  current(): SyncState;
}

export function createMemoryStateStore(onSave: () => void = () => {}, initial: SyncState = emptySyncState()): MemoryStateStore {
  let state = initial;
  return {
    path: ':memory:',
    load: () => state,
    save(next) {
      onSave();
      const changed = next !== state;
      state = next;
      return changed;
    },
    warnings: () => [],
    current: () => state,
  };
}
