// startSandbox: a local License API on node:http + node:sqlite. This file wires
// the parts: routing, the reply (a Date header on every one; a LicenseSignature on
// successful ones, and on errors too only when asked: the vendor signs no error
// reply), fault injection, the request log, the admin route. Rules live in the modules.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAdmin } from './admin.ts';
import type { SandboxAdmin } from './admin.ts';
import { handleAdminRoute } from './admin-route.ts';
import { ApiError } from './api-error.ts';
import { SandboxDb } from './db.ts';
import { ensureAccess, ensureDemoData } from './demo-data.ts';
import { FaultSet } from './faults.ts';
import type { FaultPlan, FaultRule } from './faults.ts';
import { DEFAULT_TOKEN_TTL_SECONDS } from './oauth.ts';
import { RequestLog } from './request-log.ts';
import type { RequestRecord } from './request-log.ts';
import { loadOrCreateKeyPair } from './signing.ts';
import { apiErrorReply, readBody, statusFaultReply, writeReply, type Reply } from './http-reply.ts';
import { API_PREFIX, TOKEN_PATH, endpointName, routeRequest } from './routes.ts';

export { DETAIL_HEADER } from './http-reply.ts';
export { API_PREFIX, TOKEN_PATH } from './routes.ts';

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
  const signing = { now, privateKeyPem, signErrors };
  const send = (res: ServerResponse, reply: Reply, plan: FaultPlan) => writeReply(res, reply, plan, signing);
  const route = (req: IncomingMessage, url: URL, endpoint: string, raw: Buffer) => routeRequest(req, url, endpoint, raw, { db, keys, now, tokenTtl });

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
