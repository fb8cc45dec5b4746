// One error type for everything the License API client can fail with: the
// documented server codes (error-codes.ts) and the client's own local codes.
// Each carries plain words for a person, a remedy, and a class the scheduler acts on.
// Errors never hold a request, a header or a cause object: nothing in them can leak a secret.
import { ERROR_CODES, isServerErrorCode } from './error-codes.ts';
import type { ErrorClass, ErrorCodeInfo } from './error-codes.ts';

type LocalCodeInfo = Omit<ErrorCodeInfo, 'status' | 'serverMessage'>;

const RETRY_LATER = 'Nothing to do: the agent retries later by itself.';

/** Codes the client produces itself (no server said them). */
export const LOCAL_ERROR_CODES = {
  network_error: { summary: 'The License API could not be reached.', remedy: 'Check the network connection (and proxy settings); the agent retries by itself.', errorClass: 'retryable' },
  dns_failure: { summary: 'The License API host name could not be resolved (DNS).', remedy: 'Check the network connection and the API URL; the agent retries by itself.', errorClass: 'retryable' },
  timeout: { summary: 'The License API did not answer in time.', remedy: RETRY_LATER, errorClass: 'retryable' },
  connection_reset: { summary: 'The connection to the License API was cut before the reply was complete.', remedy: RETRY_LATER, errorClass: 'retryable' },
  tls_error: { summary: 'The server\'s TLS certificate could not be verified (wrong host name, untrusted or expired), so the connection was refused.', remedy: 'Check the API URL. Behind a TLS-inspecting proxy, configure the proxy\'s CA certificate file. Verification is never turned off.', errorClass: 'needs-configuration' },
  tls_plain_http: { summary: 'The API URL starts with https://, but the server at that address answered in plain HTTP, so no secure connection could be made.', remedy: 'Check the API URL: use the server\'s https address (or http:// only for a local sandbox, which speaks plain HTTP).', errorClass: 'needs-configuration' },
  reply_headers_too_large: { summary: 'The reply carried more header data than the agent accepts, so it was refused.', remedy: 'A proxy or load balancer between this computer and the License API is adding headers: have it fixed. The agent tries again at most hourly, but this will not clear until then.', errorClass: 'needs-configuration' },
  invalid_response: { summary: 'The License API sent a reply the agent cannot read.', remedy: 'Usually a passing server or proxy fault: the agent retries later. If it persists, check the API URL.', errorClass: 'retryable' },
  signature_v2_mismatch: { summary: 'The reply\'s LicenseSignature was missing or wrong, so the reply was not trusted.', remedy: 'Check the configured public key. If it is right, something between this computer and the server alters replies; the agent retries later.', errorClass: 'retryable' },
  oauth_invalid_client: { summary: 'The OAuth server refused the client id or client secret.', remedy: 'Check the OAuth client id, client secret and token URL in the agent configuration.', errorClass: 'needs-configuration' },
  oauth_token_unreachable: { summary: 'The OAuth token endpoint could not be reached, so no access token could be had.', remedy: 'Check the network connection (and proxy settings) and the token URL; the agent retries by itself.', errorClass: 'retryable' },
  oauth_token_tls_error: { summary: 'No secure connection could be made to the OAuth token endpoint (its certificate could not be verified, or it speaks plain HTTP).', remedy: 'Check the token URL. Behind a TLS-inspecting proxy, configure the proxy\'s CA certificate file.', errorClass: 'needs-configuration' },
  oauth_token_endpoint_error: { summary: 'The OAuth token endpoint refused to issue a token.', remedy: 'Check the token URL (it must be the vendor\'s OAuth token endpoint itself) and the OAuth client id and secret.', errorClass: 'needs-configuration' },
  oauth_token_invalid_reply: { summary: 'The OAuth token endpoint answered with something that is not an access token.', remedy: 'Check the token URL: it must be the token endpoint itself, not a login page or another address. The agent tries again at most hourly.', errorClass: 'needs-configuration' },
  invalid_request: { summary: 'The agent refused to send an invalid request.', remedy: 'Check the configuration (product, license key or username, hardware id, variables).', errorClass: 'needs-configuration' },
  hardware_id_unavailable: { summary: 'The hardware id file could not be used, so nothing was sent.', remedy: 'Make sure the licensed program has written its hardware id to that file, or correct hardwareIdFile. The agent reads the file again at every sync, at most hourly while it fails.', errorClass: 'needs-configuration' },
  license_expired: { summary: 'The license has expired.', remedy: 'Ask your license administrator to renew or extend the license; the agent checks again every few hours (or at once from Sync now).', errorClass: 'license-state' },
} as const satisfies Record<string, LocalCodeInfo>;

