// The License API's routes in the sandbox: which endpoint answers which method and path,
// and a request taken through authorisation, content type and input parsing to its handler.
import type { IncomingMessage } from 'node:http';
import { ApiError } from './api-error.ts';
import { authorize } from './auth.ts';
import type { SandboxDb } from './db.ts';
import { activateLicense } from './endpoints/activate-license.ts';
import { checkLicense } from './endpoints/check-license.ts';
import type { EndpointHandler } from './endpoints/context.ts';
import { deactivateLicense } from './endpoints/deactivate-license.ts';
import { getDeviceVariables } from './endpoints/get-device-variables.ts';
import { trackDeviceVariables } from './endpoints/track-device-variables.ts';
import { issueToken } from './oauth.ts';
import { type KeyPair } from './signing.ts';
import { parseJsonBody, queryParams } from './validation.ts';
import { headerSafe, isJsonContentType, type Reply } from './http-reply.ts';

export const API_PREFIX = '/api/v4/';
export const TOKEN_PATH = '/auth/token';

const ROUTES: Record<string, { method: 'GET' | 'POST'; handler: EndpointHandler }> = {
  activate_license: { method: 'POST', handler: activateLicense },
  check_license: { method: 'GET', handler: checkLicense },
  deactivate_license: { method: 'POST', handler: deactivateLicense },
  track_device_variables: { method: 'POST', handler: trackDeviceVariables },
  get_device_variables: { method: 'GET', handler: getDeviceVariables },
};
/** Endpoints that take a JSON body; the vendor's server reads no other content type for them. */
const JSON_ENDPOINTS = new Set(Object.entries(ROUTES).filter(([, r]) => r.method === 'POST').map(([name]) => name));
export function endpointName(pathname: string): string {
  if (pathname.startsWith(API_PREFIX)) return pathname.slice(API_PREFIX.length);
  if (pathname === TOKEN_PATH) return 'auth/token';
  return pathname;
}

/** What a request's handler works with. */
export interface RouteContext { db: SandboxDb; keys: KeyPair; now(): number; tokenTtl: number }

/** The reply to an API request (throws ApiError for a request the server refuses). */
export function routeRequest(req: IncomingMessage, url: URL, endpoint: string, raw: Buffer, ctx: RouteContext): Reply {
  const { db, keys, now, tokenTtl } = ctx;
  const method = req.method ?? 'GET';
  if (url.pathname === TOKEN_PATH && method === 'POST') return issueToken(raw, req.headers, db, now(), tokenTtl);
  const target = url.pathname.startsWith(API_PREFIX) ? ROUTES[endpoint] : undefined;
  if (!target || target.method !== method) throw new ApiError('not_found', `${method} ${url.pathname}`);
  const at = now();
  const auth = authorize(req.headers, db, at);
  if (JSON_ENDPOINTS.has(endpoint) && !isJsonContentType(req.headers['content-type'])) {
    throw new ApiError('unsupported_media_type', `Content-Type is ${req.headers['content-type'] ? `"${headerSafe(req.headers['content-type']).slice(0, 60)}"` : 'missing'}`);
  }
  const input = target.method === 'GET' ? queryParams(url.searchParams) : parseJsonBody(raw);
  return target.handler(input, { db, now: at, keys, auth });
}
