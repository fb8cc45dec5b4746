// Holds the running engine and swaps it when the configuration changes, so
// the tray and the window keep one status stream across restarts. With no
// usable configuration it reports that, instead of an engine's status.
import type { Agent, AgentStatus, DeactivateResult, SyncResult, SyncTrigger } from '../app/agent-api.ts';
import { ConfigError, formatProblem, type AgentConfig } from '../app/config/index.ts';
import type { ErrorClass } from '../app/licenseapi/error-codes.ts';
import { StateLockedError } from '../app/state/lock.ts';
import type { Logger } from './electron-seam.ts';
import { CLI_NAME, PRODUCT_NAME } from '../app/branding/index.ts';
import { inEnglish } from '../app/sync/status-text.ts';
import type { Message } from '../locales/i18n.ts';

export interface RunningAgent {
  agent: Agent;
  close(): Promise<void>;
  /** Where its state lives (a new one there means a new engine). */
  stateDir?: string;
  /** Takes a new configuration without a restart: the next cycle sends everything, soon (the engine's debounce). */
  reconfigure?(config: AgentConfig): Promise<void>;
}

export interface ReplaceOptions {
  /** Ask the new engine for a sync soon (debounced), instead of waiting for its first scheduled cycle. */
  syncSoon?: boolean;
}

export interface AgentHost {
  /** Replaces the running engine (stops the old one first); undefined stops it and shows `idle`. */
  replace(start: (() => Promise<RunningAgent>) | undefined, idle?: AgentStatus, options?: ReplaceOptions): Promise<void>;
  /** Hands `config` to the running engine if it can take it (same state directory); false when a new engine is needed. */
  reconfigure(config: AgentConfig): Promise<boolean>;
  status(): AgentStatus;
  onStatus(listener: (status: AgentStatus) => void): () => void;
  syncNow(trigger?: SyncTrigger): Promise<SyncResult>;
  trigger(trigger: SyncTrigger): void;
  setPaused(paused: boolean): void;
  /** Deactivates this device through the running engine (which then pauses). */
  deactivate(): Promise<DeactivateResult>;
  close(): Promise<void>;
}

/** English words, or a catalogue message (then said in English here, and in the reader's language by the window and the tray). */
type Words = string | Message;
const english = (words: Words): string => (typeof words === 'string' ? words : inEnglish(words));
const asMessages = (summary: Words, remedy: Words) => ({
  ...(typeof summary === 'string' ? {} : { summaryMessage: summary }),
  ...(typeof remedy === 'string' ? {} : { remedyMessage: remedy }),
});

export function idleStatus(headline: Words, summary: Words, remedy: Words, now = Date.now(), code = 'not_configured', errorClass: ErrorClass = 'needs-configuration'): AgentStatus {
  return {
    phase: 'attention',
    headline: english(headline),
    hardwareId: '',
    product: '',
    licenseDisplay: '',
    apiUrl: '',
    usingSandbox: false,
    error: { code, errorClass, summary: english(summary), remedy: english(remedy), at: now, ...asMessages(summary, remedy) },
    variables: [],
    history: [],
    samples: [],
    collectorFailures: [],
    warnings: [],
  };
}

/** What the tray and the window say when the engine could not start: the problem and the remedy. */
export function startFailedStatus(error: unknown, now = Date.now()): AgentStatus {
  if (error instanceof StateLockedError) {
    const who = error.pid === undefined ? '' : ` (pid ${error.pid})`;
    return idleStatus({ key: 'problem.stateLocked.headline' }, { key: 'problem.stateLocked.summary', params: { product: PRODUCT_NAME, who, dir: error.stateDir } },
      { key: 'problem.stateLocked.remedy', params: { product: PRODUCT_NAME, cli: CLI_NAME } }, now, 'state_locked', 'fatal');
  }
  if (error instanceof ConfigError) {
    return idleStatus({ key: 'problem.configInvalid.headline' }, { key: 'problem.configInvalid.startSummary', params: { problems: error.problems.map(formatProblem).join('; ') } },
      { key: 'problem.configInvalid.startRemedy' }, now, 'config_invalid', 'needs-configuration');
  }
  const message = error instanceof Error ? error.message : String(error);
  return idleStatus({ key: 'problem.startFailed.headline' }, { key: 'problem.startFailed.summary', params: { detail: message } },
    { key: 'problem.startFailed.remedy' }, now, 'start_failed', 'fatal');
}

