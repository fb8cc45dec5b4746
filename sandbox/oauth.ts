// The OAuth client-credentials token endpoint (POST /auth/token), shaped like
// the vendor's Keycloak realm: form body in, {access_token, expires_in,
// token_type, scope} out, 401 {"error":"invalid_client"} for bad credentials.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { SandboxDb } from './db.ts';

export const DEFAULT_TOKEN_TTL_SECONDS = 480;

export interface TokenReply { status: number; body: unknown }

function secretsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Client id/secret from the form body, or from HTTP Basic authorization. */
function clientCredentials(form: URLSearchParams, headers: IncomingHttpHeaders): { id: string; secret: string } | undefined {
  const id = form.get('client_id');
  const secret = form.get('client_secret');
  if (id && secret) return { id, secret };
  const basic = /^Basic\s+(\S+)$/i.exec(headers.authorization ?? '');
  if (!basic) return undefined;
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

export function issueToken(raw: Buffer, headers: IncomingHttpHeaders, db: SandboxDb, now: number, ttlSeconds: number): TokenReply {
  const form = new URLSearchParams(raw.toString('utf8'));
  if (form.get('grant_type') !== 'client_credentials') {
    return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'grant_type must be client_credentials' } };
  }
  const credentials = clientCredentials(form, headers);
  const known = credentials ? db.findOAuthClientSecret(credentials.id) : undefined;
  if (!credentials || known === undefined || !secretsEqual(known, credentials.secret)) {
    return { status: 401, body: { error: 'invalid_client', error_description: 'Invalid client or Invalid client credentials' } };
  }
  const accessToken = randomBytes(32).toString('base64url');
  db.addOAuthToken(accessToken, credentials.id, now + ttlSeconds * 1000);
  return { status: 200, body: { access_token: accessToken, expires_in: ttlSeconds, token_type: 'Bearer', scope: 'profile email' } };
}
