// Electron's network stack as the engine's fetch: requests go through Chromium
// (net.request on the default session), so the system proxy (and PAC) and the OS
// certificate store apply.
//
// Not net.fetch: with redirects not followed (the client never follows one: it
// would carry the credentials elsewhere), net.fetch rejects with a bare "Redirect
// was cancelled" — the status and the target are lost, and the engine could only
// call it a network failure and retry for ever. net.request reports the redirect
// ('redirect': status, new URL, headers); here it becomes the 3xx reply itself,
// with its Location, so the client classifies it exactly as the CLI does (the
// status and the target named, classed as configuration).
import { Readable } from 'node:stream';
import type { NetSeam } from './electron-seam.ts';

/** Reply statuses that carry no body (the Fetch standard's null body statuses). */
const NULL_BODY = new Set([101, 204, 205, 304]);

function headersOf(record: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(record)) {
    if (value === undefined) continue;
    try {
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    } catch {
      /* a header the Fetch API cannot hold: not one the client reads */
    }
  }
  return headers;
}

export function systemFetch(net: Pick<NetSeam, 'request'>): typeof fetch {
  const f = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input instanceof URL ? input.href : input, init);
    const signal = request.signal;
    if (signal.aborted) throw signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    return new Promise<Response>((resolve, reject) => {
      const req = net.request({
        method: request.method,
        url: request.url,
        redirect: 'manual',
        // Never send cookies or reuse a browsing session's credentials for API calls; never cache.
        credentials: 'omit',
        useSessionCookies: false,
        cache: 'no-store',
      });
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        fn();
      };
      const onAbort = () => {
        settle(() => reject(signal.reason ?? new DOMException('The operation was aborted.', 'AbortError')));
        req.abort();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      for (const [name, value] of request.headers) req.setHeader(name, value);
      req.on('redirect', (status, _method, redirectUrl, responseHeaders) => {
        const headers = headersOf(responseHeaders);
        headers.set('location', redirectUrl);
        settle(() => resolve(new Response(null, { status, headers })));
        req.abort();
      });
      req.on('response', (response) => {
        const stream = NULL_BODY.has(response.statusCode) || request.method === 'HEAD'
          ? null
          : Readable.toWeb(response as unknown as Readable) as ReadableStream<Uint8Array>;
        settle(() => resolve(new Response(stream, { status: response.statusCode, statusText: response.statusMessage, headers: headersOf(response.headers) })));
      });
      req.on('error', (error) => settle(() => reject(error)));
      if (body && body.length > 0) req.write(body);
      req.end();
    });
  };
  return f as typeof fetch;
}