/**
 * How long replace() waits for an engine's start() before the shell goes on (shows its
 * window). A start decides when the first cycle comes and may collect the static facts
 * to do so: milliseconds here, seconds where they come from PowerShell (Windows).
 */
export const START_WAIT_MS = 1_000;

/** Resolves true when `promise` settles first (rejects with it), false after `ms`. */
function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), ms); });
  return Promise.race([promise.then(() => true), late]).finally(() => clearTimeout(timer));
}

export function createAgentHost(log: Logger, options: { startWaitMs?: number } = {}): AgentHost {
  const startWaitMs = options.startWaitMs ?? START_WAIT_MS;
  let running: RunningAgent | undefined;
  let unsubscribe: (() => void) | undefined;
  let current: AgentStatus = idleStatus({ key: 'problem.starting.headline' }, { key: 'problem.starting.summary' }, { key: 'problem.starting.remedy' });
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
  /** The last start that failed: the next trigger or Sync now tries it again. */
  let failedStart: (() => Promise<RunningAgent>) | undefined;

  const stopRunning = async () => {
    unsubscribe?.();
    unsubscribe = undefined;
    const r = running;
    running = undefined;
    if (r) await r.close();
  };

  /** An engine whose start failed: closed, and shown with the remedy; the next trigger or Sync now tries again. */
  const startFailed = async (start: () => Promise<RunningAgent>, error: unknown) => {
    await stopRunning().catch(() => undefined);
    failedStart = start;
    log.error(`the agent could not start: ${error instanceof Error ? error.message : String(error)}`);
    publish(startFailedStatus(error));
  };

  const host: AgentHost = {
    replace(start, idle, options = {}) {
      // Serialised: two quick settings saves never run two engines at once. A start
      // that fails does not break the chain: the host says why and stays usable.
      const run = async () => {
        await stopRunning();
        failedStart = undefined;
        if (!start) {
          if (idle) publish(idle);
          return;
        }
        try {
          const r = await start();
          running = r;
          unsubscribe = r.agent.onStatus(publish);
          // The last known state at once (the tray appears with it), then the start's decision.
          publish(r.agent.status());
          const starting = r.agent.start();
          if (!await settlesWithin(starting, startWaitMs)) {
            // Still deciding: the shell goes on; a start that fails later is shown like one that fails at once.
            starting.catch((error: unknown) => {
              chain = chain.then(() => (running === r ? startFailed(start, error) : undefined));
            });
          }
          if (options.syncSoon) r.agent.trigger('config-change');
        } catch (error) {
          await startFailed(start, error);
        }
      };
      chain = chain.then(run, run);
      return chain;
    },
    reconfigure(config) {
      const attempt = async (): Promise<boolean> => {
        const r = running;
        if (!r?.reconfigure || r.stateDir !== config.stateDir) return false;
        try {
          await r.reconfigure(config);
          return true;
        } catch (error) {
          // The new configuration does not hold (e.g. a missing caFile): a fresh start shows why.
          log.warn(`the running agent could not take the new settings: ${error instanceof Error ? error.message : String(error)}`);
          return false;
        }
      };
      const result = chain.then(attempt, attempt);
      chain = result.then(() => undefined);
      return result;
    },
    status: () => (running ? running.agent.status() : current),
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async syncNow(trigger = 'manual') {
      if (!running && failedStart) await host.replace(failedStart);
      if (!running) return { ok: false, sent: 0, ...(current.error ? { error: current.error } : {}) };
      return running.agent.syncNow(trigger);
    },
    trigger(trigger) {
      if (!running && failedStart) {
        void host.replace(failedStart);
        return;
      }
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
  return host;
}
