// The one way the window talks to the app: window.deviceAgent, exposed by the preload.
import type { DeviceAgentBridge } from '../preload/contract.ts';

declare global {
  interface Window { deviceAgent: DeviceAgentBridge }
}

export function bridge(): DeviceAgentBridge {
  const b = window.deviceAgent;
  if (!b) throw new Error('window.deviceAgent is missing: the preload did not run');
  return b;
}
