// The composition root of the engine: from a validated configuration to a
// running Agent. The CLI and the Electron shell both start the agent here and
// hand in what differs between them (a store, a fetch, a version).
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { release } from 'node:os';
import { maskLicenseKey } from './license-key-mask.ts';
import type { HardwareIdSourceView } from './agent-api.ts';
import type { VariableCollector } from './collect/collector.ts';
import { checkReady, ConfigError, type AgentConfig, type AuthConfig } from './config/index.ts';
import { isRemotePlainHttp } from './config/schema.ts';
import { readHardwareIdFile } from './identity/hardware-id-file.ts';
import { IdentityConfigError, hardwareIdSourceMessage, resolveIdentity, type Identity } from './identity/resolve-identity.ts';
import type { LicenseApiClient } from './licenseapi/client.ts';
import { CLI_NAME } from './branding/index.ts';
import { inEnglish } from './sync/status-text.ts';
import type { Message } from '../locales/i18n.ts';
import { createLogger, type Logger } from './log/logger.ts';
import { acquireStateLock, type StateLock } from './state/lock.ts';
import { prepareStateDir } from './state/state-dir.ts';
import { openStateStore, type ConfLike } from './state/state-store.ts';
import type { AtomicWriteFs } from './state/write-file-atomic.ts';
import { createSyncEngine, type EngineOptions, type SyncEngine } from './sync/engine.ts';
import { AGENT_VERSION } from './version.ts';
import { buildClient, replyKeyFor } from './agent-client.ts';
import { activationFacts, appVersionOf, buildCollector, type VariablesDirs } from './agent-collector.ts';

export { CA_FILE_MAX_BYTES, PUBLIC_KEY_MAX_BYTES, replyKeyFor } from './agent-client.ts';
export { buildVariableCollector, type VariablesDirs } from './agent-collector.ts';

export interface CreateAgentOptions {
  /** An electron-store (or any Conf) instance for the state; default: state.json in the state dir. */
  conf?: ConfLike;
  /** The file system state writes go through (node:fs/promises); tests make it fail like a full disk. */
  stateFs?: AtomicWriteFs;
  /** Electron's net.fetch, so system proxy/PAC/certificates apply; default: Node's HTTP stack. */
  fetch?: typeof globalThis.fetch;
  /** Running against the embedded sandbox (shown in status). */
  usingSandbox?: boolean;
  /** Public key as PEM text (the embedded sandbox's); wins over config.publicKey. */
  publicKeyPem?: string;
  /** Version of the host application (the desktop app), sent as app_version. */
  appVersion?: string;
  appName?: string;
  /** Also write log lines to stderr. */
  logToConsole?: boolean;
  /** First cycle right after start (the demo, the desktop app's first run and sandbox); otherwise its delay follows the persisted state. */
  startImmediately?: boolean;
  /** The first cycle's short splay (values left unsent, a static fact changed); default 2 min. Only tests shorten it. */
  shortSplayMs?: number;
  /** false: ask check_license only when the persisted answer is a day old (`once`, run from cron); default true. */
  checkLicenseAtStart?: boolean;
  /** Warnings from the host to show in status (e.g. insecure secret storage). */
  warnings?: string[];
  /** A logger to use instead of the file logger in the state directory. */
  logger?: Logger;
  /** Where other programs publish variables (app/collect/drop-in.ts); default beside the managed file and in the state directory. */
  variablesDirs?: VariablesDirs;
}

export interface AgentHandle {
  agent: SyncEngine;
  /** The hardware id at start ('' while a hardwareIdFile cannot be read yet; the engine reads it again every cycle). */
  hardwareId: string;
  identity: Identity;
  collector: VariableCollector;
  client: LicenseApiClient;
  logger: Logger;
  stateDir: string;
  /** Applies a new configuration (identity, credentials, interval...) without restarting. */
  reconfigure(config: AgentConfig): Promise<void>;
  /** Stops the schedule, aborts a request in flight, waits for the state write, releases the lock. Every call waits for the same stop. */
  close(): Promise<void>;
}

