// OAuth 2 client credentials: the alternative to the shared key. The token is
// cached and renewed shortly before it expires; concurrent callers share one
// token request. The client secret and the token never leave this module
// except in the form body and the Authorization header.
import { z } from 'zod';
import { LicenseApiError, classOfStatus, localError, redirectTarget } from './errors.ts';
import type { Exchange } from './http-exchange.ts';

export interface OAuthCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface TokenSource {
  /** A valid access token (cached, or fetched now); `signal` aborts a fetch in flight. */
  token(signal?: AbortSignal): Promise<string>;
  /** Forgets the cached token (after the API said it is expired or malformed). */
  invalidate(): void;
}

/** Renew this long before expiry (or at half the lifetime for very short tokens). */
export const RENEW_MARGIN_MS = 10_000;

const tokenReply = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
  token_type: z.string().refine((t) => t.toLowerCase() === 'bearer', 'token_type must be Bearer'),
});

const oauthErrorReply = z.object({ error: z.string() });
const CLIENT_ERRORS = new Set(['invalid_client', 'unauthorized_client']);

/** A failed exchange with the token endpoint, named as such (not as the License API). */
function tokenTransportError(error: unknown): LicenseApiError {
  if (!(error instanceof LicenseApiError)) return localError('oauth_token_unreachable');
  const detail = error.detail ?? error.code;
  if (error.code === 'tls_error' || error.code === 'tls_plain_http') {
    const plain = error.code === 'tls_plain_http';
    return localError('oauth_token_tls_error', {
      detail,
      summary: plain
        ? 'The token URL starts with https://, but the server at that address answered in plain HTTP, so no access token could be had.'
        : 'The OAuth token endpoint\'s TLS certificate could not be verified (wrong host name, untrusted or expired), so no access token could be had.',
    });
  }
  if (error.code === 'reply_headers_too_large') {
    return localError('oauth_token_invalid_reply', { detail, summary: 'The OAuth token endpoint\'s reply carried more header data than the agent accepts.' });
  }
  if (error.code === 'invalid_response') return localError('oauth_token_invalid_reply', { detail });
  const words: Record<string, string> = {
    timeout: 'The OAuth token endpoint did not answer in time, so no access token could be had.',
    dns_failure: 'The OAuth token endpoint\'s host name could not be resolved (DNS), so no access token could be had.',
    connection_reset: 'The connection to the OAuth token endpoint was cut before its reply was complete.',
  };
  return localError('oauth_token_unreachable', { detail, ...(words[error.code] ? { summary: words[error.code] } : {}) });
}

/** A non-2xx reply of the token endpoint other than a refused client. */
function tokenStatusError(status: number, oauthError: string | undefined, location: string | undefined): LicenseApiError {
  const errorClass = classOfStatus(status);
  const detail = oauthError === undefined ? `HTTP ${status}` : `HTTP ${status}, error "${oauthError.slice(0, 60)}"`;
  if (errorClass === 'retryable') {
    return localError('oauth_token_endpoint_error', {
      status, detail, errorClass,
      summary: `The OAuth token endpoint failed with HTTP ${status}, so no access token could be had.`,
      remedy: 'Nothing to do: the agent retries later by itself. If it persists, check the token URL.',
    });
  }
  if (status >= 300 && status < 400) {
    return localError('oauth_token_endpoint_error', {
      status, detail,
      summary: `The OAuth token endpoint answered with a redirect (HTTP ${status})${location ? ` to ${location}` : ''}; it is not followed (it would carry the client secret elsewhere).`,
      remedy: 'Set the token URL to the token endpoint\'s exact address.',
    });
  }
  return localError('oauth_token_endpoint_error', {
    status, detail,
    summary: `The OAuth token endpoint refused to issue a token (HTTP ${status}${status === 404 ? ': no such address' : ''}).`,
  });
}

export function createTokenSource(credentials: OAuthCredentials, exchange: Exchange, now: () => number, userAgent: string): TokenSource {
  let cached: { token: string; renewAt: number } | undefined;
  let inFlight: Promise<string> | undefined;

  async function fetchToken(signal: AbortSignal | undefined): Promise<string> {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: credentials.clientId, client_secret: credentials.clientSecret });
    let reply: Awaited<ReturnType<Exchange>>;
    try {
      reply = await exchange({
        method: 'POST',
        url: credentials.tokenUrl,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', 'User-Agent': userAgent },
        body: form.toString(),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      throw tokenTransportError(error);
    }
    let json: unknown;
    try {
      json = JSON.parse(reply.raw.toString('utf8'));
    } catch {
      json = undefined;
    }
    if (reply.status < 200 || reply.status >= 300) {
      const oauthError = oauthErrorReply.safeParse(json);
      // 401 from a token endpoint always means the client failed to authenticate.
      if (reply.status === 401 || (oauthError.success && CLIENT_ERRORS.has(oauthError.data.error))) {
        throw localError('oauth_invalid_client', { status: reply.status });
      }
      throw tokenStatusError(reply.status, oauthError.success ? oauthError.data.error : undefined, redirectTarget(reply.headers.location, credentials.tokenUrl));
    }
    const parsed = tokenReply.safeParse(json);
    if (!parsed.success) {
      const field = parsed.error.issues[0]?.path.join('.') || 'body';
      throw localError('oauth_token_invalid_reply', { status: reply.status, detail: `token reply: ${field}` });
    }
    const lifetimeMs = parsed.data.expires_in * 1000;
    const margin = Math.min(RENEW_MARGIN_MS, lifetimeMs / 2);
    cached = { token: parsed.data.access_token, renewAt: reply.sentAt + lifetimeMs - margin };
    return parsed.data.access_token;
  }

  return {
    async token(signal) {
      if (cached && now() < cached.renewAt) return cached.token;
      cached = undefined;
      if (!inFlight) {
        inFlight = fetchToken(signal).finally(() => {
          inFlight = undefined;
        });
      }
      return inFlight;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
