// net.request's ClientRequest as Electron 45 behaves (lib/common/api/net-client-request.ts),
// over Node's http/https instead of Chromium's URLLoader:
// - a Writable: the body is gathered, the request starts at end();
// - headers Chromium's network service refuses make the request fail with
//   net::ERR_INVALID_ARGUMENT when it starts;
// - a redirect is reported with 'redirect' (status, method, the new URL, the reply's
//   headers as lists); with redirect 'manual' it dies with "Redirect was cancelled"
//   unless the listener calls followRedirect(); with 'error' it dies with Electron's
//   message; with 'follow' it is followed (up to 20, as Chromium does);
// - network failures are 'error' events with net::ERR_* names; abort() emits 'abort'.
// The 'response' is Node's IncomingMessage (a Readable with statusCode, statusMessage,
// headers — the members Electron's has and the app reads).
import type { ClientRequest as ElectronClientRequest, ClientRequestConstructorOptions } from 'electron';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Writable } from 'node:stream';
import { netError, UNSAFE_REQUEST_HEADERS } from './session.ts';

type RedirectPolicy = 'follow' | 'error' | 'manual';
const MAX_REDIRECTS = 20;

export class StandinClientRequest extends Writable implements Pick<ElectronClientRequest, 'setHeader' | 'getHeader' | 'removeHeader' | 'followRedirect' | 'abort'> {
  #url: string;
  #method: string;
  readonly #policy: RedirectPolicy;
  readonly #headers = new Map<string, { name: string; value: string }>();
  #body: Buffer[] = [];
  #started = false;
  #aborted = false;
  #followRedirectCb: (() => void) | undefined;
  #current: ReturnType<typeof httpRequest> | undefined;
  #redirects = 0;

  constructor(options: ClientRequestConstructorOptions | string) {
    super();
    const o = typeof options === 'string' ? { url: options } : options;
    if (!o.url) throw new Error('the Electron stand-in builds a request from options.url only');
    const policy = o.redirect ?? 'follow';
    if (!['follow', 'error', 'manual'].includes(policy)) throw new Error('redirect mode should be one of follow, error or manual');
    const protocol = new URL(o.url).protocol;
    if (protocol !== 'http:' && protocol !== 'https:') throw new Error(`Unsupported protocol: ${protocol}`);
    this.#url = o.url;
    this.#method = (o.method ?? 'GET').toUpperCase();
    this.#policy = policy;
  }

  setHeader(name: string, value: string): void {
    if (this.#started) throw new Error("Can't set headers after they are sent");
    if (typeof name !== 'string') throw new TypeError('`name` should be a string in setHeader(name, value)');
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

  #die(error: Error): void {
    if (this.#aborted) return;
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
    this.emit('response', response);
  }
}
