// startSandbox: a local License API on node:http + node:sqlite. This file wires
// the parts: routing, the reply (a Date header on every one; a LicenseSignature on
// successful ones, and on errors too only when asked: the vendor signs no error
// reply), fault injection, the request log, the admin route. Rules live in the modules.
import { randomBytes } from 'node:crypto';
import { createServer, STATUS_CODES } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { httpDate } from '../app/licenseapi/signing.ts';
import { createAdmin } from './admin.ts';
import type { SandboxAdmin } from './admin.ts';
import { handleAdminRoute } from './admin-route.ts';
import { ApiError, errorBody } from './api-error.ts';
import { authorize } from './auth.ts';
import { SandboxDb } from './db.ts';
import { ensureAccess, ensureDemoData } from './demo-data.ts';
import { activateLicense } from './endpoints/activate-license.ts';
import { checkLicense } from './endpoints/check-license.ts';
import type { EndpointHandler } from './endpoints/context.ts';
import { deactivateLicense } from './endpoints/deactivate-license.ts';
import { getDeviceVariables } from './endpoints/get-device-variables.ts';
import { trackDeviceVariables } from './endpoints/track-device-variables.ts';
import { FaultSet } from './faults.ts';
import type { FaultPlan, FaultRule } from './faults.ts';
import { DEFAULT_TOKEN_TTL_SECONDS, issueToken } from './oauth.ts';
import { RequestLog } from './request-log.ts';
import type { RequestRecord } from './request-log.ts';
import { loadOrCreateKeyPair, rsaSign } from './signing.ts';
import { parseJsonBody, queryParams } from './validation.ts';

export type { FaultRule } from './faults.ts';
export type { SandboxAdmin } from './admin.ts';

export interface SandboxOptions {
  port?: number;
  host?: string;
  /** node:sqlite file; default ':memory:'. The RSA key pair is kept with the data (in the db). */
  dbPath?: string;
  /** Default true: creates the demo product/licenses (kept in the db, so created once per file). */
  seedDemo?: boolean;
  /** Guards the loopback-only admin route; random if omitted. */
  adminToken?: string;
  /** Server clock (ms); default Date.now. */
  now?: () => number;
  /** RSA modulus length for a newly generated key pair; default 2048 (the vendor uses 4096). */
  rsaBits?: number;
  /** Lifetime of OAuth access tokens; default 480 s like the vendor's. */
  oauthTokenTtlSeconds?: number;
  /** Random source for fault probabilities; default Math.random. */
  random?: () => number;
  /** Receives one line per answered request (no secrets, no query strings). */
  onLog?: (line: string) => void;
  /**
   * Sign error replies too (default false: like the vendor's server, only 2xx replies carry
   * a LicenseSignature). For a client that wants to test what it does with signed errors.
   */
  signErrors?: boolean;
}

export interface DemoConfig {
  apiUrl: string;
  apiKey: string;
  sharedKey: string;
  /** Key-based product short code ('' when seedDemo is false). */
  product: string;
  /** An enabled+active key-based license with 100 activations ('' when seedDemo is false). */
  licenseKey: string;
  userProduct: string;
  username: string;
  password: string;
  oauth: { tokenUrl: string; clientId: string; clientSecret: string };
  /** Verifies the LicenseSignature header (v2) and license_signature (v1). */
  publicKeyPem: string;
}

export interface Sandbox {
  url: string;
  origin: string;
  port: number;
  adminToken: string;
  demo: DemoConfig;
  faults: { inject(rule: FaultRule): void; clear(): void };
  admin: SandboxAdmin;
  close(): Promise<void>;
}

export const API_PREFIX = '/api/v4/';
export const TOKEN_PATH = '/auth/token';
/** Header with the reason of an error reply (the body stays exactly {status, code, message}). */
export const DETAIL_HEADER = 'X-Sandbox-Error-Detail';

const ROUTES: Record<string, { method: 'GET' | 'POST'; handler: EndpointHandler }> = {
  activate_license: { method: 'POST', handler: activateLicense },
  check_license: { method: 'GET', handler: checkLicense },
  deactivate_license: { method: 'POST', handler: deactivateLicense },
  track_device_variables: { method: 'POST', handler: trackDeviceVariables },
  get_device_variables: { method: 'GET', handler: getDeviceVariables },
};

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  code?: string;
  detail?: string;
}

