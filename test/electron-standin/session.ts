// The default session: its protocol handlers, its fetch (net.fetch), its
// permission handlers; and the global protocol/net modules that lead to it.
// Before ready, reaching the default session throws Electron's TypeError, which
// is why protocol.handle and net.fetch throw then (lib/browser/api/protocol.ts,
// net.ts; electron_api_session.cc).
//
// Chromium cannot load a custom scheme it was not built with: navigating a page
// to app://ui/… is aborted before any request exists. So a privileged standard
// scheme is given a stand-in origin the page really loads —
// app://ui/x ↔ https://ui.app.electron-standin.invalid/x (http: when the scheme
// is not `secure`) — whose every request is answered by the handler the app
// registered with protocol.handle, through Chromium's request interception, so
// Chromium applies the handler's headers (CSP included). Everything the app sees
// (webContents.getURL, senderFrame.url, will-navigate, the handler's request)
// carries the app:// form.
import type {
  ClientRequest as ElectronClientRequest, ClientRequestConstructorOptions, CustomScheme, Net as ElectronNet, Protocol as ElectronProtocol, Session as ElectronSession,
} from 'electron';
import { StandinClientRequest } from './net-request.ts';
import type { OnlyElectronKeys } from './exact.ts';
import { runtime } from './runtime.ts';

export const STANDIN_DOMAIN = 'electron-standin.invalid';
const NOT_READY = 'Session can only be received when app is ready';

const privileged = new Map<string, NonNullable<CustomScheme['privileges']>>();

/** Chromium's request headers its network service refuses (services/network/public/cpp/header_util.cc). */
export const UNSAFE_REQUEST_HEADERS = new Set(['content-length', 'host', 'trailer', 'te', 'upgrade', 'cookie2', 'keep-alive', 'transfer-encoding', 'set-cookie']);

function isMappedScheme(scheme: string): boolean {
  return privileged.get(scheme)?.standard === true;
}

/** The URL Chromium loads for `url` (custom standard schemes get their stand-in origin). */
export function toChromiumUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  const scheme = u.protocol.slice(0, -1);
  if (!isMappedScheme(scheme)) return url;
  const web = privileged.get(scheme)?.secure ? 'https' : 'http';
  return `${web}://${u.hostname || '_'}.${scheme}.${STANDIN_DOMAIN}${u.pathname}${u.search}${u.hash}`;
}

/** The URL the app sees for a URL Chromium loaded. */
export function fromChromiumUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  if (!u.hostname.endsWith(`.${STANDIN_DOMAIN}`)) return url;
  const labels = u.hostname.slice(0, -STANDIN_DOMAIN.length - 1).split('.');
  const scheme = labels.pop() ?? '';
  const host = labels.join('.');
  return `${scheme}://${host === '_' ? '' : host}${u.pathname}${u.search}${u.hash}`;
}

type ProtocolHandler = (request: Request) => Response | Promise<Response>;

/** Chromium's outcome of asking a handler: a response, or a net error name. */
export type HandlerOutcome = { response: Response } | { error: 'ERR_FAILED' | 'ERR_UNEXPECTED' | 'ERR_UNKNOWN_URL_SCHEME' };

type ProtocolMembers = 'handle' | 'unhandle' | 'isProtocolHandled';

class SessionProtocol implements Pick<ElectronProtocol, ProtocolMembers> {
  readonly #handlers = new Map<string, ProtocolHandler>();

