// The signed License API client: one function per endpoint, each checked on
// the way out (schema), authenticated (HMAC or OAuth, with a Date header from
// the server-corrected clock), verified on the way back (LicenseSignature v2
// when a public key is configured) and parsed (zod). Failures are LicenseApiError.
import type { KeyObject } from 'node:crypto';
import type { z } from 'zod';
import { createServerClock, parseHttpDate } from './clock.ts';
import { LicenseApiError, errorFromReply, localError, redirectTarget } from './errors.ts';
import { cancelledError, createExchange } from './http-exchange.ts';
import type { ExchangeReply } from './http-exchange.ts';
import { createTokenSource } from './oauth.ts';
import type { TokenSource } from './oauth.ts';
import { SIGNATURE_HEADER, loadPublicKey, verifyResponseSignature } from './response-signature.ts';
import { RETRY_AFTER_MAX_MS, UNSIGNED_RETRY_AFTER_MAX_MS, parseRetryAfter } from './retry-after.ts';
import { describeIssue, errorReply, identityBodySchema, identityWire, isDeactivatedReply, licenseReply, variableRowsReply } from './schemas.ts';
import type { ActivationInput, DeviceVariable, LicenseIdentity, LicenseInfo, TrackInput } from './schemas.ts';
import { signedHeaders, httpDate } from './signing.ts';
import { createTransport } from './transport.ts';
import { DEFAULT_TIMEOUT_MS, DEFAULT_USER_AGENT, configError, optionsSchema, type CallOptions, type LicenseApiClientOptions } from './client-options.ts';
import { activationBody, checkIdentity, identityQuery, trackBody } from './request-bodies.ts';

export { DEFAULT_TIMEOUT_MS, DEFAULT_USER_AGENT, type CallOptions, type LicenseApiAuth, type LicenseApiClientOptions, type LicenseApiLog, type LogLevel } from './client-options.ts';

export interface LicenseApiClient {
  trackDeviceVariables(input: TrackInput, options?: CallOptions): Promise<DeviceVariable[]>;
  getDeviceVariables(identity: LicenseIdentity, options?: CallOptions): Promise<DeviceVariable[]>;
  activateLicense(input: ActivationInput, options?: CallOptions): Promise<LicenseInfo>;
  checkLicense(identity: LicenseIdentity, options?: CallOptions): Promise<LicenseInfo>;
  deactivateLicense(identity: LicenseIdentity, options?: CallOptions): Promise<void>;
  /** Server time minus local time as learned from replies (ms). */
  clockOffsetMs(): number;
}

interface Call<T> {
  endpoint: string;
  signal?: AbortSignal | undefined;
  method: 'GET' | 'POST';
  /**
   * Verify the 2xx reply's LicenseSignature (when a public key is configured). The vendor
   * signs the successful replies of activate, check, get and track; its SDK verifies exactly
   * those and never deactivate_license's bare "license_deactivated".
   */
  verify: boolean;
  query?: Record<string, string | number>;
  body?: unknown;
  parse: (json: unknown, rawText: string) => T;
}