/** Endpoints that take a JSON body; the vendor's server reads no other content type for them. */
const JSON_ENDPOINTS = new Set(Object.entries(ROUTES).filter(([, r]) => r.method === 'POST').map(([name]) => name));

function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  return /^application\/json\s*(;|$)/i.test(value.trim());
}

function endpointName(pathname: string): string {
  if (pathname.startsWith(API_PREFIX)) return pathname.slice(API_PREFIX.length);
  if (pathname === TOKEN_PATH) return 'auth/token';
  return pathname;
}

/** Reads the whole body, keeping at most `keep` bytes (enough to tell "too large"). */
function readBody(req: IncomingMessage, keep: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    req.on('data', (chunk: Buffer) => {
      if (kept >= keep) return;
      chunks.push(chunk);
      kept += chunk.length;
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function apiErrorReply(error: ApiError): Reply {
  return { status: error.status, body: error.body(), code: error.code, ...(error.detail ? { detail: error.detail } : {}) };
}

function statusFaultReply(rule: FaultRule): Reply {
  const status = rule.status ?? 500;
  const reason = STATUS_CODES[status] ?? 'Error';
  const body = status === 500 ? errorBody('internal_error') : { status, code: reason.toLowerCase().replace(/[^a-z0-9]+/g, '_'), message: reason };
  return { status, body, code: body.code, ...(rule.retryAfter ? { headers: { 'Retry-After': rule.retryAfter } } : {}) };
}

function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 300);
}

/** Opens the database and makes sure it holds a key pair, API access and (optionally) the demo data. */
async function openData(options: SandboxOptions) {
  const db = new SandboxDb(options.dbPath ?? ':memory:');
  try {
    const keys = await loadOrCreateKeyPair(db, options.rsaBits ?? 2048);
    const access = ensureAccess(db);
    const demoSeed = options.seedDemo === false ? undefined : ensureDemoData(db);
    return { db, keys, access, demoSeed };
  } catch (error) {
    db.close();
    throw error;
  }
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const now = options.now ?? Date.now;
  const host = options.host ?? '127.0.0.1';
  const tokenTtl = options.oauthTokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  const { db, keys, access, demoSeed } = await openData(options);
  const adminToken = options.adminToken ?? randomBytes(24).toString('base64url');
  const faults = new FaultSet(options.random);
  const log = new RequestLog();
  const admin = createAdmin(db, log);
  const closing = new AbortController();
  const privateKeyPem = keys.privateKeyPem;
  const signErrors = options.signErrors ?? false;

  function record(req: IncomingMessage, endpoint: string, status: number, code: string | undefined, started: number, detail?: string): void {
    const entry: RequestRecord = { method: req.method ?? '?', endpoint, status, at: now(), ...(code ? { code } : {}) };
    log.add(entry);
    if (options.onLog) {
      const ms = Math.round(performance.now() - started);
      options.onLog(`${new Date().toISOString()} ${entry.method} /${endpoint.replace(/^\//, '')} ${status}${code ? ` ${code}` : ''} ${ms}ms${detail ? ` (${detail})` : ''}`);
    }
  }

  function send(res: ServerResponse, reply: Reply, plan: FaultPlan): void {
    let status = reply.status;
    let text = JSON.stringify(reply.body);
    if (plan.terminal?.kind === 'malformed') {
      status = 200;
      text = `{"malformed": ${text.slice(0, Math.ceil(text.length / 2))}`;
    }
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/json; charset=utf-8',
      Date: httpDate(now() + plan.dateSkewMs),
      ...reply.headers,
    };
    if (reply.detail) headers[DETAIL_HEADER] = headerSafe(reply.detail);
    const signs = (status >= 200 && status < 300) || signErrors;
    if (signs && plan.signature === 'valid') headers.LicenseSignature = rsaSign(privateKeyPem, text);
    if (signs && plan.signature === 'bad') headers.LicenseSignature = rsaSign(privateKeyPem, `${text} `);
    const bytes = Buffer.from(text, 'utf8');
    headers['Content-Length'] = bytes.length;
    if (plan.terminal?.kind === 'reset-mid-reply') {
      res.writeHead(status, headers);
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy());
      return;
    }
    res.writeHead(status, headers);
    res.end(bytes);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const method = req.method ?? 'GET';

    if (url.pathname.startsWith('/__admin/')) {
      const raw = await readBody(req, 1024 * 1024);
      const reply = handleAdminRoute({ method, pathname: url.pathname, query: url.searchParams, headers: req.headers, peer: req.socket.remoteAddress, raw }, { adminToken, faults, admin });
      send(res, reply, { latencyMs: 0, terminal: undefined, dateSkewMs: 0, signature: 'valid' });
      return;
    }

    const endpoint = endpointName(url.pathname);
    const plan = faults.plan(endpoint);
    if (plan.latencyMs > 0) await sleep(plan.latencyMs, undefined, { signal: closing.signal });
    if (plan.terminal?.kind === 'drop') {
      record(req, endpoint, 0, 'fault:drop', started);
      req.socket.destroy();
      return;
    }
    if (plan.terminal?.kind === 'status') {
      const reply = statusFaultReply(plan.terminal);
      send(res, reply, plan);
      record(req, endpoint, reply.status, reply.code, started, 'fault:status');
      return;
    }

    const raw = await readBody(req, 2 * 64 * 1024);
    if (closing.signal.aborted) return;
    let reply: Reply;
    try {
      reply = route(req, url, endpoint, raw);
    } catch (error) {
      if (error instanceof ApiError) {
        reply = apiErrorReply(error);
      } else {
        reply = apiErrorReply(new ApiError('internal_error'));
        options.onLog?.(`internal error on /${endpoint}: ${(error as Error).message}`);
      }
    }
    send(res, reply, plan);
    const fault = plan.terminal ? `fault:${plan.terminal.kind}` : undefined;
    record(req, endpoint, plan.terminal?.kind === 'malformed' ? 200 : reply.status, reply.code, started, [fault, reply.detail].filter(Boolean).join('; ') || undefined);
  }

  function route(req: IncomingMessage, url: URL, endpoint: string, raw: Buffer): Reply {
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

  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    res.on('error', () => {});
    handle(req, res).catch((error: unknown) => {
      if (closing.signal.aborted) {
        req.socket.destroy();
        return;
      }
      options.onLog?.(`sandbox: failed to answer ${req.method} ${req.url?.split('?')[0]}: ${(error as Error).message}`);
      if (!res.headersSent) {
        send(res, apiErrorReply(new ApiError('internal_error')), { latencyMs: 0, terminal: undefined, dateSkewMs: 0, signature: 'valid' });
      } else {
        req.socket.destroy();
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // Like any HTTP server (Node's default): a request it cannot parse — a TLS hello sent to
  // this plain-HTTP port, say — gets a bare 400, so the client can tell what it reached.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: unknown) => {
    db.close();
    throw error;
  });

  const port = (server.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const origin = `http://${urlHost}:${port}`;
  const apiUrl = `${origin}${API_PREFIX}`;
  const demo: DemoConfig = {
    apiUrl,
    apiKey: access.apiKey,
    sharedKey: access.sharedKey,
    product: demoSeed?.product ?? '',
    licenseKey: demoSeed?.licenseKey ?? '',
    userProduct: demoSeed?.userProduct ?? '',
    username: demoSeed?.username ?? '',
    password: demoSeed?.password ?? '',
    oauth: { tokenUrl: `${origin}${TOKEN_PATH}`, clientId: access.clientId, clientSecret: access.clientSecret },
    publicKeyPem: keys.publicKeyPem,
  };

  let closed: Promise<void> | undefined;
  return {
    url: apiUrl,
    origin,
    port,
    adminToken,
    demo,
    faults: { inject: (rule) => faults.inject(rule), clear: () => faults.clear() },
    admin,
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => {
          db.close();
          resolve();
        });
        for (const socket of sockets) socket.destroy();
      });
      return closed;
    },
  };
}
