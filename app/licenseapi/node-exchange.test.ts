// The headless exchange (Node's http) against a loopback server, next to the axios
// exchange it replaced: the same request on the wire, compressed replies read, the
// bounds on what a reply may cost (a gzip bomb, a declared or an endless body), no
// redirect followed, one deadline for the whole exchange.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createServer as createTcpServer } from 'node:net';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LicenseApiError } from './errors.ts';
import { createExchange, MAX_REPLY_BYTES } from './http-exchange.ts';
import type { Exchange, ExchangeRequest } from './http-exchange.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler = (_req, res) => res.end('[]');
let requests = 0;
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    requests += 1;
    req.resume();
    req.on('end', () => handler(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const node = (timeoutMs = 3_000): Exchange => createExchange({ timeoutMs, now: Date.now });
const viaAxios = (timeoutMs = 3_000): Exchange => createExchange({ timeoutMs, now: Date.now, adapter: 'http' });
const post = (path = '/api/v4/track_device_variables'): ExchangeRequest => ({
  method: 'POST', url: `${base}${path}`, body: '{"product":"p"}',
  headers: { Date: 'Sat, 29 Nov 2026 12:00:00 GMT', Authorization: 'algorithm="hmac-sha256",headers="date",signature="s",apikey="k"', Accept: 'application/json', 'User-Agent': 'device-agent', 'Content-Type': 'application/json' },
});

async function failure(exchange: Exchange, request: ExchangeRequest = post()): Promise<LicenseApiError> {
  try {
    await exchange(request);
  } catch (error) {
    expect(error).toBeInstanceOf(LicenseApiError);
    return error as LicenseApiError;
  }
  throw new Error('expected the exchange to fail');
}

describe('on the wire', () => {
  it('sends what the axios exchange sent: the same header lines and body, only the order differs', async () => {
    const raw: string[] = [];
    const tcp = createTcpServer((socket: Socket) => {
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString('latin1');
        const end = text.indexOf('\r\n\r\n');
        if (end === -1 || text.length < end + 4 + 15) return;
        raw.push(text);
        socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n[]');
      });
    });
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(tcp.address() as AddressInfo).port}/api/v4/track_device_variables`;
    try {
      for (const exchange of [viaAxios(), node()]) expect((await exchange({ ...post(), url })).status).toBe(200);
    } finally {
      tcp.close();
    }
    const lines = (text: string) => {
      const [head, body] = text.split('\r\n\r\n');
      const [requestLine, ...headers] = head!.split('\r\n');
      return { requestLine, headers: headers.sort(), body };
    };
    expect(raw).toHaveLength(2);
    expect(lines(raw[1]!)).toEqual(lines(raw[0]!));
    expect(lines(raw[1]!).headers).toEqual(expect.arrayContaining(['Accept-Encoding: gzip, compress, deflate, br', 'Content-Length: 15']));
  });
});

describe('replies', () => {
  const json = JSON.stringify([{ variable: 'site', value: 'lab' }]);
  const encodings: Array<[string, Buffer]> = [
    ['gzip', gzipSync(json)], ['x-gzip', gzipSync(json)], ['deflate', deflateSync(json)], ['br', brotliCompressSync(json)],
  ];
  it.each(encodings)('%s: decompressed, and the Content-Encoding header dropped', async (encoding, body) => {
    handler = (_req, res) => res.writeHead(200, { 'Content-Encoding': encoding, 'Content-Type': 'application/json' }).end(body);
    const reply = await node()(post());
    expect(reply.raw.toString('utf8')).toBe(json);
    expect(reply.headers['content-encoding']).toBeUndefined();
    expect(reply.headers['content-type']).toBe('application/json');
  });

  it('raw deflate (no zlib header, as some servers send it) is read as axios read it', async () => {
    handler = (_req, res) => res.writeHead(200, { 'Content-Encoding': 'deflate' }).end(deflateRawSync(json));
    expect((await node()(post())).raw.toString('utf8')).toBe(json);
    expect((await viaAxios()(post())).raw.toString('utf8')).toBe(json);
  });

  it('an encoding it does not know is handed on as it came, header kept', async () => {
    handler = (_req, res) => res.writeHead(200, { 'Content-Encoding': 'snappy' }).end('abc');
    const reply = await node()(post());
    expect(reply.raw.toString('utf8')).toBe('abc');
    expect(reply.headers['content-encoding']).toBe('snappy');
  });

  it('repeated headers are joined, names are lower case', async () => {
    handler = (_req, res) => res.writeHead(200, [['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2'], ['X-Thing', 'v']]).end('[]');
    const reply = await node()(post());
    expect(reply.headers['set-cookie']).toBe('a=1, b=2');
    expect(reply.headers['x-thing']).toBe('v');
  });

  it('a redirect is a reply like any other: not followed, its Location kept', async () => {
    handler = (_req, res) => res.writeHead(302, { Location: `${base}/elsewhere` }).end();
    const before = requests;
    const reply = await node()(post());
    expect(reply.status).toBe(302);
    expect(reply.headers.location).toBe(`${base}/elsewhere`);
    expect(requests - before).toBe(1);
  });
});

describe('what a reply may cost', () => {
  it('a gzip bomb (16 MiB of zeros in ~16 KiB) is refused once 1 MiB is decompressed, as axios refused it', async () => {
    const bomb = gzipSync(Buffer.alloc(16 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(64 * 1024);
    handler = (_req, res) => res.writeHead(200, { 'Content-Encoding': 'gzip' }).end(bomb);
    const heapBefore = process.memoryUsage().arrayBuffers;
    for (const exchange of [node(), viaAxios()]) {
      const error = await failure(exchange);
      expect(error).toMatchObject({ code: 'invalid_response', detail: 'reply too large' });
    }
    // Nothing like the 16 MiB was kept (the bound holds while reading, not after).
    expect(process.memoryUsage().arrayBuffers - heapBefore).toBeLessThan(8 * 1024 * 1024);
  });

  it('a declared Content-Length over the bound is refused before the body is read', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Length': String(MAX_REPLY_BYTES + 1) });
      res.write('[');
      // never finishes: the client must not wait for the rest
    };
    const started = Date.now();
    expect(await failure(node(5_000))).toMatchObject({ code: 'invalid_response', detail: 'reply too large' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('an endless chunked body is cut at the bound', async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => { while (res.write(chunk)); };
      res.on('drain', pump);
      pump();
    };
    expect(await failure(node(10_000))).toMatchObject({ code: 'invalid_response', detail: 'reply too large' });
  });

  it('one deadline for the whole exchange: a body that trickles in is a timeout', async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(timer));
    };
    const started = Date.now();
    expect(await failure(node(400))).toMatchObject({ code: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('a reply cut midway is a connection reset', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Length': '100' });
      res.write('[{"variable":');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    expect(await failure(node())).toMatchObject({ code: 'connection_reset' });
  });
});