/**
 * Local codes whose cause may clear without a person changing this agent's configuration
 * (a proxy fixed, a file written): they are retried with the normal backoff (at most
 * hourly) instead of parking the agent for hours, while the status still asks a person to look.
 */
const NOT_PARKABLE: ReadonlySet<string> = new Set(['reply_headers_too_large', 'oauth_token_invalid_reply', 'hardware_id_unavailable']);

export type LocalErrorCode = keyof typeof LOCAL_ERROR_CODES;

export interface LicenseApiErrorInit {
  code: string;
  errorClass: ErrorClass;
  summary: string;
  remedy: string;
  status?: number;
  retryAfterMs?: number;
  /** A short technical detail (field path, OS error code); never a secret. */
  detail?: string;
  /** The server's own code when it is not one we know (the error's code is then http_<status>). */
  serverCode?: string;
  /**
   * False when the cause may clear by itself or the reply could be forged (an unsigned
   * redirect): such an error is retried with the normal backoff instead of parking the agent.
   */
  parkable?: boolean;
  /** True when the error reply carried a LicenseSignature that verified against the configured key. */
  signed?: boolean;
}

export class LicenseApiError extends Error {
  readonly code: string;
  readonly errorClass: ErrorClass;
  readonly summary: string;
  readonly remedy: string;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly detail: string | undefined;
  readonly serverCode: string | undefined;
  readonly parkable: boolean;
  readonly signed: boolean;

  constructor(init: LicenseApiErrorInit) {
    super(`${init.code}: ${init.summary}${init.detail ? ` (${init.detail})` : ''}`);
    this.name = 'LicenseApiError';
    this.code = init.code;
    this.errorClass = init.errorClass;
    this.summary = init.summary;
    this.remedy = init.remedy;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
    this.detail = init.detail;
    this.serverCode = init.serverCode;
    this.parkable = init.parkable ?? !NOT_PARKABLE.has(init.code);
    this.signed = init.signed ?? false;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name, code: this.code, errorClass: this.errorClass, status: this.status,
      summary: this.summary, remedy: this.remedy, retryAfterMs: this.retryAfterMs, detail: this.detail, serverCode: this.serverCode,
      parkable: this.parkable, signed: this.signed,
    };
  }

  /** Copy with a server-given wait attached. */
  withRetryAfter(retryAfterMs: number | undefined): LicenseApiError {
    return retryAfterMs === undefined ? this : new LicenseApiError({ ...this.toInit(), retryAfterMs });
  }

  private toInit(): LicenseApiErrorInit {
    const init: LicenseApiErrorInit = { code: this.code, errorClass: this.errorClass, summary: this.summary, remedy: this.remedy };
    if (this.status !== undefined) init.status = this.status;
    if (this.retryAfterMs !== undefined) init.retryAfterMs = this.retryAfterMs;
    if (this.detail !== undefined) init.detail = this.detail;
    if (this.serverCode !== undefined) init.serverCode = this.serverCode;
    init.parkable = this.parkable;
    init.signed = this.signed;
    return init;
  }
}

/** A local error by code, with optional detail and status. */
export function localError(code: LocalErrorCode, extra: { detail?: string; status?: number; summary?: string; remedy?: string; errorClass?: ErrorClass } = {}): LicenseApiError {
  const info = LOCAL_ERROR_CODES[code];
  const init: LicenseApiErrorInit = { code, errorClass: extra.errorClass ?? info.errorClass, summary: extra.summary ?? info.summary, remedy: extra.remedy ?? info.remedy };
  if (extra.detail !== undefined) init.detail = extra.detail;
  if (extra.status !== undefined) init.status = extra.status;
  return new LicenseApiError(init);
}

