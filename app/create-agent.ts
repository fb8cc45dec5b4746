// The composition root of the engine: from a validated configuration to a
// running Agent. The CLI and the Electron shell both start the agent here and
// hand in what differs between them (a store, a fetch, a version).
import { createHmac, createPublicKey } from 'node:crypto';
import { join } from 'node:path';
import { release } from 'node:os';
import { maskLicenseKey } from './license-key-mask.ts';
import type { HardwareIdSourceView, ReplyVerificationView } from './agent-api.ts';
import { createCollector, type VariableCollector } from './collect/collector.ts';
import { createDropInReader } from './collect/drop-in.ts';
import { createManagedSources } from './collect/managed-sources.ts';
import { withVariableSources, type SourcedCollector } from './collect/variable-sources.ts';
import { checkReady, ConfigError, machineVariablesDir, managedConfigPath, type AgentConfig, type AuthConfig } from './config/index.ts';
import { isRemotePlainHttp } from './config/schema.ts';
import { FileReadError, readBoundedText } from './files/read-bounded.ts';
import { readHardwareIdFile } from './identity/hardware-id-file.ts';
import { IdentityConfigError, hardwareIdSourceMessage, resolveIdentity, type Identity } from './identity/resolve-identity.ts';
import { inEnglish } from './sync/status-text.ts';
import { createLicenseApiClient, type LicenseApiClient } from './licenseapi/client.ts';
import { createTransport, type Transport } from './licenseapi/transport.ts';
import { VENDOR_PUBLIC_KEY_PEM, isVendorProductionApi } from './licenseapi/vendor-public-key.ts';
import { BRANDING, CLI_NAME, type Branding } from './branding/index.ts';
import { createLogger, type Logger } from './log/logger.ts';
import { acquireStateLock, type StateLock } from './state/lock.ts';
import { prepareStateDir } from './state/state-dir.ts';
import { openStateStore, type ConfLike } from './state/state-store.ts';
import type { AtomicWriteFs } from './state/write-file-atomic.ts';
import { createSyncEngine, type EngineOptions, type SyncEngine } from './sync/engine.ts';
import type { VariableMap } from './variables.ts';
import { AGENT_VERSION } from './version.ts';

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