/** Shown (status window, CLI) while the company-wide shared key signs this device's requests. */
const SHARED_KEY_MESSAGE: Message = { key: 'warning.sharedKey' };
export const SHARED_KEY_WARNING = inEnglish(SHARED_KEY_MESSAGE);

/** The key with all but its last 4 characters masked, or the username. */
export function licenseDisplay(config: Pick<AgentConfig, 'licenseKey' | 'username'>): string {
  if (config.licenseKey) return maskLicenseKey(config.licenseKey);
  return config.username ?? '';
}

/**
 * A keyed hash of the credentials (HMAC-SHA256 keyed with the secret itself, over the
 * public half): it changes whenever the credentials do, and the state file that keeps it
 * holds nothing from which the secret can be read back.
 */
export function credentialTag(auth: AuthConfig): string {
  const [secret, publicPart] = auth.kind === 'hmac' ? [auth.sharedKey, auth.apiKey] : [auth.clientSecret, `${auth.clientId}\u0000${auth.tokenUrl}`];
  return createHmac('sha256', secret).update(`device-agent credentials v1\u0000${auth.kind}\u0000${publicPart}`).digest('hex');
}

function requireReady(config: AgentConfig): AuthConfig {
  const ready = checkReady(config);
  if (!ready.ready) throw new ConfigError(ready.missing);
  return ready.auth;
}

function hardwareIdSourceView(config: AgentConfig, identity: Identity): HardwareIdSourceView {
  const message = hardwareIdSourceMessage(identity.source, process.platform, config.hardwareIdFile);
  return { source: identity.source, description: inEnglish(message), message };
}

/** The hardware id: hardwareId, else the hardwareIdFile (tolerated unreadable at start: the engine reads it every cycle), else the OS's. */
async function identityFor(config: AgentConfig): Promise<Identity> {
  if (config.hardwareId) return resolveIdentity({ stateDir: config.stateDir, override: config.hardwareId });
  if (config.hardwareIdFile) {
    try {
      return await resolveIdentity({ stateDir: config.stateDir, file: config.hardwareIdFile });
    } catch (error) {
      if (!(error instanceof IdentityConfigError)) throw error;
      return { hardwareId: '', source: 'file', warnings: [] };
    }
  }
  return resolveIdentity({ stateDir: config.stateDir });
}

function engineOptions(config: AgentConfig, identity: Identity, options: CreateAgentOptions, auth: AuthConfig): EngineOptions {
  const warnings = [...identity.warnings, ...(options.warnings ?? [])];
  // This agent's own warnings as messages too (the window says them in its language); the English goes to warnings.
  const warningMessages: Message[] = [];
  const warn = (message: Message) => { warnings.push(inEnglish(message)); warningMessages.push(message); };
  if (auth.kind === 'hmac' && !options.usingSandbox) warn(SHARED_KEY_MESSAGE);
  const replies = replyKeyFor(config, options.publicKeyPem).view;
  for (const key of ['apiUrl', 'tokenUrl'] as const) {
    if (isRemotePlainHttp(config[key]) && (key === 'apiUrl' || config.clientId)) warn({ key: 'warning.plainHttp', params: { origin: new URL(config[key]).origin } });
  }
  if (!replies.verified) warn({ key: 'warning.repliesUnverified', params: { url: config.apiUrl } });
  const file = !config.hardwareId && config.hardwareIdFile ? config.hardwareIdFile : undefined;
  return {
    identity: {
      product: config.product!,
      hardwareId: identity.hardwareId,
      ...(config.licenseKey ? { licenseKey: config.licenseKey } : {}),
      ...(config.username ? { username: config.username } : {}),
      ...(config.licenseId !== undefined ? { licenseId: config.licenseId } : {}),
    },
    intervalMs: config.intervalMs,
    autoActivate: config.autoActivate,
    activation: {
      appName: options.appName ?? CLI_NAME,
      appVersion: appVersionOf(config, options) ?? AGENT_VERSION,
      osVersion: `${process.platform} ${release()}`,
      sdkVersion: `${CLI_NAME} ${AGENT_VERSION}`,
    },
    activationFacts: activationFacts(config),
    display: {
      apiUrl: config.apiUrl, usingSandbox: options.usingSandbox ?? false, licenseDisplay: licenseDisplay(config),
      hardwareIdSource: hardwareIdSourceView(config, identity), replyVerification: replies,
    },
    ...(file ? { refreshHardwareId: () => readHardwareIdFile(file) } : {}),
    credentialTag: credentialTag(auth),
    warnings,
    ...(warningMessages.length > 0 ? { warningMessages } : {}),
    ...(options.startImmediately ? { startImmediately: true } : {}),
    ...(options.shortSplayMs !== undefined ? { shortSplayMs: options.shortSplayMs } : {}),
    ...(options.checkLicenseAtStart === false ? { checkLicenseAtStart: false } : {}),
  };
}

