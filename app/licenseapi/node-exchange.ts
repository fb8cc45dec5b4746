// One HTTP exchange through Node's own http/https: the headless agent's path.
// It does what the agent asked of axios, without axios's import cost (~20 MB of RSS:
// form-data with mime-db, http2, and undici initialised by its fetch adapter at
// import; docs/performance.md):
// - the connection goes through the transport's agents (proxy tunnel, extra CA);
// - one deadline for the whole exchange (connect, send, headers, body);
// - redirects are never followed: a 3xx is a reply like any other;
// - the reply body is bounded (maxReplyBytes) before and after decompression,
//   so a small compressed body cannot expand into a large one (gzip bomb);
// - gzip, deflate and br replies are decompressed (as axios did), and the
//   Content-Encoding header then dropped.
// Failures become LicenseApiError through errorFromTransport (Node's error codes).
import type { ClientRequest, IncomingHttpHeaders, IncomingMessage, RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline, Transform } from 'node:stream';
import type { Readable } from 'node:stream';
import { constants as zlib, createBrotliDecompress, createUnzip } from 'node:zlib';
import { errorFromTransport, localError } from './errors.ts';
import { cancelledError } from './http-exchange.ts';
import type { Exchange, ExchangeReply, ExchangeRequest } from './http-exchange.ts';
import type { Transport } from './transport.ts';

// Not `import … from 'node:http'`: an ES import of a built-in builds its namespace from
// every export, and node:http's WebSocket, CloseEvent and MessageEvent are getters
// that load undici (with http2 and web streams): ~8 MB of RSS for nothing.
const httpRequest = process.getBuiltinModule('node:http').request;

/** What the agent accepts (the encodings axios asked for). */
export const ACCEPT_ENCODING = 'gzip, compress, deflate, br';

export interface NodeExchangeOptions {
  timeoutMs: number;
  now: () => number;
  transport?: Transport;
  /** Larger replies (as sent, and once decompressed) and request bodies are refused. */
  maxReplyBytes: number;
}

// Lenient about a stream cut at a block boundary, as axios was (Z_SYNC_FLUSH).
const ZLIB_OPTIONS = { flush: zlib.Z_SYNC_FLUSH, finishFlush: zlib.Z_SYNC_FLUSH };
const BROTLI_OPTIONS = { flush: zlib.BROTLI_OPERATION_FLUSH, finishFlush: zlib.BROTLI_OPERATION_FLUSH };

/** Lower-case names, one string per header (repeated ones joined with ", "). */
function headerRecord(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string') out[name] = value;
    else if (Array.isArray(value)) out[name] = value.join(', ');
  }
  return out;
}

/** The reason an exchange fails when its caller aborted it. */
const CANCELLED = Symbol('cancelled');

/** An Error carrying a code, as Node's own errors do (errorFromTransport reads codes). */
function codedError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

/**
 * The decompressing stages for a Content-Encoding (none for an unknown one: the
 * body is then read as it came, and the header kept). "deflate" should carry a zlib
 * header, but servers also send raw deflate: a missing header is supplied (as axios
 * did), and Z_SYNC_FLUSH lets the stream end without the checksum it then lacks.
 */
function decoderFor(encoding: string | undefined): Transform[] | undefined {
  switch ((encoding ?? '').toLowerCase()) {
    case 'gzip': case 'x-gzip': case 'compress': case 'x-compress': return [createUnzip(ZLIB_OPTIONS)];
    case 'deflate': return [zlibHeaderIfMissing(), createUnzip(ZLIB_OPTIONS)];
    case 'br': return [createBrotliDecompress(BROTLI_OPTIONS)];
    default: return undefined;
  }
}

function zlibHeaderIfMissing(): Transform {
  let first = true;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (first && chunk.length > 0) {
        first = false;
        if (chunk[0] !== 0x78) this.push(Buffer.from([0x78, 0x9c]));
      }
      callback(null, chunk);
    },
  });
}

