// One HTTP exchange: bytes out, status + headers + raw bytes back. No
// interpretation here beyond turning transport failures into LicenseApiError.
// Every exchange has a deadline; redirects are not followed (they would carry
// credentials to another address); the reply body is bounded.
//
// Two implementations behind one shape: Node's http/https (node-exchange.ts) for the
// headless agent, and axios (axios-exchange.ts, imported on first use) when the
// caller hands in a fetch implementation (Electron's net.fetch) or an axios adapter.
import type { AxiosAdapter } from 'axios';
import { createNodeExchange } from './node-exchange.ts';
import { localError } from './errors.ts';
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
  /** An axios adapter (e.g. 'fetch' or a custom one): the exchange then goes through axios. */
  adapter?: AxiosAdapter | 'fetch' | 'http';
  /** A fetch implementation (Electron's net.fetch); implies axios's fetch adapter. */
  fetch?: typeof globalThis.fetch;
}

/** What an exchange aborted by its caller (the agent stopping) fails with. */
export function cancelledError(): LicenseApiError {
  return localError('network_error', { summary: 'The request was cancelled because the agent is stopping.', detail: 'cancelled' });
}

export function createExchange(options: ExchangeOptions): Exchange {
  if (options.fetch === undefined && options.adapter === undefined) {
    return createNodeExchange({ timeoutMs: options.timeoutMs, now: options.now, maxReplyBytes: MAX_REPLY_BYTES, ...(options.transport ? { transport: options.transport } : {}) });
  }
  let viaAxios: Promise<Exchange> | undefined;
  return async (request) => {
    viaAxios ??= import('./axios-exchange.ts').then((m) => m.createAxiosExchange({ ...options, maxReplyBytes: MAX_REPLY_BYTES }));
    return (await viaAxios)(request);
  };
}
