// Runs in the test page before its scripts (bundled by harness.ts): window.deviceAgent is
// the contract's own bridge (createBridge, as the preload builds it) over the page binding
// __deviceAgentInvoke, with status pushes arriving through __deviceAgentPush.
import { createBridge, type StatusView } from '../../preload/contract.ts';

const page = window as unknown as {
  __deviceAgentInvoke(channel: string, payload?: unknown): Promise<never>;
  __deviceAgentPush?: (status: StatusView) => void;
  deviceAgent?: unknown;
};
const listeners = new Set<(status: StatusView) => void>();
page.__deviceAgentPush = (status) => { for (const listener of listeners) listener(status); };
page.deviceAgent = Object.freeze(createBridge(
  (channel, ...payload) => page.__deviceAgentInvoke(channel, ...payload),
  (_channel, listener) => {
    listeners.add(listener);
    return () => { listeners.delete(listener); };
  },
));
