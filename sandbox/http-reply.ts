// The sandbox's replies on the wire: the body read with a bound, an ApiError or an injected
// status as a reply, and the reply written with a Date header and — on success, or on errors
// when asked (the vendor signs none) — a LicenseSignature, malformed or cut off when a fault says so.
import { STATUS_CODES } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpDate } from '../app/licenseapi/signing.ts';
import type { ApiError} from './api-error.ts';
import { errorBody } from './api-error.ts';
import type { FaultPlan, FaultRule } from './faults.ts';
import { rsaSign } from './signing.ts';

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  code?: string;
  detail?: string;
}

/** Header with the reason of an error reply (the body stays exactly {status, code, message}). */
export const DETAIL_HEADER = 'X-Sandbox-Error-Detail';

export function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  return /^application\/json\s*(;|$)/i.test(value.trim());
}
/** Reads the whole body, keeping at most `keep` bytes (enough to tell "too large"). */
export function readBody(req: IncomingMessage, keep: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    req.on('data', (chunk: Buffer) => {
      if (kept >= keep) return;
      chunks.push(chunk);
      kept += chunk.length;
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function apiErrorReply(error: ApiError): Reply {
  return { status: error.status, body: error.body(), code: error.code, ...(error.detail ? { detail: error.detail } : {}) };
}

export function statusFaultReply(rule: FaultRule): Reply {
  const status = rule.status ?? 500;
  const reason = STATUS_CODES[status] ?? 'Error';
  const body = status === 500 ? errorBody('internal_error') : { status, code: reason.toLowerCase().replace(/[^a-z0-9]+/g, '_'), message: reason };
  return { status, body, code: body.code, ...(rule.retryAfter ? { headers: { 'Retry-After': rule.retryAfter } } : {}) };
}

export function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 300);
}

/** How replies are signed and dated. */
export interface ReplySigning { now(): number; privateKeyPem: string; signErrors: boolean }

/** Writes `reply` as `plan` says (a skewed Date, a valid, bad or missing signature, a malformed or cut-off body). */
export function writeReply(res: ServerResponse, reply: Reply, plan: FaultPlan, signing: ReplySigning): void {
  const { now, privateKeyPem, signErrors } = signing;
  let status = reply.status;
  let text = JSON.stringify(reply.body);
  if (plan.terminal?.kind === 'malformed') {
    status = 200;
    text = `{"malformed": ${text.slice(0, Math.ceil(text.length / 2))}`;
  }
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json; charset=utf-8',
    Date: httpDate(now() + plan.dateSkewMs),
    ...reply.headers,
  };
  if (reply.detail) headers[DETAIL_HEADER] = headerSafe(reply.detail);
  const signs = (status >= 200 && status < 300) || signErrors;
  if (signs && plan.signature === 'valid') headers.LicenseSignature = rsaSign(privateKeyPem, text);
  if (signs && plan.signature === 'bad') headers.LicenseSignature = rsaSign(privateKeyPem, `${text} `);
  const bytes = Buffer.from(text, 'utf8');
  headers['Content-Length'] = bytes.length;
  if (plan.terminal?.kind === 'reset-mid-reply') {
    res.writeHead(status, headers);
    res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy());
    return;
  }
  res.writeHead(status, headers);
  res.end(bytes);
}
