import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { NetSeam } from './electron-seam.ts';
import { systemFetch } from './net-fetch.ts';

/** A ClientRequest that plays back one outcome once end() is called. */
function fakeNet(outcome: (req: FakeRequest) => void) {
  const made: FakeRequest[] = [];
  const net = {
    request: (options: unknown) => {
      const req = new FakeRequest(options as Record<string, unknown>, outcome);
      made.push(req);
      return req as never;
    },
  } as Pick<NetSeam, 'request'>;
  return { net, made };
}

class FakeRequest extends EventEmitter {
  headers: Record<string, string> = {};
  body: Buffer[] = [];
  aborted = false;
  readonly options: Record<string, unknown>;
  readonly #outcome: (req: FakeRequest) => void;
  constructor(options: Record<string, unknown>, outcome: (req: FakeRequest) => void) {
    super();
    this.options = options;
    this.#outcome = outcome;
  }
  setHeader(name: string, value: string) { this.headers[name.toLowerCase()] = value; }
  write(chunk: Buffer) { this.body.push(chunk); return true; }
  end() { setImmediate(() => this.#outcome(this)); return this; }
  abort() { this.aborted = true; }
}

describe('systemFetch over net.request', () => {
  it('turns a redirect into the 3xx reply itself, with its Location (Electron\'s net.fetch would only say "Redirect was cancelled")', async () => {
    const { net, made } = fakeNet((req) => req.emit('redirect', 301, 'POST', 'https://elsewhere.example/api/v4/x', { 'content-type': ['text/html'], location: ['https://elsewhere.example/api/v4/x'] }));
    const reply = await systemFetch(net)('https://api.example.com/api/v4/x', { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json', authorization: 'sig' } });
    expect(reply.status).toBe(301);
    expect(reply.headers.get('location')).toBe('https://elsewhere.example/api/v4/x');
    const req = made[0] as FakeRequest;
    expect(req.options).toMatchObject({ method: 'POST', url: 'https://api.example.com/api/v4/x', redirect: 'manual', credentials: 'omit', useSessionCookies: false });
    expect(req.headers).toMatchObject({ 'content-type': 'application/json', authorization: 'sig' });
    expect(Buffer.concat(req.body).toString()).toBe('{"a":1}');
    expect(req.aborted).toBe(true); // never followed
  });

  it('hands over a reply\'s status, headers and body', async () => {
    const { net } = fakeNet((req) => {
      const body = Readable.from([Buffer.from('{"ok":'), Buffer.from('true}')]) as Readable & { statusCode?: number; statusMessage?: string; headers?: object };
      Object.assign(body, { statusCode: 200, statusMessage: 'OK', headers: { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] } });
      req.emit('response', body);
    });
    const reply = await systemFetch(net)('https://api.example.com/api/v4/x');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/json');
    expect(await reply.json()).toEqual({ ok: true });
  });

  it('passes a network failure on, and an abort aborts the request', async () => {
    const failing = fakeNet((req) => req.emit('error', new Error('net::ERR_CONNECTION_REFUSED')));
    await expect(systemFetch(failing.net)('https://api.example.com/')).rejects.toThrow('net::ERR_CONNECTION_REFUSED');
    const silent = fakeNet(() => undefined);
    const controller = new AbortController();
    const pending = systemFetch(silent.net)('https://api.example.com/', { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect((silent.made[0] as FakeRequest).aborted).toBe(true);
  });
});
