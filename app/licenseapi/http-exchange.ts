// One HTTP exchange through axios: bytes out, status + headers + raw bytes back.
// No interpretation here beyond turning transport failures into LicenseApiError.
// Every exchange has a deadline; redirects are not followed (they would carry
// credentials to another address); the reply body is bounded.
import axios from 'axios';
import type { AxiosAdapter, AxiosRequestConfig } from 'axios';
import { errorFromTransport, localError } from './errors.ts';
import type { LicenseApiError } from './errors.ts';
import type { Transport } from './transport.ts';

/** Replies larger than this are refused as invalid_response (the API's replies are a few KiB). */
export const MAX_REPLY_BYTES = 1024 * 1024;

export interface ExchangeRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Aborts the exchange (the agent stopping); it then fails at once. */
  signal?: AbortSignal;
}

export interface ExchangeReply {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  raw: Buffer;
  /** Local ms when the request was sent and the reply fully read. */
  sentAt: number;
  receivedAt: number;
}

export type Exchange = (request: ExchangeRequest) => Promise<ExchangeReply>;

export interface ExchangeOptions {
  timeoutMs: number;
  /** Local clock for sentAt/receivedAt. */
  now: () => number;
  transport?: Transport;
  /** An axios adapter (e.g. 'fetch' or a custom one). */
  adapter?: AxiosAdapter | 'fetch' | 'http';
  /** A fetch implementation (Electron's net.fetch); implies axios's fetch adapter. */
  fetch?: typeof globalThis.fetch;
}

function toBuffer(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  return Buffer.alloc(0);
}

function headerRecord(headers: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  const source = headers && typeof (headers as { toJSON?: unknown }).toJSON === 'function'
    ? (headers as { toJSON(): Record<string, unknown> }).toJSON()
    : (headers as Record<string, unknown> | undefined) ?? {};
  for (const [name, value] of Object.entries(source)) {
    if (typeof value === 'string') out[name.toLowerCase()] = value;
    else if (Array.isArray(value)) out[name.toLowerCase()] = value.join(', ');
    else if (typeof value === 'number') out[name.toLowerCase()] = String(value);
  }
  return out;
}

/** What an exchange aborted by its caller (the agent stopping) fails with. */
export function cancelledError(): LicenseApiError {
  return localError('network_error', { summary: 'The request was cancelled because the agent is stopping.', detail: 'cancelled' });
}

export function createExchange(options: ExchangeOptions): Exchange {
  const http = axios.create();
  return async (request) => {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, options.timeoutMs);
    const cancel = () => controller.abort();
    if (request.signal?.aborted) cancel();
    request.signal?.addEventListener('abort', cancel, { once: true });
    const config: AxiosRequestConfig = {
      method: request.method,
      url: request.url,
      headers: request.headers,
      data: request.body,
      timeout: options.timeoutMs,
      signal: controller.signal,
      responseType: 'arraybuffer',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      maxRedirects: 0,
      maxContentLength: MAX_REPLY_BYTES,
      maxBodyLength: MAX_REPLY_BYTES,
      decompress: true,
      proxy: false,
    };
    if (options.fetch) {
      config.adapter = 'fetch';
      config.env = { fetch: options.fetch };
    } else {
      if (options.adapter) config.adapter = options.adapter;
      if (options.transport) {
        const agents = options.transport.agentsFor(request.url);
        if (agents.httpAgent) config.httpAgent = agents.httpAgent;
        if (agents.httpsAgent) config.httpsAgent = agents.httpsAgent;
      }
    }
    const sentAt = options.now();
    try {
      const response = await http.request(config);
      return { status: response.status, headers: headerRecord(response.headers), raw: toBuffer(response.data), sentAt, receivedAt: options.now() };
    } catch (error) {
      if (!timedOut && request.signal?.aborted) throw cancelledError();
      throw errorFromTransport(error, timedOut);
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', cancel);
    }
  };
}
