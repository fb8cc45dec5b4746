// The rules a configuration value must follow (zod), one per kind of value: each
// field of the table (app/config/fields.ts) takes its own from here, and the
// configuration's schema (schema.ts) is those fields' rules together.
import { z } from 'zod';

export const PRODUCTION_API_URL = 'https://api.licensespring.com/api/v4/';
export const PRODUCTION_TOKEN_URL = 'https://auth.licensespring.com/realms/user-portal/protocol/openid-connect/token';

const MIN_INTERVAL_MS = 10_000;
const MAX_INTERVAL_MS = 24 * 3_600_000;
const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

export const trimmed = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`)
  .refine((s) => !CONTROL_CHARS.test(s), 'must not contain control characters');

/** The message for http:// to another machine without the insecureHttp opt-in. */
export const PLAIN_HTTP_RULE = 'must use https:// (http:// only for a License API on this machine: localhost, 127.0.0.1 or [::1]; a plain-HTTP lab server elsewhere needs insecureHttp: true)';

/** True for an http:// URL whose host is not this machine. */
export function isRemotePlainHttp(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' && !isLoopbackHost(url.hostname);
  } catch {
    return false;
  }
}

/** localhost, 127.0.0.0/8 and ::1: the only hosts plain http:// may name (unless insecureHttp). */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname) || hostname === '[::1]';
}

/**
 * An absolute URL without credentials, query or fragment (trimmed, bounded); `protocolProblem`
 * says what is wrong with its scheme, if anything. The License API's URLs and the update server's.
 */
export function urlSchema(example: string, protocolProblem: (url: URL) => string | undefined, credentialsMessage = 'must not contain a user name or password; put credentials in their own fields') {
  return z.string().trim().max(2048, 'must be at most 2048 characters').superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be an absolute URL such as ${example}` });
      return;
    }
    const protocol = protocolProblem(url);
    if (protocol) ctx.addIssue({ code: 'custom', message: protocol });
    if (url.username || url.password) ctx.addIssue({ code: 'custom', message: credentialsMessage });
    if (url.search || url.hash) ctx.addIssue({ code: 'custom', message: 'must not contain a query string or fragment' });
  });
}

// Plain HTTP to another machine is refused after parsing (load.ts: plainHttpProblems), unless insecureHttp allows it.
export const httpUrl = urlSchema('https://api.licensespring.com/api/v4/',
  (url) => (url.protocol !== 'https:' && url.protocol !== 'http:' ? 'must use https:// (or http:// for a local sandbox)' : undefined));

export const filePath = trimmed(4096).refine((p) => !p.includes('\0'), 'must be a file path');

/** Parses a duration: a number of minutes, or a number with an s/m/h suffix. */
export function parseDuration(input: string | number): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) ? Math.round(input * 60_000) : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h|min)?\s*$/i.exec(input);
  if (!match) return undefined;
  const amount = Number(match[1]);
  const unit = (match[2] ?? 'm').toLowerCase();
  const factor = unit === 's' ? 1000 : unit === 'h' ? 3_600_000 : 60_000;
  return Math.round(amount * factor);
}

const DURATION_RULE = 'must be minutes (e.g. 15) or a number with s, m or h (e.g. 90s, 15m, 1h)';

export const durationMs = z.union([z.number(), z.string()], { error: DURATION_RULE }).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: DURATION_RULE });
    return z.NEVER;
  }
  if (ms < MIN_INTERVAL_MS || ms > MAX_INTERVAL_MS) {
    ctx.addIssue({ code: 'custom', message: 'must be between 10s and 24h' });
    return z.NEVER;
  }
  return ms;
});

export const variableName = z.string().regex(NAME, 'names must be 1-64 characters of A-Z a-z 0-9 _ . -')
  .refine((name) => !['__proto__', 'constructor', 'prototype'].includes(name), 'is a reserved name');

/** allow/deny entries: a name, a `prefix*`, or `*`. */
export const namePattern = z.string().regex(/^[A-Za-z0-9_.-]{1,64}\*?$|^\*$/, 'must be a variable name, a prefix followed by *, or *');

export const customValue = z.union([
  z.string().max(256, 'must be at most 256 characters').refine((s) => !CONTROL_CHARS.test(s), 'must not contain control characters'),
  z.number().finite('must be a finite number'),
  z.boolean(),
], { error: 'must be text, a finite number, or true/false' });

/** Drop-in source allowlists: a source name (the file's name without .json), a prefix followed by *, or *. */
export const sourcePattern = z.string().regex(/^[A-Za-z0-9_-]{1,32}\*?$|^\*$/, 'must be a source name (1-32 of A-Z a-z 0-9 _ -), a prefix followed by *, or *');

export const TRAY_ICON_POLICIES = ['always', 'attention', 'never'] as const;
export type TrayIconPolicy = (typeof TRAY_ICON_POLICIES)[number];
