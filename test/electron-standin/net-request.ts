// net.request's ClientRequest as Electron 45 behaves (lib/common/api/net-client-request.ts),
// over Node's http/https instead of Chromium's URLLoader:
// - options as Electron parses them: `url` (or `href`), else protocol (default http:) +
//   host, or hostname (default localhost) + port, + path (a space in it is a TypeError);
//   `headers` validated like setHeader; `session` must be a Session (`partition` a string);
//   only http: and https:;
// - a Writable: the body is gathered, the request starts at end();
// - headers Chromium's network service refuses make the request fail with
//   net::ERR_INVALID_ARGUMENT when it starts;
// - a redirect is reported with 'redirect' (status, method, the new URL, the reply's
//   headers as lists); with redirect 'manual' it dies with "Redirect was cancelled"
//   unless the listener calls followRedirect(); with 'error' it dies with Electron's
//   message; with 'follow' it is followed (up to 20, as Chromium does);
// - network failures are 'error' events with net::ERR_* names; abort() emits 'abort';
// - no 'socket' event (Electron's ClientRequest has no socket: a Node-style
//   `request.on('socket', s => s.setTimeout(…))` never arms);
// - the 'response' is Electron's IncomingMessage shape: a Readable with statusCode,
//   statusMessage, headers (duplicates folded as Electron folds them), rawHeaders,
//   httpVersion. A body cut short destroys it with net::ERR_CONTENT_LENGTH_MISMATCH
//   (a Content-Length was announced) or net::ERR_CONNECTION_RESET, and the request dies
//   with the same error, as Electron's URLLoader 'error' does.
import type {
  ClientRequest as ElectronClientRequest, ClientRequestConstructorOptions, IncomingMessage as ElectronIncomingMessage,
} from 'electron';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable, Writable } from 'node:stream';
import { netError, Session, UNSAFE_REQUEST_HEADERS } from './session.ts';

type RedirectPolicy = 'follow' | 'error' | 'manual';
const MAX_REDIRECTS = 20;

/** Headers Node (and Electron's IncomingMessage) keep only the first of (net-client-request.ts). */
const DISCARDABLE_DUPLICATES = new Set([
  'content-type', 'content-length', 'user-agent', 'referer', 'host', 'authorization', 'proxy-authorization', 'if-modified-since',
  'if-unmodified-since', 'from', 'location', 'max-forwards', 'retry-after', 'etag', 'last-modified', 'server', 'age', 'expires',
]);

/** RFC 7230 token characters (what Node's and Chromium's header name checks accept). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function validateHeader(name: unknown, value: unknown): void {
  if (typeof name !== 'string') throw new TypeError('`name` should be a string in setHeader(name, value)');
  if (value == null) throw new Error(`\`value\` required in setHeader("${name}", value)`);
  if (!HEADER_NAME.test(name)) throw new Error(`Invalid header name: '${name}'`);
  // eslint-disable-next-line no-control-regex -- control characters are what makes a value invalid
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(String(value))) throw new Error(`Invalid value for header '${name}': '${String(value)}'`);
}

/** The request URL from Electron's options (parseOptions in net-client-request.ts). */
function urlFromOptions(o: ClientRequestConstructorOptions & { href?: string }): string {
  const direct = o.url || o.href;
  if (direct) return direct;
  const protocol = o.protocol || 'http:';
  const authority = o.host ? o.host : `${o.hostname || 'localhost'}${o.port ? `:${o.port}` : ''}`;
  if (o.path && / /.test(o.path)) throw new TypeError('Request path contains unescaped characters');
  const path = new URL(o.path || '/', 'http://localhost');
  return `${protocol}//${authority}${path.pathname}${path.search}${path.hash}`;
}

/** Electron's IncomingMessage over Node's: the same members, the same header folding. */
export class StandinIncomingMessage extends Readable implements Pick<ElectronIncomingMessage, 'statusCode' | 'statusMessage' | 'headers' | 'rawHeaders' | 'httpVersion' | 'httpVersionMajor' | 'httpVersionMinor'> {
  readonly statusCode: number;
  readonly statusMessage: string;
  readonly rawHeaders: string[];
  readonly httpVersionMajor: number;
  readonly httpVersionMinor: number;
  readonly #source: IncomingMessage;

  constructor(source: IncomingMessage) {
    super();
    this.#source = source;
    this.statusCode = source.statusCode ?? 0;
    this.statusMessage = source.statusMessage ?? '';
    this.rawHeaders = [...source.rawHeaders];
    this.httpVersionMajor = source.httpVersionMajor;
    this.httpVersionMinor = source.httpVersionMinor;
    source.on('data', (chunk: Buffer) => { if (!this.push(chunk)) source.pause(); });
    source.on('end', () => this.push(null));
  }

  get httpVersion(): string { return `${this.httpVersionMajor}.${this.httpVersionMinor}`; }

  get headers(): Record<string, string | string[]> {
    const lists = new Map<string, string[]>();
    for (let i = 0; i + 1 < this.rawHeaders.length; i += 2) {
      const name = (this.rawHeaders[i] as string).toLowerCase();
      lists.set(name, [...(lists.get(name) ?? []), this.rawHeaders[i + 1] as string]);
    }
    const out: Record<string, string | string[]> = {};
    for (const [name, values] of lists) {
      if (name === 'set-cookie') out[name] = values;
      else out[name] = DISCARDABLE_DUPLICATES.has(name) ? (values[0] as string) : values.join(', ');
    }
    return out;
  }

  override _read(): void {
    this.#source.resume();
  }
}