export function createLicenseApiClient(options: LicenseApiClientOptions): LicenseApiClient {
  const checked = optionsSchema.safeParse(options);
  if (!checked.success) throw configError(describeIssue(checked.error));
  const auth = options.auth;
  const baseUrl = options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`;
  const localNow = options.now ?? Date.now;
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  const log = options.log;
  let publicKey: KeyObject | undefined;
  if (options.publicKeyPem !== undefined) {
    try {
      publicKey = loadPublicKey(options.publicKeyPem);
    } catch (error) {
      throw configError((error as Error).message);
    }
  }
  const clock = createServerClock(localNow);
  const exchangeOptions: Parameters<typeof createExchange>[0] = { timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, now: localNow };
  if (options.fetch) exchangeOptions.fetch = options.fetch;
  else {
    if (options.adapter) exchangeOptions.adapter = options.adapter;
    exchangeOptions.transport = options.transport ?? createTransport();
  }
  const exchange = createExchange(exchangeOptions);
  const tokens: TokenSource | undefined = auth.kind === 'oauth' ? createTokenSource(auth, exchange, localNow, userAgent) : undefined;

  async function authHeaders(signal: AbortSignal | undefined): Promise<Record<string, string>> {
    if (auth.kind === 'hmac') {
      const { Date: date, Authorization } = signedHeaders(auth.apiKey, auth.sharedKey, clock.now());
      return { Date: date, Authorization };
    }
    const token = await tokens!.token(signal);
    return { Date: httpDate(clock.now()), Authorization: `Bearer ${token}` };
  }

  function trusted(reply: ExchangeReply): boolean {
    return publicKey === undefined || verifyResponseSignature(publicKey, reply.raw, reply.headers[SIGNATURE_HEADER]);
  }

  function readSuccess<T>(call: Call<T>, reply: ExchangeReply): T {
    if (call.verify && !trusted(reply)) throw localError('signature_v2_mismatch', { status: reply.status });
    const text = reply.raw.toString('utf8');
    let json: unknown;
    try {
      json = text.trim() === '' ? undefined : JSON.parse(text);
    } catch {
      // deactivate_license may answer with bare text; its parser decides.
      json = undefined;
      if (call.endpoint !== 'deactivate_license') throw localError('invalid_response', { status: reply.status, detail: 'reply is not JSON' });
    }
    return call.parse(json, text);
  }

  /**
   * The error a non-2xx reply stands for, classified by its code (then its status).
   * The vendor signs no error reply, so none is required to be signed: what an unsigned
   * error can make the agent do is bounded instead (a Retry-After of at most the backoff
   * cap, an unsigned redirect never parks, device_not_found leads to at most one
   * activation a day whose own reply must verify). A signature that verifies lifts the
   * Retry-After bound to a day.
   */
  function readError(reply: ExchangeReply, url: string): LicenseApiError {
    let json: unknown;
    try {
      json = JSON.parse(reply.raw.toString('utf8'));
    } catch {
      json = undefined;
    }
    const body = errorReply.safeParse(json);
    const code = body.success ? body.data.code : undefined;
    const signed = publicKey !== undefined && reply.headers[SIGNATURE_HEADER] !== undefined && trusted(reply);
    const serverNow = parseHttpDate(reply.headers.date) ?? clock.now();
    const retryAfter = parseRetryAfter(reply.headers['retry-after'], serverNow);
    const cap = signed ? RETRY_AFTER_MAX_MS : UNSIGNED_RETRY_AFTER_MAX_MS;
    return errorFromReply(reply.status, code, retryAfter === undefined ? undefined : Math.min(retryAfter, cap), {
      message: body.success ? body.data.message : undefined,
      location: redirectTarget(reply.headers.location, url),
      signed,
    });
  }

  async function perform<T>(call: Call<T>): Promise<T> {
    const url = new URL(call.endpoint, baseUrl);
    if (call.query) for (const [name, value] of Object.entries(call.query)) url.searchParams.set(name, String(value));
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    let clockRetries = 1;
    let authRetries = 1;
    for (let attempt = 1; ; attempt++) {
      let reply: ExchangeReply;
      try {
        if (call.signal?.aborted) throw cancelledError();
        const headers: Record<string, string> = { ...(await authHeaders(call.signal)), Accept: 'application/json', 'User-Agent': userAgent };
        if (body !== undefined) headers['Content-Type'] = 'application/json';
        reply = await exchange({ method: call.method, url: url.toString(), headers, ...(body === undefined ? {} : { body }), ...(call.signal ? { signal: call.signal } : {}) });
      } catch (error) {
        const failure = error instanceof LicenseApiError ? error : localError('network_error');
        log?.('warn', 'license api request failed', { endpoint: call.endpoint, attempt, code: failure.code, detail: failure.detail });
        throw failure;
      }
      const offsetChanged = clock.learn(reply.headers.date, reply.sentAt, reply.receivedAt);
      if (offsetChanged) log?.('info', 'server clock offset learned', { offsetMs: clock.offsetMs() });
      log?.('debug', 'license api reply', { endpoint: call.endpoint, attempt, status: reply.status, ms: reply.receivedAt - reply.sentAt });
      if (reply.status >= 200 && reply.status < 300) {
        try {
          return readSuccess(call, reply);
        } catch (error) {
          const failure = error instanceof LicenseApiError ? error : localError('invalid_response', { status: reply.status });
          log?.('warn', 'license api reply refused', { endpoint: call.endpoint, code: failure.code, detail: failure.detail });
          throw failure;
        }
      }
      const failure = readError(reply, url.toString());
      if (failure.code === 'date_header_diff' && offsetChanged && clockRetries-- > 0) continue;
      if (tokens && (failure.code === 'oauth_token_expired' || failure.code === 'oauth_token_malformed') && authRetries-- > 0) {
        tokens.invalidate();
        continue;
      }
      log?.('warn', 'license api error', { endpoint: call.endpoint, code: failure.code, status: failure.status, retryAfterMs: failure.retryAfterMs });
      throw failure;
    }
  }

  function parseWith<S extends z.ZodType>(schema: S, root: string) {
    return (json: unknown): z.output<S> => {
      const parsed = schema.safeParse(json);
      if (!parsed.success) throw localError('invalid_response', { detail: describeIssue(parsed.error, root) });
      return parsed.data;
    };
  }

  return {
    async trackDeviceVariables(input, callOptions) {
      const body = trackBody(input);
      return perform({ endpoint: 'track_device_variables', method: 'POST', verify: true, body, parse: parseWith(variableRowsReply, 'reply'), signal: callOptions?.signal });
    },

    async getDeviceVariables(identity, callOptions) {
      checkIdentity(identity);
      return perform({ endpoint: 'get_device_variables', method: 'GET', verify: true, query: identityQuery(identity), parse: parseWith(variableRowsReply, 'reply'), signal: callOptions?.signal });
    },

    async activateLicense(input, callOptions) {
      const body = activationBody(input);
      return perform({ endpoint: 'activate_license', method: 'POST', verify: true, body, parse: parseWith(licenseReply, 'reply'), signal: callOptions?.signal });
    },

    async checkLicense(identity, callOptions) {
      checkIdentity(identity);
      return perform({ endpoint: 'check_license', method: 'GET', verify: true, query: identityQuery(identity), parse: parseWith(licenseReply, 'reply'), signal: callOptions?.signal });
    },

    async deactivateLicense(identity, callOptions) {
      checkIdentity(identity);
      const body = identityBodySchema.parse(identityWire(identity));
      return perform({
        endpoint: 'deactivate_license', method: 'POST', verify: false, body, signal: callOptions?.signal,
        parse: (json, text) => {
          if (!isDeactivatedReply(text, json)) throw localError('invalid_response', { detail: 'reply: expected license_deactivated' });
        },
      });
    },

    clockOffsetMs: () => clock.offsetMs(),
  };
}
