// Resume from sleep, and the network coming back, ask the agent for a sync.
import type { SyncTrigger } from '../app/agent-api.ts';
import type { PowerMonitorSeam } from './electron-seam.ts';

export interface PowerEventsDeps {
  powerMonitor: PowerMonitorSeam;
  isOnline: () => boolean;
  trigger: (reason: SyncTrigger) => void;
  /** How often to look at connectivity (Electron's main process has no online event). */
  pollMs?: number;
  setInterval?: (fn: () => void, ms: number) => { unref?(): void };
  clearInterval?: (handle: never) => void;
}

export function enablePowerEvents(deps: PowerEventsDeps): () => void {
  const onResume = () => deps.trigger('resume');
  const onUnlock = () => deps.trigger('resume');
  deps.powerMonitor.on('resume', onResume);
  deps.powerMonitor.on('unlock-screen', onUnlock);

  let online = deps.isOnline();
  const every = deps.setInterval ?? setInterval;
  const stop = deps.clearInterval ?? clearInterval;
  const handle = every(() => {
    const now = deps.isOnline();
    if (now && !online) deps.trigger('network-back');
    online = now;
  }, deps.pollMs ?? 15_000);
  handle.unref?.();

  return () => {
    deps.powerMonitor.off('resume', onResume);
    deps.powerMonitor.off('unlock-screen', onUnlock);
    stop(handle as never);
  };
}
