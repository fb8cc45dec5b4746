// Decides how the engine runs from the settings it is given — configured,
// against the embedded sandbox (nothing configured, not packaged), or not at
// all (the window asks for settings) — and (re)starts it in the agent host.
import { join } from 'node:path';
import { ConfigError, checkReady, resolveConfig, type AgentConfig } from '../app/config/index.ts';
import type { ManagedConfig } from '../app/config/managed.ts';
import type { VariablesDirs } from '../app/create-agent.ts';
import { idleStatus, type AgentHost, type RunningAgent } from './agent-host.ts';
import type { Logger } from './electron-seam.ts';
import { fieldLabel } from '../preload/contract.ts';
import { UserFacingError } from '../app/errors/user-facing-error.ts';
import { formFieldForConfigKey, WINDOW_FIELDS } from './settings-fields.ts';

/** The configuration keys the window has a field for, as words in a message ("is required with apiKey"). */
const WINDOW_KEY_WORDS = new RegExp(`\\b(${WINDOW_FIELDS.flatMap((f) => (f.key === undefined ? [] : [f.key])).join('|')})\\b`, 'g');

export type RunMode = 'configured' | 'sandbox' | 'unconfigured' | 'invalid';

export interface EngineOptions {
  fetch?: typeof fetch;
  usingSandbox?: boolean;
  appVersion?: string;
  /** The embedded sandbox's response-signing key. */
  publicKeyPem?: string;
  /** Shell warnings to show in status (e.g. weak secret storage). */
  warnings?: string[];
  /** First cycle at once instead of a delay that follows the persisted state. */
  startImmediately?: boolean;
  /** The first cycle's short splay (tests; see testShortSplayMs). */
  shortSplayMs?: number;
  /** Where other programs publish variables (beside the managed file, in the state directory). */
  variablesDirs?: VariablesDirs;
}

export interface ApplyOptions {
  /**
   * The app's first run: the first cycle runs at once. Otherwise a new engine's
   * first cycle follows what its persisted state says (app/sync/schedule.ts,
   * firstCycle): within seconds, within 2 min, or a random part of the interval,
   * so that machines starting together do not reach the server together.
   */
  startImmediately?: boolean;
  /**
   * A person just saved settings: the running engine takes them without a
   * restart (it sends everything again, so wrong credentials show at once), or a
   * new engine syncs soon. "Soon" is the engine's debounce: the window saves
   * settings and secrets in two calls, and only the complete change may be sent.
   */
  saved?: boolean;
}
export type CreateAgentFn = (config: AgentConfig, options: EngineOptions) => Promise<RunningAgent>;
/** Starts the embedded sandbox; gives the configuration values that point at it. */
export type StartSandboxFn = () => Promise<{ values: Record<string, unknown>; publicKeyPem?: string; close(): Promise<void> }>;

export interface EngineRunnerDeps {
  host: AgentHost;
  createAgent: CreateAgentFn;
  startSandbox?: StartSandboxFn;
  isPackaged: boolean;
  stateDir: string;
  appVersion: string;
  fetch?: typeof fetch;
  log: Logger;
  /** Read for DEVICE_AGENT_TEST_SHORT_SPLAY_MS when not packaged (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** The drop-in folders (app/collect/drop-in.ts): the engine reads them at every cycle. */
  variablesDirs?: VariablesDirs;
}

/** The longest short splay the test knob may set (the default one). */
const MAX_TEST_SHORT_SPLAY_MS = 120_000;

/**
 * DEVICE_AGENT_TEST_SHORT_SPLAY_MS: the first cycle's short splay in ms, so that a test
 * restarting the app with a changed static fact need not wait up to 2 min. Honoured only
 * by an unpackaged app (a shipped one ignores it, as it ignores DEVICE_AGENT_MANAGED_CONFIG);
 * a value that is not a whole number of ms in [0, 120000] is ignored with a warning.
 */
export function testShortSplayMs(env: NodeJS.ProcessEnv, isPackaged: boolean, log: Logger): number | undefined {
  const text = env.DEVICE_AGENT_TEST_SHORT_SPLAY_MS;
  if (isPackaged || text === undefined || text === '') return undefined;
  const ms = Number(text);
  if (/^\d+$/.test(text.trim()) && ms <= MAX_TEST_SHORT_SPLAY_MS) return ms;
  log.warn(`DEVICE_AGENT_TEST_SHORT_SPLAY_MS ignored: ${JSON.stringify(text.slice(0, 40))} is not a whole number of ms from 0 to ${MAX_TEST_SHORT_SPLAY_MS}`);
  return undefined;
}

type Layer = ManagedConfig['layer'];

function layerOf(values: Record<string, unknown>, label: string): Layer {
  const layer: Layer = { values: Object.create(null), origin: Object.create(null) };
  for (const [k, v] of Object.entries(values)) {
    layer.values[k] = v;
    layer.origin[k] = label;
  }
  return layer;
}

