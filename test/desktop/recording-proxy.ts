// A loopback reverse proxy in front of a sandbox that records what the desktop
// app really sends, and checks it independently of the app's own code: every
// track_device_variables body against the seed's request schema (ajv), every
// HMAC signature recomputed here from the Date header and the shared key.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import trackRequestSchema from '../../app/licenseapi/schemas/track-device-variables.request.schema.json' with { type: 'json' };

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
const validTrackRequest = ajv.compile(trackRequestSchema);

export interface Exchange {
  method: string;
  endpoint: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  status: number;
  arrivedAt: number;
  /** Problems with the request: schema violations, a bad signature. */
  violations: string[];
}

export interface RecordingProxy {
  /** The License API base URL to give the app (…/api/v4/). */
  apiUrl: string;
  exchanges: Exchange[];
  /** Requests that arrived and are still waiting for the upstream reply. */
  inFlight(): number;
  close(): Promise<void>;
}

/** Checks `authorization` against HMAC-SHA256("licenseSpring\ndate: <Date>") with the shared key. */
export function signatureProblem(headers: IncomingHttpHeaders, sharedKey: string): string | undefined {
  const auth = String(headers.authorization ?? '');
  const date = String(headers.date ?? '');
  const signature = /signature="([^"]+)"/.exec(auth)?.[1];
  if (!signature || !date) return 'unsigned request';
  const expected = createHmac('sha256', sharedKey).update(`licenseSpring\ndate: ${date}`).digest();
  const got = Buffer.from(signature, 'base64');
  return got.length === expected.length && timingSafeEqual(got, expected) ? undefined : 'signature does not match';
}

export async function startRecordingProxy(upstreamApiUrl: string, sharedKey: string): Promise<RecordingProxy> {
  const upstream = new URL(upstreamApiUrl);
  const exchanges: Exchange[] = [];
  let waiting = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks);
        const path = req.url ?? '/';
        const endpoint = path.replace(/^.*\/api\/v4\//, '').split('?')[0] ?? '';
        let body: unknown;
        try { body = raw.length ? JSON.parse(raw.toString('utf8')) : undefined; } catch { body = raw.toString('utf8'); }
        const violations: string[] = [];
        if (endpoint === 'track_device_variables' && !validTrackRequest(body)) violations.push(`request: ${ajv.errorsText(validTrackRequest.errors)}`);
        if (path.includes('/api/v4/')) {
          const problem = signatureProblem(req.headers, sharedKey);
          if (problem) violations.push(problem);
        }
        const exchange: Exchange = { method: req.method ?? 'GET', endpoint, headers: req.headers, body, status: 0, arrivedAt: Date.now(), violations };
        exchanges.push(exchange);
        waiting += 1;
        try {
          const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length', 'transfer-encoding'].includes(k)).map(([k, v]) => [k, String(v)]));
          const reply = await fetch(new URL(path, upstream.origin), { method: req.method, headers, ...(raw.length ? { body: raw } : {}), redirect: 'manual' });
          exchange.status = reply.status;
          const replyHeaders = Object.fromEntries([...reply.headers].filter(([k]) => !['content-length', 'transfer-encoding', 'content-encoding', 'connection'].includes(k)));
          res.writeHead(reply.status, replyHeaders);
          res.end(Buffer.from(await reply.arrayBuffer()));
        } catch (error) {
          res.writeHead(502).end(String(error));
        } finally {
          waiting -= 1;
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    apiUrl: `http://127.0.0.1:${port}${upstream.pathname}`,
    exchanges,
    inFlight: () => waiting,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