export function createNodeExchange(options: NodeExchangeOptions): Exchange {
  return (request: ExchangeRequest) => {
    const url = new URL(request.url);
    const secure = url.protocol === 'https:';
    const agents = options.transport?.agentsFor(request.url);
    const agent = secure ? agents?.httpsAgent : agents?.httpAgent;
    const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
    const headers: Record<string, string | number> = { ...request.headers };
    if (body !== undefined) headers['Content-Length'] = body.length;
    headers['Accept-Encoding'] = ACCEPT_ENCODING;
    const requestOptions: RequestOptions = {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
      ...(url.port ? { port: url.port } : {}),
      path: `${url.pathname}${url.search}`,
      headers,
      ...(agent ? { agent } : {}),
    };

    return new Promise<ExchangeReply>((resolve, reject) => {
      let settled = false;
      let timedOut = false;
      let req: ClientRequest | undefined;
      let res: IncomingMessage | undefined;
      const { signal } = request;
      const onAbort = () => fail(CANCELLED);
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        res?.destroy();
        req?.destroy();
        reject(error === CANCELLED ? cancelledError() : errorFromTransport(error, timedOut));
      };
      const timer = setTimeout(() => {
        timedOut = true;
        fail(codedError(`no complete reply within ${options.timeoutMs} ms`, 'ETIMEDOUT'));
      }, options.timeoutMs);
      // The caller stopping (the agent's stop()) ends the exchange at once, connection and all.
      if (signal?.aborted) {
        fail(CANCELLED);
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });

      if (body !== undefined && body.length > options.maxReplyBytes) {
        fail(codedError('request body larger than the limit', 'ERR_BAD_REQUEST'));
        return;
      }
      const sentAt = options.now();
      try {
        req = (secure ? httpsRequest : httpRequest)(requestOptions);
      } catch (error) {
        fail(error);
        return;
      }
      req.on('error', fail);
      req.on('socket', (socket) => {
        // TCP keep-alive probes on a long-lived connection, as axios set them (proxy sockets may lack it).
        if (typeof socket.setKeepAlive === 'function') socket.setKeepAlive(true, 60_000);
      });
      req.on('response', (reply: IncomingMessage) => {
        res = reply;
        const status = reply.statusCode ?? 0;
        const replyHeaders = headerRecord(reply.headers);
        const declared = Number(replyHeaders['content-length']);
        if (Number.isFinite(declared) && declared > options.maxReplyBytes) {
          fail(localError('invalid_response', { detail: 'reply too large' }));
          return;
        }
        // No content (204) has nothing to decode, whatever the header says.
        const stages = status === 204 ? undefined : decoderFor(replyHeaders['content-encoding']);
        if (stages !== undefined || status === 204) delete replyHeaders['content-encoding'];
        let wireBytes = 0;
        reply.on('data', (chunk: Buffer) => {
          wireBytes += chunk.length;
          if (wireBytes > options.maxReplyBytes) fail(localError('invalid_response', { detail: 'reply too large' }));
        });
        // pipeline() destroys every stage when one fails (a reply cut midway included).
        if (stages !== undefined) pipeline([reply, ...stages], (error) => { if (error) fail(error); });
        const stream: Readable = stages?.at(-1) ?? reply;
        const chunks: Buffer[] = [];
        let bytes = 0;
        let ended = false;
        stream.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > options.maxReplyBytes) fail(localError('invalid_response', { detail: 'reply too large' }));
          else chunks.push(chunk);
        });
        stream.on('error', fail);
        stream.on('end', () => {
          ended = true;
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          resolve({ status, headers: replyHeaders, raw: Buffer.concat(chunks), sentAt, receivedAt: options.now() });
        });
        stream.on('close', () => {
          if (!ended) fail(codedError('the reply was cut off', 'ERR_STREAM_PREMATURE_CLOSE'));
        });
      });
      req.end(body);
    });
  };
}
