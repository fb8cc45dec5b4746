// One HTTP exchange through axios: for a fetch implementation (Electron's net.fetch,
// through axios's fetch adapter) or a caller's own axios adapter (tests record and
// rewrite exchanges with one). Loaded only then (http-exchange.ts): importing axios
// costs ~20 MB of RSS, which the headless agent does not pay (node-exchange.ts).
// The same rules as node-exchange.ts: a deadline, no redirects followed, the reply
// bounded after decompression.
import axios from 'axios';
import type { AxiosRequestConfig } from 'axios';
import { errorFromTransport } from './errors.ts';
import { cancelledError } from './http-exchange.ts';
import type { Exchange, ExchangeOptions } from './http-exchange.ts';

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

export function createAxiosExchange(options: ExchangeOptions & { maxReplyBytes: number }): Exchange {
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
      maxContentLength: options.maxReplyBytes,
      maxBodyLength: options.maxReplyBytes,
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