export interface VariablesDirs {
  /** The per-machine variables.d (beside the managed file the agent read). */
  machine?: string;
  /** The per-user variables.d (default: `<stateDir>/variables.d`). */
  user?: string;
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
export const SHARED_KEY_WARNING = 'The company-wide shared key is stored on this device. Prefer OAuth client credentials scoped to this customer or license (see README, Security).';

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

/** Same scheme, host and port, and the same path up to a trailing slash. */
function sameServer(a: string, b: string): boolean {
  try {
    const x = new URL(a), y = new URL(b);
    return x.origin === y.origin && x.pathname.replace(/\/+$/, '') === y.pathname.replace(/\/+$/, '');
  } catch {
    return false;
  }
}

/** The largest public key file read (a PEM RSA key is under 1 KiB). */
export const PUBLIC_KEY_MAX_BYTES = 64 * 1024;
/** The largest CA file read (a whole system bundle is ~200 KiB). */
export const CA_FILE_MAX_BYTES = 4 * 1024 * 1024;

/**
 * The key replies are verified with, and what the status says about it: the sandbox's
 * (embedded), the configured `publicKey`, or — for LicenseSpring's production API —
 * the vendor's published key by default. A custom server without `publicKey`: not verified.
 */
export function replyKeyFor(config: Pick<AgentConfig, 'apiUrl' | 'publicKey'>, override?: string, branding: Branding = BRANDING): { pem?: string; view: ReplyVerificationView } {
  let pem: string | undefined;
  let view: ReplyVerificationView;
  if (override !== undefined) {
    pem = override;
    view = { verified: true, keySource: 'sandbox', description: 'verified with the local sandbox\'s key' };
  } else if (config.publicKey) {
    pem = readConfigFile(config.publicKey, 'publicKey', PUBLIC_KEY_MAX_BYTES);
    view = { verified: true, keySource: 'configured', description: `verified with the configured public key (${config.publicKey})` };
  } else if (branding.defaults.publicKey && sameServer(config.apiUrl, branding.defaults.apiUrl)) {
    pem = branding.defaults.publicKey;
    view = { verified: true, keySource: 'vendor', description: `verified with ${branding.publisher}'s response-signing key` };
  } else if (isVendorProductionApi(config.apiUrl)) {
    pem = VENDOR_PUBLIC_KEY_PEM;
    view = { verified: true, keySource: 'vendor', description: 'verified with LicenseSpring\'s published response-signing key' };
  } else {
    return { view: { verified: false, keySource: 'none', description: 'replies not verified: no public key is configured for this server (set publicKey to its response-signing key)' } };
  }
  try {
    createPublicKey(pem);
  } catch {
    throw new ConfigError([{ field: 'publicKey', message: 'is not a PEM public key' }]);
  }
  return { pem, view };
}

/** A file a setting names: bounded before reading, errors name the file and never its content. */
function readConfigFile(path: string, field: string, maxBytes: number): string {
  try {
    return readBoundedText(path, { maxBytes, mode: 'given' });
  } catch (error) {
    if (!(error instanceof FileReadError)) throw error;
    throw new ConfigError([{ field, message: `file ${path} ${error.message}` }]);
  }
}

/** Node's HTTP stack with the configured extra CA; a file that holds no certificate is a configuration error. */
function transportFor(config: AgentConfig): Transport {
  if (!config.caFile) return createTransport({});
  const pem = readConfigFile(config.caFile, 'caFile', CA_FILE_MAX_BYTES);
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new ConfigError([{ field: 'caFile', message: `${config.caFile} holds no PEM certificate` }]);
  try {
    return createTransport({ caPem: pem });
  } catch (error) {
    throw new ConfigError([{ field: 'caFile', message: (error as Error).message.replace(/^caFile: /, '') }]);
  }
}

function buildClient(config: AgentConfig, auth: AuthConfig, options: CreateAgentOptions, logger: Logger): LicenseApiClient {
  const publicKeyPem = replyKeyFor(config, options.publicKeyPem).pem;
  // With a fetch of the shell's own, the transport is not built here: still refuse a caFile that cannot be used.
  if (options.fetch && config.caFile) transportFor(config);
  const log = logger.child({ component: 'licenseapi' });
  return createLicenseApiClient({
    apiUrl: config.apiUrl,
    auth,
    ...(publicKeyPem ? { publicKeyPem } : {}),
    ...(options.fetch ? { fetch: options.fetch } : { transport: transportFor(config) }),
    userAgent: `${CLI_NAME}/${AGENT_VERSION}`,
    log: (level, message, fields) => log[level](message, fields),
  });
}

/** app_version: the configured version of the licensed application, else the host application's (the desktop app's). */
function appVersionOf(config: AgentConfig, options: CreateAgentOptions): string | undefined {
  return config.appVersion ?? options.appVersion;
}

/**
 * The agent's collector with the variables other programs publish (the variables.d
 * folders) and the managed file's variableSources: what `once`, `run`, `vars` and the
 * desktop app collect.
 */
export function buildVariableCollector(config: AgentConfig, options: { appVersion?: string; variablesDirs?: VariablesDirs; logger?: Logger } = {}): SourcedCollector {
  const base = createCollector({
    pii: config.pii,
    allow: config.allow,
    deny: config.deny,
    custom: config.variables,
    sourceNames: Object.keys(config.variableSources),
    agentVersion: AGENT_VERSION,
    ...(options.appVersion ? { appVersion: options.appVersion } : {}),
  });
  const log = options.logger?.child({ component: 'sources' });
  return withVariableSources(base, {
    dropIn: createDropInReader({
      folders: [
        { dir: options.variablesDirs?.machine ?? machineVariablesDir(managedConfigPath()), scope: 'machine', allow: config.dropInSources },
        { dir: options.variablesDirs?.user ?? join(config.stateDir, 'variables.d'), scope: 'user', allow: config.userDropInSources },
      ],
    }),
    ...(Object.keys(config.variableSources).length > 0 ? { managed: createManagedSources({ specs: config.variableSources, allowCommands: config.allowCommandSources }) } : {}),
    deny: config.deny,
    configNames: Object.keys(config.variables),
    ...(log ? { log: (level: 'info' | 'warn', message: string, fields: Record<string, unknown>) => log[level](message, fields) } : {}),
  });
}

function buildCollector(config: AgentConfig, options: CreateAgentOptions, logger: Logger): SourcedCollector {
  const appVersion = appVersionOf(config, options);
  return buildVariableCollector(config, { ...(appVersion ? { appVersion } : {}), ...(options.variablesDirs ? { variablesDirs: options.variablesDirs } : {}), logger });
}

/** Device facts for activate_license from what was collected: hostname, ip and mac only when the PII setting allows each. */
function activationFacts(config: AgentConfig): (desired: VariableMap) => NonNullable<EngineOptions['activation']> {
  return (desired) => ({
    ...(typeof desired.is_vm === 'boolean' ? { isVm: desired.is_vm } : {}),
    ...(typeof desired.vm_type === 'string' && desired.vm_type !== '' ? { vmInfo: desired.vm_type } : {}),
    ...(config.pii.hostname && typeof desired.hostname === 'string' && desired.hostname !== '' ? { hostname: desired.hostname } : {}),
    ...(config.pii.ip && typeof desired.ip_address === 'string' && desired.ip_address !== '' ? { ip: desired.ip_address } : {}),
    ...(config.pii.mac && typeof desired.mac_address === 'string' && desired.mac_address !== '' ? { macAddress: desired.mac_address } : {}),
  });
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
  if (auth.kind === 'hmac' && !options.usingSandbox) {
    warnings.push(SHARED_KEY_WARNING);
  }
  const replies = replyKeyFor(config, options.publicKeyPem).view;
  for (const key of ['apiUrl', 'tokenUrl'] as const) {
    if (isRemotePlainHttp(config[key]) && (key === 'apiUrl' || config.clientId)) warnings.push(`Plain HTTP to ${new URL(config[key]).origin} (insecureHttp): the credentials and every value travel unencrypted. Use this only for a lab server.`);
  }
  if (!replies.verified) warnings.push(`Replies from ${config.apiUrl} are not verified: no public key is configured for this server (set publicKey to its response-signing key).`);
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