export class StandinClientRequest extends Writable implements Pick<ElectronClientRequest, 'setHeader' | 'getHeader' | 'removeHeader' | 'followRedirect' | 'abort'> {
  #url: string;
  #method: string;
  readonly #policy: RedirectPolicy;
  readonly #headers = new Map<string, { name: string; value: string }>();
  #body: Buffer[] = [];
  #started = false;
  #aborted = false;
  #dead = false;
  #followRedirectCb: (() => void) | undefined;
  #current: ReturnType<typeof httpRequest> | undefined;
  #response: StandinIncomingMessage | undefined;
  #redirects = 0;

  constructor(options: ClientRequestConstructorOptions | string) {
    super();
    const o: ClientRequestConstructorOptions = typeof options === 'string' ? { url: options } : { ...options };
    const url = urlFromOptions(o);
    const policy = o.redirect ?? 'follow';
    if (!['follow', 'error', 'manual'].includes(policy)) throw new Error('redirect mode should be one of follow, error or manual');
    if (o.headers != null && typeof o.headers !== 'object') throw new TypeError('headers must be an object');
    for (const [name, value] of Object.entries(o.headers ?? {})) {
      validateHeader(name, value);
      this.#headers.set(name.toLowerCase(), { name, value: String(value) });
    }
    if (o.session) {
      if (!(o.session instanceof Session)) throw new TypeError('`session` should be an instance of the Session class');
    } else if (o.partition !== undefined && typeof o.partition !== 'string') {
      throw new TypeError('`partition` should be a string');
    }
    const protocol = new URL(url).protocol;
    if (protocol !== 'http:' && protocol !== 'https:') throw new Error('ClientRequest only supports http: and https: protocols');
    this.#url = url;
    this.#method = (o.method ?? 'GET').toUpperCase();
    this.#policy = policy;
  }

  setHeader(name: string, value: string): void {
    if (this.#started) throw new Error("Can't set headers after they are sent");
    validateHeader(name, value);
    this.#headers.set(name.toLowerCase(), { name, value: String(value) });
  }

  getHeader(name: string): string {
    return this.#headers.get(name.toLowerCase())?.value as string;
  }

  removeHeader(name: string): void {
    if (this.#started) throw new Error("Can't remove headers after they are sent");
    this.#headers.delete(name.toLowerCase());
  }

  followRedirect(): void {
    if (!this.#followRedirectCb) throw new Error('followRedirect() called, but was not waiting for a redirect');
    this.#followRedirectCb();
  }

  abort(): void {
    if (!this.#aborted) process.nextTick(() => this.emit('abort'));
    this.#aborted = true;
    this.#current?.destroy();
    this.destroy();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.#body.push(Buffer.from(chunk));
    callback();
  }

  override _final(callback: () => void): void {
    this.#start();
    callback();
  }

  /** Electron's _die after a URLLoader 'error': the response is destroyed with the error (emitted next tick), the request fails at once. */
  #die(error: Error): void {
    if (this.#aborted || this.#dead) return;
    this.#dead = true;
    if (this.#response && !this.#response.destroyed) this.#response.destroy(error);
    this.emit('error', error);
    this.#current?.destroy();
    this.destroy();
  }

  #start(): void {
    this.#started = true;
    for (const key of this.#headers.keys()) {
      if (UNSAFE_REQUEST_HEADERS.has(key)) {
        process.nextTick(() => this.#die(new Error('net::ERR_INVALID_ARGUMENT')));
        return;
      }
    }
    const url = new URL(this.#url);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const body = Buffer.concat(this.#body);
    const headers: Record<string, string> = {};
    for (const { name, value } of this.#headers.values()) headers[name] = value;
    if (body.length > 0) headers['content-length'] = String(body.length);
    const req = send(url, { method: this.#method, headers }, (response) => this.#onResponse(response));
    this.#current = req;
    req.on('error', (error) => this.#die(netError(error)));
    req.end(body.length > 0 ? body : undefined);
  }

  #onResponse(response: IncomingMessage): void {
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if ([301, 302, 303, 307, 308].includes(status) && location) {
      response.resume();
      const newUrl = new URL(location, this.#url).toString();
      const newMethod = status === 303 || ((status === 301 || status === 302) && this.#method === 'POST') ? 'GET' : this.#method;
      const lists: Record<string, string[]> = {};
      for (const [k, v] of Object.entries(response.headers)) if (v !== undefined) lists[k] = Array.isArray(v) ? v : [v];
      if (this.#policy === 'error') return this.#die(new Error("Attempted to redirect, but redirect policy was 'error'"));
      let follow = this.#policy === 'follow';
      if (this.#policy === 'manual') this.#followRedirectCb = () => { follow = true; };
      try {
        this.emit('redirect', status, newMethod, newUrl, lists);
      } finally {
        this.#followRedirectCb = undefined;
      }
      if (this.#aborted) return;
      if (!follow) return this.#die(new Error('Redirect was cancelled'));
      if (++this.#redirects > MAX_REDIRECTS) return this.#die(new Error('net::ERR_TOO_MANY_REDIRECTS'));
      this.#url = newUrl;
      if (newMethod !== this.#method) {
        this.#method = newMethod;
        this.#body = [];
      }
      this.#start();
      return;
    }
    const message = new StandinIncomingMessage(response);
    this.#response = message;
    // A body cut short: Chromium's URLLoader reports the net error; Electron destroys the response with it and the request dies.
    response.on('close', () => {
      if (!response.complete) this.#die(new Error(response.headers['content-length'] !== undefined ? 'net::ERR_CONTENT_LENGTH_MISMATCH' : 'net::ERR_CONNECTION_RESET'));
    });
    response.on('error', () => undefined); // reported on 'close' above
    this.emit('response', message);
  }
}