/** Class of an HTTP status with no (known) code: 5xx, 429 and 408 are worth retrying; 3xx means a wrong URL; other 4xx need a person. */
export function classOfStatus(status: number): ErrorClass {
  if (status >= 500 || status === 429 || status === 408) return 'retryable';
  if (status >= 300 && status < 400) return 'needs-configuration';
  return 'fatal';
}

// eslint-disable-next-line no-control-regex -- control characters are what is removed
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** Server-given text as one short, printable line (it is shown to a person and logged). */
export function printableText(text: string, max = 200): string {
  const line = text.replace(UNPRINTABLE, ' ').replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** A redirect target for display: scheme, host, port and path only (no credentials, query or fragment). */
export function redirectTarget(location: string | undefined, base: string): string | undefined {
  if (location === undefined || location.trim() === '') return undefined;
  try {
    const url = new URL(location.trim(), base);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return printableText(`${url.protocol}…`, 40);
    return printableText(`${url.protocol}//${url.host}${url.pathname}`, 200);
  } catch {
    return undefined;
  }
}

export interface ReplyFacts {
  /** The body's `message` (shown for codes the agent does not know). */
  message?: string | undefined;
  /** A redirect's target, already reduced by redirectTarget(). */
  location?: string | undefined;
  /** The error reply's LicenseSignature verified against the configured key. */
  signed?: boolean;
}

function statusSummary(status: number, facts: ReplyFacts): { summary: string; remedy: string } {
  if (status === 429) return { summary: 'The License API (or a proxy) asked the agent to slow down (HTTP 429).', remedy: RETRY_LATER };
  if (status === 503) return { summary: 'The License API is temporarily unavailable (HTTP 503).', remedy: RETRY_LATER };
  if (status >= 500) return { summary: `The License API (or a proxy in front of it) failed with HTTP ${status}.`, remedy: RETRY_LATER };
  if (status === 408) return { summary: 'The License API timed out waiting for the request (HTTP 408).', remedy: RETRY_LATER };
  if (status >= 300 && status < 400) {
    const to = facts.location ? ` to ${facts.location}` : ' (without saying where to)';
    return {
      summary: `The License API address answered with a redirect (HTTP ${status})${to}; redirects are never followed, as they would carry the credentials elsewhere.`,
      remedy: facts.location
        ? `Set the API URL to the address the License API really has (if ${facts.location} is it, use that), ending in /api/v4/. The agent tries again at most hourly meanwhile.`
        : 'Set the API URL to the exact https address of the License API, ending in /api/v4/. The agent tries again at most hourly meanwhile.',
    };
  }
  const said = facts.message ? ` The server said: "${facts.message}".` : '';
  return { summary: `The License API refused the request with HTTP ${status}.${said}`, remedy: 'The server\'s words above say why. If they do not help, this may be an unsupported server or an agent bug: please report it with the diagnostics.' };
}

/**
 * The error for a non-2xx reply. `code` is the body's code when it has one.
 * Classification: by documented code first, then by status. An unsigned redirect
 * does not park the agent (anyone on the path can send one).
 */
export function errorFromReply(status: number, code: string | undefined, retryAfterMs?: number, facts: ReplyFacts = {}): LicenseApiError {
  const signed = facts.signed === true;
  if (code !== undefined && isServerErrorCode(code)) {
    const info = ERROR_CODES[code];
    const init: LicenseApiErrorInit = { code, errorClass: info.errorClass, summary: info.summary, remedy: info.remedy, status, signed };
    if (retryAfterMs !== undefined) init.retryAfterMs = retryAfterMs;
    return new LicenseApiError(init);
  }
  const message = facts.message === undefined ? undefined : printableText(facts.message);
  const words = statusSummary(status, { ...facts, message: message || undefined });
  const init: LicenseApiErrorInit = { code: `http_${status}`, errorClass: classOfStatus(status), ...words, status, signed };
  if (status >= 300 && status < 400 && !signed) init.parkable = false;
  if (code !== undefined) {
    init.serverCode = printableText(code, 100);
    init.detail = `server code "${init.serverCode}"`;
  }
  if (retryAfterMs !== undefined) init.retryAfterMs = retryAfterMs;
  return new LicenseApiError(init);
}

/** Node's certificate verification codes (OpenSSL's X509_V_ERR_* without the prefix), EPROTO, and the host name check. */
const TLS_CODES = new Set([
  'ERR_TLS_CERT_ALTNAME_INVALID', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_REVOKED',
  'CERT_UNTRUSTED', 'CERT_REJECTED', 'CERT_SIGNATURE_FAILURE', 'EPROTO', 'HOSTNAME_MISMATCH',
  'UNABLE_TO_GET_CRL', 'UNABLE_TO_DECRYPT_CERT_SIGNATURE', 'UNABLE_TO_DECRYPT_CRL_SIGNATURE', 'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CRL_SIGNATURE_FAILURE', 'CRL_NOT_YET_VALID', 'CRL_HAS_EXPIRED', 'ERROR_IN_CERT_NOT_BEFORE_FIELD', 'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'ERROR_IN_CRL_LAST_UPDATE_FIELD', 'ERROR_IN_CRL_NEXT_UPDATE_FIELD', 'CERT_CHAIN_TOO_LONG', 'INVALID_CA', 'PATH_LENGTH_EXCEEDED', 'INVALID_PURPOSE',
]);
/** OpenSSL's words when a TLS hello is answered by something that is not TLS (a plain-HTTP server). */
const PLAIN_HTTP_CODES = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_HTTP_REQUEST', 'ERR_SSL_PACKET_LENGTH_TOO_LONG']);
const PLAIN_HTTP_MESSAGE = /wrong version number|http request|packet length too long/i;
const HEADER_OVERFLOW_CODES = new Set(['HPE_HEADER_OVERFLOW', 'UND_ERR_HEADERS_OVERFLOW']);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET', 'ERR_HTTP_INCOMPLETE_RESPONSE', 'HPE_INVALID_CONSTANT', 'ERR_BAD_RESPONSE_STREAM',
  // axios: 'stream has been aborted' (a reply cut midway); its size-limit error shares the code and is checked first.
  'ERR_BAD_RESPONSE']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ECONNABORTED', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ESOCKETTIMEDOUT']);
