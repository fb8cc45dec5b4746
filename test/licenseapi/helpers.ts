// Shared test helpers for the License API client: a client wired to a sandbox,
// and a recording axios adapter that validates every request and reply it sees
// against the seed's JSON Schemas (ajv), so each test also proves the wire format.
import axios from 'axios';
import type { AxiosAdapter, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { createLicenseApiClient } from '../../app/licenseapi/client.ts';
import type { LicenseApiClient, LicenseApiClientOptions } from '../../app/licenseapi/client.ts';
import type { LicenseApiError } from '../../app/licenseapi/errors.ts';
import type { Sandbox } from '../../sandbox/server.ts';
import errorSchema from '../../app/licenseapi/schemas/error.schema.json' with { type: 'json' };
import trackRequestSchema from '../../app/licenseapi/schemas/track-device-variables.request.schema.json' with { type: 'json' };
import trackResponseSchema from '../../app/licenseapi/schemas/track-device-variables.response.schema.json' with { type: 'json' };

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
const validTrackRequest = ajv.compile(trackRequestSchema);
const validTrackResponse = ajv.compile(trackResponseSchema);
const validError = ajv.compile(errorSchema);

export interface Seen {
  method: string;
  endpoint: string;
  status: number;
  requestHeaders: Record<string, string>;
  requestBody: unknown;
  replyText: string;
  /** Schema violations found in this exchange (empty when all is well). */
  violations: string[];
}

/** Wraps axios's own http adapter; records and schema-checks every exchange. */
export function recordingAdapter(): { adapter: AxiosAdapter; seen: Seen[] } {
  const http = axios.getAdapter('http');
  const seen: Seen[] = [];
  const adapter: AxiosAdapter = async (config: InternalAxiosRequestConfig) => {
    const response: AxiosResponse = await http(config);
    const url = new URL(config.url ?? '', config.baseURL);
    const endpoint = url.pathname.replace(/^.*\/api\/v4\//, '');
    const requestBody = typeof config.data === 'string' && config.data.startsWith('{') ? JSON.parse(config.data) : config.data;
    const replyText = Buffer.from(response.data as ArrayBuffer).toString('utf8');
    const violations: string[] = [];
    let reply: unknown;
    try {
      reply = JSON.parse(replyText);
    } catch {
      reply = undefined;
    }
    if (endpoint === 'track_device_variables' && !validTrackRequest(requestBody)) violations.push(`request: ${ajv.errorsText(validTrackRequest.errors)}`);
    if (response.status >= 400 && url.pathname.includes('/api/v4/') && !validError(reply)) violations.push(`error reply: ${ajv.errorsText(validError.errors)}`);
    if (endpoint === 'track_device_variables' && response.status === 200 && !validTrackResponse(reply)) violations.push(`reply: ${ajv.errorsText(validTrackResponse.errors)}`);
    const requestHeaders: Record<string, string> = {};
    for (const [name, value] of Object.entries(config.headers.toJSON())) if (typeof value === 'string') requestHeaders[name.toLowerCase()] = value;
    seen.push({ method: (config.method ?? '').toUpperCase(), endpoint, status: response.status, requestHeaders, requestBody, replyText, violations });
    return response;
  };
  return { adapter, seen };
}

export function hmacClient(sandbox: Sandbox, overrides: Partial<LicenseApiClientOptions> = {}): LicenseApiClient {
  return createLicenseApiClient({
    apiUrl: sandbox.demo.apiUrl,
    auth: { kind: 'hmac', apiKey: sandbox.demo.apiKey, sharedKey: sandbox.demo.sharedKey },
    timeoutMs: 5000,
    ...overrides,
  });
}

let counter = 0;
/** A fresh hardware id per test, so devices never collide. */
export function freshHardwareId(label = 'hw'): string {
  counter += 1;
  return `${label}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Runs `fn` and returns the rejection (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<LicenseApiError> {
  try {
    await promise;
  } catch (error) {
    return error as LicenseApiError;
  }
  throw new Error('expected the call to fail, it succeeded');
}
