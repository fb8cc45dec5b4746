// What the window shows of the updater, held in one place: a change of state keeps the
// check times, a change of times keeps the state, and every change reaches the listeners.
import type { UpdateView } from '../preload/contract.ts';
import type { ViewChange } from './update-decisions.ts';

export interface UpdateViewHolder {
  get(): UpdateView;
  set(next: ViewChange): void;
  /** `nextCheckAt: undefined` removes the next check time. */
  setTimes(times: { lastCheckAt?: number; nextCheckAt?: number | undefined }): void;
  onChange(listener: (view: UpdateView) => void): () => void;
  clear(): void;
}

export function createUpdateView(currentVersion: string): UpdateViewHolder {
  const listeners = new Set<(view: UpdateView) => void>();
  let view: UpdateView = { currentVersion, state: 'idle', summary: 'Checks for updates in the background.', canRestart: false };
  return {
    get: () => view,
    set(next) {
      view = {
        currentVersion, canRestart: false, ...next,
        ...(view.lastCheckAt !== undefined ? { lastCheckAt: view.lastCheckAt } : {}),
        ...(view.nextCheckAt !== undefined ? { nextCheckAt: view.nextCheckAt } : {}),
      };
      for (const l of listeners) l(view);
    },
    setTimes(times) {
      view = { ...view, ...times };
      if (times.nextCheckAt === undefined && 'nextCheckAt' in times) delete view.nextCheckAt;
      for (const l of listeners) l(view);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    clear: () => listeners.clear(),
  };
}
