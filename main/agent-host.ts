// Holds the running engine and swaps it when the configuration changes, so
// the tray and the window keep one status stream across restarts. With no
// usable configuration it reports that, instead of an engine's status.
import type { Agent, AgentStatus, DeactivateResult, SyncResult, SyncTrigger } from '../app/agent-api.ts';
import type { Logger } from './electron-seam.ts';

export interface RunningAgent {
  agent: Agent;
  close(): Promise<void>;
}

export interface AgentHost {
  /** Replaces the running engine (stops the old one first); undefined stops it and shows `idle`. */
  replace(start: (() => Promise<RunningAgent>) | undefined, idle?: AgentStatus): Promise<void>;
  status(): AgentStatus;
  onStatus(listener: (status: AgentStatus) => void): () => void;
  syncNow(trigger?: SyncTrigger): Promise<SyncResult>;
  trigger(trigger: SyncTrigger): void;
  setPaused(paused: boolean): void;
  /** Deactivates this device through the running engine (which then pauses). */
  deactivate(): Promise<DeactivateResult>;
  close(): Promise<void>;
}

export function idleStatus(headline: string, summary: string, remedy: string, now = Date.now()): AgentStatus {
  return {
    phase: 'attention',
    headline,
    hardwareId: '',
    product: '',
    licenseDisplay: '',
    apiUrl: '',
    usingSandbox: false,
    error: { code: 'not_configured', errorClass: 'needs-configuration', summary, remedy, at: now },
    variables: [],
    history: [],
    samples: [],
    collectorFailures: [],
    warnings: [],
  };
}

export function createAgentHost(log: Logger): AgentHost {
  let running: RunningAgent | undefined;
  let unsubscribe: (() => void) | undefined;
  let current: AgentStatus = idleStatus('Starting…', 'The agent is starting.', 'Wait a moment.');
  current.phase = 'starting';
  current.error = undefined;
  const listeners = new Set<(status: AgentStatus) => void>();
  const publish = (status: AgentStatus) => {
    current = status;
    for (const l of listeners) {
      try {
        l(status);
      } catch (error) {
        log.error(`status listener failed: ${(error as Error).message}`);
      }
    }
  };
  let chain: Promise<void> = Promise.resolve();

  const stopRunning = async () => {
    unsubscribe?.();
    unsubscribe = undefined;
    const r = running;
    running = undefined;
    if (r) await r.close();
  };

  return {
    replace(start, idle) {
      // Serialised: two quick settings saves never run two engines at once.
      chain = chain.then(async () => {
        await stopRunning();
        if (!start) {
          if (idle) publish(idle);
          return;
        }
        const r = await start();
        running = r;
        unsubscribe = r.agent.onStatus(publish);
        publish(r.agent.status());
        await r.agent.start();
      });
      return chain;
    },
    status: () => (running ? running.agent.status() : current),
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async syncNow(trigger = 'manual') {
      if (!running) return { ok: false, sent: 0, ...(current.error ? { error: current.error } : {}) };
      return running.agent.syncNow(trigger);
    },
    trigger(trigger) {
      running?.agent.trigger(trigger);
    },
    setPaused(paused) {
      running?.agent.setPaused(paused);
    },
    async deactivate() {
      if (!running) {
        const now = Date.now();
        return { ok: false, error: current.error ?? { code: 'not_running', errorClass: 'needs-configuration', summary: 'The agent is not running.', remedy: 'Complete the settings first.', at: now } };
      }
      return running.agent.deactivate();
    },
    async close() {
      await chain.catch(() => undefined);
      await stopRunning();
    },
  };
}