/** Managed over user settings, validated; a bad value becomes a UserFacingError naming the form field. */
export function composeConfig(userValues: Record<string, unknown>, managed: ManagedConfig | undefined, stateDir: string): AgentConfig {
  try {
    const layers = [...(managed ? [managed.layer] : []), layerOf(userValues, 'settings')];
    return resolveConfig(layers, { stateDir });
  } catch (error) {
    if (error instanceof ConfigError) {
      const p = error.problems[0];
      const field = formFieldForConfigKey(p?.field ?? '');
      throw new UserFacingError(field, p ? `${fieldLabel(field)}: ${p.message}${p.source && p.source !== 'settings' ? ` (from ${p.source})` : ''}` : error.message);
    }
    throw error;
  }
}

export interface EngineRunner {
  /** (Re)starts the engine for these settings; returns how it runs. */
  apply(userValues: Record<string, unknown>, managed: ManagedConfig | undefined, options?: ApplyOptions): Promise<RunMode>;
  mode(): RunMode;
  close(): Promise<void>;
}

export function createEngineRunner(deps: EngineRunnerDeps): EngineRunner {
  let mode: RunMode = 'unconfigured';
  let sandbox: Awaited<ReturnType<StartSandboxFn>> | undefined;

  const stopSandbox = async () => {
    const s = sandbox;
    sandbox = undefined;
    if (s) await s.close();
  };

  return {
    async apply(userValues, managed, applyOptions = {}) {
      let config: AgentConfig;
      try {
        config = composeConfig(userValues, managed, deps.stateDir);
      } catch (error) {
        if (!(error instanceof UserFacingError)) throw error;
        mode = 'invalid';
        await deps.host.replace(undefined, idleStatus({ key: 'problem.configInvalid.headline' }, { key: 'problem.configInvalid.summary', params: { detail: error.message } }, { key: 'problem.configInvalid.remedy' }));
        await stopSandbox();
        return mode;
      }
      const ready = checkReady(config);
      const shortSplayMs = testShortSplayMs(deps.env ?? process.env, deps.isPackaged, deps.log);
      const options: EngineOptions = {
        appVersion: deps.appVersion,
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
        ...(applyOptions.startImmediately ? { startImmediately: true } : {}),
        ...(shortSplayMs !== undefined ? { shortSplayMs } : {}),
        ...(deps.variablesDirs ? { variablesDirs: deps.variablesDirs } : {}),
      };
      if (ready.ready) {
        const wasConfigured = mode === 'configured';
        mode = 'configured';
        if (wasConfigured && applyOptions.saved && await deps.host.reconfigure(config)) return mode;
        await deps.host.replace(() => deps.createAgent(config, { ...options, usingSandbox: false }), undefined, { syncSoon: applyOptions.saved === true });
        await stopSandbox();
        return mode;
      }
      if (ready.nothingConfigured && !deps.isPackaged && deps.startSandbox) {
        const startSandbox = deps.startSandbox;
        if (mode !== 'sandbox') {
          mode = 'sandbox';
          deps.log.warn('nothing configured and not packaged: running against the embedded sandbox');
          // Started inside the host, so that a sandbox that cannot start is shown like
          // any engine that cannot start (and retried), never a silent quit.
          await deps.host.replace(async () => {
            sandbox ??= await startSandbox();
            const started = sandbox;
            const sandboxConfig = composeConfig({ ...started.values, autoActivate: true }, undefined, join(deps.stateDir, 'sandbox-agent'));
            // The engine talks to the loopback sandbox directly (no system proxy), and
            // syncs at once: a demo has no fleet to spread out.
            return deps.createAgent(sandboxConfig, {
              appVersion: deps.appVersion, usingSandbox: true, startImmediately: true, ...(started.publicKeyPem ? { publicKeyPem: started.publicKeyPem } : {}),
              ...(deps.variablesDirs ? { variablesDirs: deps.variablesDirs } : {}),
            });
          });
        }
        return mode;
      }
      mode = 'unconfigured';
      // The form's labels, also for the keys the message names ("is required with apiKey").
      const labelled = (text: string) => text.replace(WINDOW_KEY_WORDS, (k) => fieldLabel(formFieldForConfigKey(k)));
      const missing = ready.missing.map((m) => `${fieldLabel(formFieldForConfigKey(m.field))} ${labelled(m.message)}`).join('; ');
      await deps.host.replace(undefined, idleStatus({ key: 'problem.notConfigured.headline' }, { key: 'problem.notConfigured.summary', params: { missing } }, { key: 'problem.notConfigured.remedy' }));
      await stopSandbox();
      return mode;
    },
    mode: () => mode,
    async close() {
      await deps.host.close();
      await stopSandbox();
    },
  };
}
