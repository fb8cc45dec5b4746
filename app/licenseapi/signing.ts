// HMAC request signing for the License API (API key + shared key).
// The exact bytes are fixed by the vendor's published test vector; see signing.test.ts.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNING_PREFIX = 'licenseSpring';

/** The string that is signed: `licenseSpring\ndate: <Date header>` (no trailing newline). */
export function signingString(dateHeader: string): string {
  return `${SIGNING_PREFIX}\ndate: ${dateHeader}`;
}

/** Base64(HMAC-SHA256(sharedKey, signingString(dateHeader))). */
export function sign(sharedKey: string, dateHeader: string): string {
  return createHmac('sha256', Buffer.from(sharedKey, 'utf8')).update(signingString(dateHeader), 'utf8').digest('base64');
}

/** RFC 7231 IMF-fixdate, e.g. `Tue, 07 Jun 2011 20:51:35 GMT`. */
export function httpDate(epochMs: number): string {
  return new Date(epochMs).toUTCString();
}

/** The Authorization header value, in the compact form the official SDKs send. */
export function authorizationHeader(apiKey: string, signature: string): string {
  return `algorithm="hmac-sha256",headers="date",signature="${signature}",apikey="${apiKey}"`;
}

export interface SignedHeaders {
  Date: string;
  Authorization: string;
}

export function signedHeaders(apiKey: string, sharedKey: string, epochMs: number): SignedHeaders {
  const date = httpDate(epochMs);
  return { Date: date, Authorization: authorizationHeader(apiKey, sign(sharedKey, date)) };
}

export interface ParsedAuthorization {
  algorithm: string;
  headers: string;
  signature: string;
  apiKey: string;
}

/**
 * Parses an HMAC Authorization header. Accepts the three spellings seen in the wild:
 * with or without spaces after the commas, and `apikey` or `apiKey`.
 * Returns undefined when the header is not of that form.
 */
export function parseAuthorization(header: string): ParsedAuthorization | undefined {
  const fields = new Map<string, string>();
  const pattern = /\s*([A-Za-z]+)="([^"]*)"\s*(?:,|$)/y;
  let index = 0;
  while (index < header.length) {
    pattern.lastIndex = index;
    const match = pattern.exec(header);
    if (!match) return undefined;
    const name = match[1]!.toLowerCase();
    if (fields.has(name)) return undefined;
    fields.set(name, match[2]!);
    index = pattern.lastIndex;
  }
  const algorithm = fields.get('algorithm');
  const headers = fields.get('headers');
  const signature = fields.get('signature');
  const apiKey = fields.get('apikey');
  if (algorithm === undefined || headers === undefined || signature === undefined || apiKey === undefined) return undefined;
  return { algorithm, headers, signature, apiKey };
}

/** Constant-time comparison of two base64 signatures. */
export function signaturesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
