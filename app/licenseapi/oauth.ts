// OAuth 2 client credentials: the alternative to the shared key. The token is
// cached and renewed shortly before it expires; concurrent callers share one
// token request. The client secret and the token never leave this module
// except in the form body and the Authorization header.
import { z } from 'zod';
import { errorFromReply, localError } from './errors.ts';
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

export function createTokenSource(credentials: OAuthCredentials, exchange: Exchange, now: () => number, userAgent: string): TokenSource {
  let cached: { token: string; renewAt: number } | undefined;
  let inFlight: Promise<string> | undefined;

  async function fetchToken(signal: AbortSignal | undefined): Promise<string> {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: credentials.clientId, client_secret: credentials.clientSecret });
    const reply = await exchange({
      method: 'POST',
      url: credentials.tokenUrl,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', 'User-Agent': userAgent },
      body: form.toString(),
      ...(signal ? { signal } : {}),
    });
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
      throw errorFromReply(reply.status, undefined);
    }
    const parsed = tokenReply.safeParse(json);
    if (!parsed.success) {
      const field = parsed.error.issues[0]?.path.join('.') || 'body';
      throw localError('invalid_response', { detail: `token reply: ${field}` });
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