/**
 * Builds the agent for `config`: takes the state-directory lock, resolves the
 * hardware id, and wires client, collector, state and scheduler. Throws
 * ConfigError (naming the field) or StateLockedError before anything is sent.
 */
export async function createAgent(config: AgentConfig, options: CreateAgentOptions = {}): Promise<AgentHandle> {
  const auth = requireReady(config);
  const localWarnings = prepareStateDir(config.stateDir);
  const lock: StateLock = acquireStateLock(config.stateDir);
  if (lock.warning !== undefined) localWarnings.push(lock.warning);
  options = { ...options, warnings: [...(options.warnings ?? []), ...localWarnings] };
  try {
    let secrets: string[] = [];
    const logger = options.logger ?? createLogger({
      level: config.logLevel,
      file: join(config.stateDir, 'logs', 'agent.log'),
      console: options.logToConsole ?? false,
      secrets: () => secrets,
    });
    const secretsOf = (c: AgentConfig) => [c.sharedKey, c.clientSecret].filter((s): s is string => typeof s === 'string');
    secrets = secretsOf(config);
    const identity = await identityFor(config);
    let client = buildClient(config, auth, options, logger);
    let collector = buildCollector(config, options, logger);
    const store = openStateStore({ stateDir: config.stateDir, ...(options.conf ? { conf: options.conf } : {}), ...(options.stateFs ? { fs: options.stateFs } : {}) });
    const agent = createSyncEngine(engineOptions(config, identity, options, auth), { client, collector, store, logger });
    logger.info('agent ready', { hardwareIdSource: identity.source, apiUrl: config.apiUrl, intervalMs: config.intervalMs, auth: auth.kind });
    let closing: Promise<void> | undefined;
    const handle: AgentHandle = {
      agent,
      hardwareId: identity.hardwareId,
      identity,
      get collector() { return collector; },
      get client() { return client; },
      logger,
      stateDir: config.stateDir,
      async reconfigure(next) {
        const nextAuth = requireReady(next);
        const nextIdentity = next.hardwareId === config.hardwareId && next.hardwareIdFile === config.hardwareIdFile ? identity : await identityFor(next);
        client = buildClient(next, nextAuth, options, logger);
        collector = buildCollector(next, options, logger);
        secrets = secretsOf(next);
        config = next;
        agent.updateOptions(engineOptions(next, nextIdentity, options, nextAuth), { client, collector });
      },
      close() {
        // Every caller (a signal handler and the command that was interrupted) waits for the same stop.
        closing ??= (async () => {
          try {
            await agent.stop();
          } finally {
            lock.release();
          }
        })();
        return closing;
      },
    };
    return handle;
  } catch (error) {
    lock.release();
    throw error;
  }
}