const TOO_BIG_CODES = new Set(['ERR_FR_MAX_CONTENT_LENGTH_EXCEEDED']);

/** Error codes found on an error and its causes (axios, undici and Node wrap them differently). */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors)) for (const inner of errors) codes.push(...codesOf(inner));
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The messages of an error and its causes, joined (only matched against, never shown). */
function messagesOf(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    parts.push(messageOf(current));
    current = typeof current === 'object' ? (current as { cause?: unknown }).cause : undefined;
  }
  return parts.join(' | ');
}

/**
 * The local error for a failed exchange (no HTTP reply to read). `timedOut`
 * says the client's own deadline fired. Only the OS/library error code goes
 * into `detail`, never the message (which may quote the request).
 */
export function errorFromTransport(error: unknown, timedOut: boolean): LicenseApiError {
  if (error instanceof LicenseApiError) return error;
  const codes = codesOf(error);
  const detail = codes.find((c) => c !== 'ERR_NETWORK' && c !== 'ERR_BAD_REQUEST') ?? codes[0];
  const withDetail = detail === undefined ? {} : { detail };
  if (timedOut) return localError('timeout', withDetail);
  if (codes.some((c) => HEADER_OVERFLOW_CODES.has(c)) || /header overflow|headers? (are )?too large/i.test(messagesOf(error))) return localError('reply_headers_too_large', withDetail);
  if (codes.some((c) => PLAIN_HTTP_CODES.has(c)) || (codes.includes('EPROTO') && PLAIN_HTTP_MESSAGE.test(messagesOf(error)))) return localError('tls_plain_http', withDetail);
  if (codes.some((c) => TLS_CODES.has(c) || c.startsWith('ERR_SSL_') || c.startsWith('ERR_TLS_'))) return localError('tls_error', withDetail);
  if (codes.some((c) => DNS_CODES.has(c))) return localError('dns_failure', withDetail);
  if (codes.some((c) => TIMEOUT_CODES.has(c))) return localError('timeout', withDetail);
  if (codes.some((c) => TOO_BIG_CODES.has(c)) || /maxContentLength/i.test(messageOf(error))) return localError('invalid_response', { detail: 'reply too large' });
  if (codes.some((c) => RESET_CODES.has(c)) || /socket hang up|terminated|other side closed/i.test(messageOf(error))) return localError('connection_reset', withDetail);
  return localError('network_error', withDetail);
}
