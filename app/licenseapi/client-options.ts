// What the License API client is given — where the API is, the credentials, the reply
// key, the transport — and the check of it at construction (a bad option is a
// LicenseApiError naming it, never a request sent with it).
import type { AxiosAdapter } from 'axios';
import { z } from 'zod';
import type { LicenseApiError} from './errors.ts';
import { localError } from './errors.ts';
import type { Transport } from './transport.ts';
import { CLI_NAME } from '../branding/index.ts';

export type LicenseApiAuth =
  | { kind: 'hmac'; apiKey: string; sharedKey: string }
  | { kind: 'oauth'; clientId: string; clientSecret: string; tokenUrl: string };

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** Receives only endpoint names, statuses, codes and timings: never keys, tokens, headers or URLs with queries. */
export type LicenseApiLog = (level: LogLevel, message: string, fields: Record<string, string | number | boolean | undefined>) => void;

export interface LicenseApiClientOptions {
  /** Base URL, e.g. `https://api.licensespring.com/api/v4/` (a missing trailing slash is added). */
  apiUrl: string;
  auth: LicenseApiAuth;
  /** Enables response signature v2 verification. */
  publicKeyPem?: string;
  /** Per-exchange deadline; default 15000. */
  timeoutMs?: number;
  /** Local clock (ms); default Date.now. */
  now?: () => number;
  /** axios adapter ('http' default, 'fetch', or a custom one). */
  adapter?: AxiosAdapter | 'fetch' | 'http';
  /** A fetch implementation (Electron's net.fetch): uses axios's fetch adapter and ignores `transport`. */
  fetch?: typeof globalThis.fetch;
  /** Proxy/CA handling for Node's HTTP stack; default: environment proxies, default roots. */
  transport?: Transport;
  userAgent?: string;
  log?: LicenseApiLog;
}

/** Per call: `signal` aborts the request in flight (the agent stopping); the call then fails at once. */
export interface CallOptions {
  signal?: AbortSignal;
}
export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_USER_AGENT = CLI_NAME;

const secret = (field: string) => z.string({ error: `${field} must be a string` }).min(1, `${field} must not be empty`);
const httpUrl = (field: string) => z.string({ error: `${field} must be a string` }).refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password && !url.search && !url.hash;
  } catch {
    return false;
  }
}, `${field} must be an http(s) URL without credentials, query or fragment`);

export const optionsSchema = z.object({
  apiUrl: httpUrl('apiUrl'),
  auth: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('hmac'), apiKey: secret('auth.apiKey'), sharedKey: secret('auth.sharedKey') }),
    z.object({ kind: z.literal('oauth'), clientId: secret('auth.clientId'), clientSecret: secret('auth.clientSecret'), tokenUrl: httpUrl('auth.tokenUrl') }),
  ], { error: 'auth.kind must be "hmac" or "oauth"' }),
  publicKeyPem: z.string().optional(),
  timeoutMs: z.number().int().min(1).max(600_000, 'timeoutMs must be at most 600000').optional(),
  userAgent: z.string().min(1).max(200).optional(),
});

export function configError(detail: string): LicenseApiError {
  return localError('invalid_request', { summary: `The License API client configuration is invalid: ${detail}.`, detail });
}

