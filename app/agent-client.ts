// The License API client as the configuration asks for it: the key its replies are
// verified with (the sandbox's, the configured one, or the vendor's for its production
// API), the extra CA, and the signed client over Node's HTTP or the shell's fetch.
import { createPublicKey } from 'node:crypto';
import type { ReplyVerificationView } from './agent-api.ts';
import { ConfigError, type AgentConfig, type AuthConfig } from './config/index.ts';
import { FileReadError, readBoundedText } from './files/read-bounded.ts';
import { createLicenseApiClient, type LicenseApiClient } from './licenseapi/client.ts';
import { createTransport, type Transport } from './licenseapi/transport.ts';
import { VENDOR_PUBLIC_KEY_PEM, isVendorProductionApi } from './licenseapi/vendor-public-key.ts';
import { BRANDING, CLI_NAME, type Branding } from './branding/index.ts';
import type { Logger } from './log/logger.ts';
import { AGENT_VERSION } from './version.ts';

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

export function buildClient(config: AgentConfig, auth: AuthConfig, options: { publicKeyPem?: string; fetch?: typeof globalThis.fetch }, logger: Logger): LicenseApiClient {
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

