// The custom app:// protocol: serves the packaged renderer files, nothing
// else, each reply carrying the strict Content-Security-Policy.
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'ui';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const STATUS_PAGE_URL = `${APP_ORIGIN}/index.html`;

/** Privileges for protocol.registerSchemesAsPrivileged (before app ready). */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, stream: false } as const;

/** Only our own files: no remote content, no inline script, no connections. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

/** The file inside root that an app:// URL names, or undefined when it names nothing we serve. */
export function resolveAppFile(url: string, root: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return undefined;
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return undefined;
  }
  if (pathname.includes('\0')) return undefined;
  const rel = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
  const file = resolve(root, rel);
  const inside = relative(resolve(root), file);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside) || inside.split(sep).includes('..')) return undefined;
  if (!(extname(file) in MIME)) return undefined;
  return file;
}

export function securityHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
}

/** The protocol.handle callback: a file from root, or 404. */
export async function handleAppRequest(request: { url: string; method?: string }, root: string): Promise<Response> {
  if (request.method && request.method !== 'GET') return new Response('method not allowed', { status: 405, headers: securityHeaders('text/plain') });
  const file = resolveAppFile(request.url, root);
  if (!file) return new Response('not found', { status: 404, headers: securityHeaders('text/plain') });
  try {
    const body = await readFile(file);
    return new Response(body, { status: 200, headers: securityHeaders(MIME[extname(file)] ?? 'application/octet-stream') });
  } catch {
    return new Response('not found', { status: 404, headers: securityHeaders('text/plain') });
  }
}
