// Request authorization exactly as the notes describe it: HMAC (API key + shared
// key over the Date header, three header spellings) or an OAuth Bearer token from
// the sandbox's token endpoint, both with a Date within 15 minutes of server time.
import type { IncomingHttpHeaders } from 'node:http';
import { parseAuthorization, sign, signaturesEqual } from '../app/licenseapi/signing.ts';
import { ApiError } from './api-error.ts';
import type { SandboxDb } from './db.ts';

/** How far (either way) a request's Date may be from the server clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

export type AuthContext =
  | { kind: 'hmac'; apiKey: string; readOnly: boolean; /** Product codes the key may use; null = all. */ products: string[] | null }
  | { kind: 'oauth'; clientId: string; readOnly: false };

// RFC 7231 IMF-fixdate, the only Date form accepted.
const IMF_FIXDATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
// A header made only of name="value" pairs (used to tell "missing a part" from "garbage").
const PAIRS_ONLY = /^\s*[A-Za-z]+="[^"]*"\s*(,\s*[A-Za-z]+="[^"]*"\s*)*$/;
const BEARER = /^Bearer\s+(\S+)\s*$/i;

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Parses an IMF-fixdate; undefined when it is not one. */
export function parseHttpDate(value: string): number | undefined {
  if (!IMF_FIXDATE.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Authorizes a License API request or throws the documented ApiError. */
export function authorize(headers: IncomingHttpHeaders, db: SandboxDb, now: number): AuthContext {
  const date = headerValue(headers, 'date');
  const authorization = headerValue(headers, 'authorization');
  if (!date || !authorization) throw new ApiError('missing_headers', !date ? 'no Date header' : 'no Authorization header');
  const dateMs = parseHttpDate(date);
  if (dateMs === undefined) throw new ApiError('authorization_invalid_headers', 'Date is not an RFC 7231 IMF-fixdate');

  const bearer = BEARER.exec(authorization);
  if (bearer) {
    const token = db.findOAuthToken(bearer[1]!);
    if (!token) throw new ApiError('oauth_token_malformed', 'unknown bearer token');
    if (token.expiresAt <= now) throw new ApiError('oauth_token_expired', 'bearer token expired');
    checkClock(dateMs, now);
    return { kind: 'oauth', clientId: token.clientId, readOnly: false };
  }

  const parsed = parseAuthorization(authorization);
  if (!parsed) {
    throw PAIRS_ONLY.test(authorization)
      ? new ApiError('authorization_missing_params', 'Authorization lacks algorithm, headers, signature or apikey')
      : new ApiError('authorization_invalid_headers', 'Authorization is not algorithm="…",headers="…",signature="…",apikey="…"');
  }
  if (parsed.algorithm.toLowerCase() !== 'hmac-sha256') throw new ApiError('authorization_invalid_headers', 'algorithm must be hmac-sha256');
  if (parsed.headers.toLowerCase() !== 'date') throw new ApiError('authorization_invalid_headers', 'headers must be "date"');

  const key = db.findApiKey(parsed.apiKey);
  if (!key) throw new ApiError('invalid_api_key');
  if (key.revoked) throw new ApiError('revoked_api_key');
  if (!signaturesEqual(sign(key.sharedKey, date), parsed.signature)) throw new ApiError('signature_mismatch');
  checkClock(dateMs, now);
  return { kind: 'hmac', apiKey: key.apiKey, readOnly: key.readOnly, products: key.products };
}

function checkClock(dateMs: number, now: number): void {
  const skew = dateMs - now;
  if (Math.abs(skew) > MAX_CLOCK_SKEW_MS) {
    throw new ApiError('date_header_diff', `Date is ${Math.round(skew / 1000)} s ${skew < 0 ? 'behind' : 'ahead of'} server time`);
  }
}
