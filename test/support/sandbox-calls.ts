// Helpers for tests that talk to a sandbox over real HTTP with hand-signed
// headers (app/licenseapi/signing.ts), independent of the agent's client.
import { Ajv2020 } from 'ajv/dist/2020.js';
import errorSchema from '../../app/licenseapi/schemas/error.schema.json' with { type: 'json' };
import trackResponseSchema from '../../app/licenseapi/schemas/track-device-variables.response.schema.json' with { type: 'json' };
import { signedHeaders } from '../../app/licenseapi/signing.ts';
import type { Sandbox } from '../../sandbox/server.ts';
import { rsaVerify } from '../../sandbox/signing.ts';

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
export const isErrorBody = ajv.compile(errorSchema);
export const isTrackResponse = ajv.compile(trackResponseSchema);

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** JSON body (POST) or query parameters (GET). */
  params?: Record<string, unknown>;
  /** Sent as-is instead of JSON.stringify(params). */
  rawBody?: string;
  /** Replaces the signed Date/Authorization headers; undefined values drop a header. */
  headers?: Record<string, string | undefined>;
  /** Clock used to sign (ms); default Date.now(). */
  signAt?: number;
  apiKey?: string;
  sharedKey?: string;
  bearer?: string;
}

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON, or undefined when the body is not JSON. */
  json: unknown;
}

const DEFAULT_METHOD: Record<string, 'GET' | 'POST'> = { check_license: 'GET', get_device_variables: 'GET' };

export async function callApi(sandbox: Sandbox, endpoint: string, options: CallOptions = {}): Promise<CallResult> {
  const method = options.method ?? DEFAULT_METHOD[endpoint] ?? 'POST';
  const signAt = options.signAt ?? Date.now();
  const signed = signedHeaders(options.apiKey ?? sandbox.demo.apiKey, options.sharedKey ?? sandbox.demo.sharedKey, signAt);
  const base: Record<string, string | undefined> = {
    Date: signed.Date,
    Authorization: options.bearer ? `Bearer ${options.bearer}` : signed.Authorization,
    Accept: 'application/json',
  };
  const url = new URL(endpoint, sandbox.url);
  let body: string | undefined;
  if (method === 'GET') {
    for (const [name, value] of Object.entries(options.params ?? {})) url.searchParams.set(name, String(value));
  } else {
    body = options.rawBody ?? JSON.stringify(options.params ?? {});
    base['Content-Type'] = 'application/json';
  }
  const merged = { ...base, ...options.headers };
  const headers = Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const response = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** True when the reply's LicenseSignature verifies over the exact body text. */
export function signatureValid(sandbox: Sandbox, result: CallResult): boolean {
  const signature = result.headers.get('licensesignature');
  return signature !== null && rsaVerify(sandbox.demo.publicKeyPem, result.text, signature);
}

/** Activates `hardwareId` on the demo key-based license (throws unless 200). */
export async function activateDemo(sandbox: Sandbox, hardwareId: string, extra: Record<string, unknown> = {}, signAt = Date.now()): Promise<CallResult> {
  const result = await callApi(sandbox, 'activate_license', {
    signAt,
    params: { product: sandbox.demo.product, license_key: sandbox.demo.licenseKey, hardware_id: hardwareId, ...extra },
  });
  if (result.status !== 200) throw new Error(`activation failed: ${result.status} ${result.text}`);
  return result;
}

export async function fetchToken(sandbox: Sandbox, clientId = sandbox.demo.oauth.clientId, clientSecret = sandbox.demo.oauth.clientSecret): Promise<Response> {
  return fetch(sandbox.demo.oauth.tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
  });
}