  handle(scheme: string, handler: ProtocolHandler): void {
    if (['http', 'https', 'file'].includes(scheme)) throw new Error(`protocol.handle('${scheme}') (intercepting a built-in scheme) is not emulated by the Electron stand-in`);
    if (this.#handlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
    this.#handlers.set(scheme, handler);
  }

  unhandle(scheme: string): void {
    if (!this.#handlers.delete(scheme)) throw new Error(`Failed to unhandle protocol: ${scheme}`);
  }

  isProtocolHandled(scheme: string): boolean {
    return this.#handlers.has(scheme);
  }

  /** Asks the app's handler, with Electron's checks on what it returns. */
  static async answer(p: SessionProtocol, request: Request): Promise<HandlerOutcome> {
    const handler = p.#handlers.get(new URL(request.url).protocol.slice(0, -1));
    if (!handler) return { error: 'ERR_UNKNOWN_URL_SCHEME' };
    try {
      const response = await handler(request);
      if (!(response instanceof Response)) return { error: 'ERR_UNEXPECTED' };
      if (response.type === 'error') return { error: 'ERR_FAILED' };
      return { response };
    } catch (error) {
      console.error(error);
      return { error: 'ERR_UNEXPECTED' };
    }
  }
}

const exactProtocol: OnlyElectronKeys<SessionProtocol, ElectronProtocol> = true;
void exactProtocol;

/** Node's fetch error → the net:: error Chromium reports for the same failure. */
export function netError(error: unknown): Error {
  const cause = (error as { cause?: { code?: string } }).cause;
  const code = cause?.code ?? (error as { code?: string }).code ?? '';
  const name = ({
    ECONNREFUSED: 'ERR_CONNECTION_REFUSED',
    ENOTFOUND: 'ERR_NAME_NOT_RESOLVED', EAI_AGAIN: 'ERR_NAME_NOT_RESOLVED', EAI_NONAME: 'ERR_NAME_NOT_RESOLVED',
    ECONNRESET: 'ERR_CONNECTION_RESET', UND_ERR_SOCKET: 'ERR_CONNECTION_CLOSED', EPIPE: 'ERR_CONNECTION_RESET',
    ETIMEDOUT: 'ERR_CONNECTION_TIMED_OUT', UND_ERR_CONNECT_TIMEOUT: 'ERR_CONNECTION_TIMED_OUT',
    EHOSTUNREACH: 'ERR_ADDRESS_UNREACHABLE', ENETUNREACH: 'ERR_INTERNET_DISCONNECTED',
    CERT_HAS_EXPIRED: 'ERR_CERT_DATE_INVALID', CERT_NOT_YET_VALID: 'ERR_CERT_DATE_INVALID',
    ERR_TLS_CERT_ALTNAME_INVALID: 'ERR_CERT_COMMON_NAME_INVALID',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'ERR_CERT_AUTHORITY_INVALID', SELF_SIGNED_CERT_IN_CHAIN: 'ERR_CERT_AUTHORITY_INVALID',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'ERR_CERT_AUTHORITY_INVALID', UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'ERR_CERT_AUTHORITY_INVALID',
  } as Record<string, string>)[code] ?? 'ERR_FAILED';
  return new Error(`net::${name}`);
}

const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);

type SessionMembers = 'protocol' | 'fetch' | 'setPermissionRequestHandler' | 'setPermissionCheckHandler';

export class Session implements Pick<ElectronSession, SessionMembers> {
  readonly protocol = new SessionProtocol() as unknown as ElectronProtocol;
  #permissionRequestHandler: Parameters<ElectronSession['setPermissionRequestHandler']>[0] = null;
  #permissionCheckHandler: Parameters<ElectronSession['setPermissionCheckHandler']>[0] = null;

  /** Recorded only: the stand-in's Chromium context grants no permission, so the handlers are never asked. */
  setPermissionRequestHandler(handler: Parameters<ElectronSession['setPermissionRequestHandler']>[0]): void {
    this.#permissionRequestHandler = handler;
  }

  setPermissionCheckHandler(handler: Parameters<ElectronSession['setPermissionCheckHandler']>[0]): void {
    this.#permissionCheckHandler = handler;
  }

