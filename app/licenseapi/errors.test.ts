import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from './error-codes.ts';
import { LOCAL_ERROR_CODES, LicenseApiError, classOfStatus, errorFromReply, errorFromTransport, localError } from './errors.ts';

function systemError(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

describe('errorFromReply', () => {
  it('classifies every documented code by its table entry, whatever the status', () => {
    for (const [code, info] of Object.entries(ERROR_CODES)) {
      const error = errorFromReply(418, code);
      expect(error.code).toBe(code);
      expect(error.errorClass).toBe(info.errorClass);
      expect(error.summary).toBe(info.summary);
      expect(error.remedy).toBe(info.remedy);
      expect(error.status).toBe(418);
    }
  });

  it('maps the issue\'s examples to their classes', () => {
    expect(errorFromReply(400, 'device_not_found').errorClass).toBe('needs-activation');
    expect(errorFromReply(400, 'license_not_enabled').errorClass).toBe('license-state');
    expect(errorFromReply(400, 'blacklisted').errorClass).toBe('license-state');
    expect(errorFromReply(401, 'signature_mismatch').errorClass).toBe('needs-configuration');
    expect(errorFromReply(500, 'internal_error').errorClass).toBe('retryable');
  });

  it('falls back to the status for unknown or missing codes', () => {
    expect(errorFromReply(503, undefined, 7000)).toMatchObject({ code: 'http_503', errorClass: 'retryable', retryAfterMs: 7000 });
    expect(errorFromReply(429, undefined).errorClass).toBe('retryable');
    expect(errorFromReply(408, undefined).errorClass).toBe('retryable');
    expect(errorFromReply(502, 'bad_gateway')).toMatchObject({ code: 'http_502', serverCode: 'bad_gateway', errorClass: 'retryable' });
    expect(errorFromReply(403, 'forbidden_thing')).toMatchObject({ code: 'http_403', errorClass: 'fatal' });
    expect(errorFromReply(301, undefined)).toMatchObject({ errorClass: 'needs-configuration', parkable: false });
    expect(errorFromReply(301, undefined, undefined, { signed: true }).parkable).toBe(true);
    expect(classOfStatus(404)).toBe('fatal');
  });
});

describe('errorFromTransport', () => {
  it('names the failure by its OS / library code', () => {
    expect(errorFromTransport(systemError('ECONNREFUSED'), false).code).toBe('network_error');
    expect(errorFromTransport(systemError('ENOTFOUND'), false).code).toBe('dns_failure');
    expect(errorFromTransport(systemError('EAI_AGAIN'), false).code).toBe('dns_failure');
    expect(errorFromTransport(systemError('ECONNRESET'), false).code).toBe('connection_reset');
    expect(errorFromTransport(new Error('socket hang up'), false).code).toBe('connection_reset');
    expect(errorFromTransport(systemError('ECONNABORTED', 'timeout of 10ms exceeded'), false).code).toBe('timeout');
    expect(errorFromTransport(systemError('ERR_CANCELED'), true).code).toBe('timeout');
    expect(errorFromTransport(systemError('ERR_TLS_CERT_ALTNAME_INVALID'), false)).toMatchObject({ code: 'tls_error', errorClass: 'needs-configuration' });
    expect(errorFromTransport(systemError('DEPTH_ZERO_SELF_SIGNED_CERT'), false).code).toBe('tls_error');
  });

  it('finds the code on a nested cause (fetch/undici style)', () => {
    const wrapped = Object.assign(new TypeError('fetch failed'), { cause: systemError('ENOTFOUND') });
    const axiosLike = Object.assign(new Error('Network Error'), { code: 'ERR_NETWORK', cause: wrapped });
    expect(errorFromTransport(axiosLike, false)).toMatchObject({ code: 'dns_failure', detail: 'ENOTFOUND' });
  });

  it('never copies the library message (it may quote the URL) into the error', () => {
    const error = errorFromTransport(systemError('ECONNREFUSED', 'connect ECONNREFUSED https://x/?license_key=SECRET-LK'), false);
    expect(JSON.stringify(error)).not.toContain('SECRET');
    expect(error.message).not.toContain('SECRET');
  });
});

describe('LicenseApiError', () => {
  it('gives every local code plain words, a remedy and a class', () => {
    for (const code of Object.keys(LOCAL_ERROR_CODES) as Array<keyof typeof LOCAL_ERROR_CODES>) {
      const error = localError(code);
      expect(error.summary.length).toBeGreaterThan(10);
      expect(error.remedy.length).toBeGreaterThan(10);
      expect(['retryable', 'needs-configuration', 'needs-activation', 'license-state', 'fatal']).toContain(error.errorClass);
    }
    expect(localError('tls_error').errorClass).toBe('needs-configuration');
    expect(localError('invalid_response').errorClass).toBe('retryable');
    expect(localError('signature_v2_mismatch').errorClass).toBe('retryable');
    expect(localError('oauth_invalid_client').errorClass).toBe('needs-configuration');
  });

  it('turns into the view the status window shows', () => {
    const error = errorFromReply(400, 'device_not_found');
    expect(error.toView(1234)).toEqual({ code: 'device_not_found', errorClass: 'needs-activation', summary: ERROR_CODES.device_not_found.summary, remedy: ERROR_CODES.device_not_found.remedy, at: 1234 });
  });

  it('serialises without a cause, request or headers', () => {
    const error = errorFromReply(503, undefined, 2000);
    expect(error).toBeInstanceOf(LicenseApiError);
    expect(error.cause).toBeUndefined();
    expect(Object.keys(error.toJSON()).sort()).toEqual(['code', 'detail', 'errorClass', 'name', 'parkable', 'remedy', 'retryAfterMs', 'serverCode', 'signed', 'status', 'summary']);
    expect(String(error)).toBe(`LicenseApiError: http_503: ${error.summary}`);
    expect(inspect(error)).not.toMatch(/authorization/i);
  });

  it('keeps a retry-after wait when copied', () => {
    expect(localError('timeout').withRetryAfter(5000).retryAfterMs).toBe(5000);
  });
});

describe('remedies are true for their cause', () => {
  /** A remedy that promises the agent gets there by itself. */
  const PROMISES_RETRY = /nothing to do|retries (later )?by itself|retries later|tries again/i;
  const everyError = (): LicenseApiError[] => [
    ...Object.keys(ERROR_CODES).map((code) => errorFromReply(400, code)),
    ...(Object.keys(LOCAL_ERROR_CODES) as Array<keyof typeof LOCAL_ERROR_CODES>).map((code) => localError(code)),
    ...Array.from({ length: 300 }, (_, i) => errorFromReply(300 + i, undefined, undefined, { location: 'https://x.example/api/v4/' })),
    ...Array.from({ length: 300 }, (_, i) => errorFromReply(300 + i, 'something_new', undefined, { message: 'the server\'s words' })),
  ];

  for (const errorClass of ['retryable', 'needs-configuration', 'needs-activation', 'license-state', 'fatal'] as const) {
    it(`${errorClass}: a remedy promises a retry only where the agent does retry (retryable, or not parked)`, () => {
      const ofClass = everyError().filter((e) => e.errorClass === errorClass);
      expect(ofClass.length).toBeGreaterThan(0);
      for (const error of ofClass) {
        const retries = error.errorClass === 'retryable' || !error.parkable;
        if (!retries) expect(`${error.code}: ${error.remedy}`).not.toMatch(PROMISES_RETRY);
        if (error.errorClass === 'retryable') expect(`${error.code}: ${error.remedy}`).not.toMatch(/report it|bug/i);
      }
    });
  }

  it('the errors that are not parked say so (at most hourly) instead of promising success', () => {
    for (const error of everyError().filter((e) => e.errorClass !== 'retryable' && !e.parkable)) {
      expect(`${error.code}: ${error.remedy}`).toMatch(/at most hourly/);
    }
  });
});

describe('transport failures named for their cause', () => {
  it('TLS to a plain-HTTP server, header overflow', () => {
    const wrongVersion = systemError('EPROTO', 'write EPROTO 40ED…:error:0A00010B:SSL routines:tls_validate_record_header:wrong version number');
    expect(errorFromTransport(wrongVersion, false)).toMatchObject({ code: 'tls_plain_http', errorClass: 'needs-configuration' });
    expect(errorFromTransport(Object.assign(new TypeError('fetch failed'), { cause: systemError('ERR_SSL_WRONG_VERSION_NUMBER') }), false).code).toBe('tls_plain_http');
    expect(errorFromTransport(systemError('EPROTO', 'handshake failure'), false).code).toBe('tls_error');
    expect(errorFromTransport(systemError('HPE_HEADER_OVERFLOW', 'Parse Error: Header overflow'), false)).toMatchObject({ code: 'reply_headers_too_large', parkable: false });
    expect(errorFromTransport(Object.assign(new TypeError('fetch failed'), { cause: systemError('UND_ERR_HEADERS_OVERFLOW') }), false).code).toBe('reply_headers_too_large');
  });
});