  static permissionHandlers(s: Session) {
    return { request: s.#permissionRequestHandler, check: s.#permissionCheckHandler };
  }

  static answer(s: Session, request: Request): Promise<HandlerOutcome> {
    return SessionProtocol.answer(s.protocol as unknown as SessionProtocol, request);
  }

  /** lib/browser/api/net-fetch.ts over Node's fetch (Node's HTTP stack, not Chromium's). */
  async fetch(input: string | Request, init?: RequestInit & { bypassCustomProtocolHandlers?: boolean }): Promise<Response> {
    const request = new Request(input, init);
    if (request.signal.aborted) throw request.signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
    for (const [name] of request.headers) {
      if (UNSAFE_REQUEST_HEADERS.has(name.toLowerCase())) throw new Error('net::ERR_INVALID_ARGUMENT');
    }
    const scheme = new URL(request.url).protocol.slice(0, -1);
    if (scheme !== 'http' && scheme !== 'https') {
      if (init?.bypassCustomProtocolHandlers) throw new Error('net::ERR_UNKNOWN_URL_SCHEME');
      const outcome = await Session.answer(this, request);
      if ('error' in outcome) throw new Error(`net::${outcome.error}`);
      return outcome.response;
    }
    let response: Response;
    try {
      response = await fetch(new Request(request, { redirect: request.redirect === 'follow' ? 'follow' : 'manual' }));
    } catch (error) {
      if ((error as { name?: string }).name === 'AbortError') throw error;
      throw netError(error);
    }
    if (request.redirect !== 'follow' && REDIRECT_STATUS.has(response.status) && response.headers.has('location')) {
      await response.body?.cancel().catch(() => undefined);
      // net-client-request.ts: the ClientRequest dies with these when a redirect is not followed.
      throw new Error(request.redirect === 'error' ? "Attempted to redirect, but redirect policy was 'error'" : 'Redirect was cancelled');
    }
    const body = NULL_BODY_STATUS.has(response.status) || request.method === 'HEAD' ? null : response.body;
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  }
}

const exactSession: OnlyElectronKeys<Session, ElectronSession> = true;
void exactSession;

let defaultSession: Session | undefined;

/** `session.defaultSession` (TypeError before ready, like Electron). */
export function getDefaultSession(): Session {
  if (!runtime.ready) throw new TypeError(NOT_READY);
  defaultSession ??= new Session();
  return defaultSession;
}

/** Sessions by partition name ('' is the default session). */
const partitions = new Map<string, Session>();

/**
 * `session.fromPartition` (electron_api_session.cc): '' is the default session; any other
 * name gives one session per name (the same object every time). What a partition holds —
 * cookies, cache, storage — the stand-in has none of, so `persist:` and in-memory
 * partitions, and `{ cache: false }`, behave alike; pages (BrowserWindow) always use the
 * default session. electron-updater downloads through its own partition
 * (`electron-updater`, { cache: false }) with net.request.
 */
export function sessionFromPartition(partition: string, _options?: { cache?: boolean }): Session {
  if (partition === '') return getDefaultSession();
  if (!runtime.ready) throw new TypeError(NOT_READY);
  let s = partitions.get(partition);
  if (!s) {
    s = new Session();
    partitions.set(partition, s);
  }
  return s;
}

export const session = {
  get defaultSession() { return getDefaultSession() as unknown as ElectronSession; },
  fromPartition(partition: string, options?: { cache?: boolean }): ElectronSession {
    return sessionFromPartition(partition, options) as unknown as ElectronSession;
  },
};

export const protocol = {
  registerSchemesAsPrivileged(customSchemes: CustomScheme[]): void {
    if (runtime.ready) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    for (const s of customSchemes) privileged.set(s.scheme, { ...s.privileges });
  },
  handle: (scheme: string, handler: ProtocolHandler): void => getDefaultSession().protocol.handle(scheme, handler),
  unhandle: (scheme: string): void => getDefaultSession().protocol.unhandle(scheme),
  isProtocolHandled: (scheme: string): boolean => getDefaultSession().protocol.isProtocolHandled(scheme),
} satisfies Partial<ElectronProtocol>;

let online = true;
export function setOnline(value: boolean): void {
  online = value;
}

export const net = {
  fetch: (input: string | Request, init?: RequestInit & { bypassCustomProtocolHandlers?: boolean }): Promise<Response> => getDefaultSession().fetch(input, init),
  /** A ClientRequest on the default session (net-request.ts). */
  request: (options: ClientRequestConstructorOptions | string): ElectronClientRequest => {
    getDefaultSession();
    return new StandinClientRequest(options) as unknown as ElectronClientRequest;
  },
  isOnline: (): boolean => online,
  get online(): boolean { return online; },
} satisfies Partial<ElectronNet>;
