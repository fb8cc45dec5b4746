import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { errorView } from '../errors/error-view.ts';
import { ERROR_CODES } from './error-codes.ts';
import { LOCAL_ERROR_CODES, LicenseApiError, classOfStatus, errorFromReply, errorFromTransport, localError, printableText, redirectTarget } from './errors.ts';

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
    expect(errorView(error, 1234)).toEqual({ code: 'device_not_found', errorClass: 'needs-activation', summary: ERROR_CODES.device_not_found.summary, remedy: ERROR_CODES.device_not_found.remedy, at: 1234 });
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

describe('the status classifier at its edges', () => {
  // status → class, and whether an unsigned reply with that status may park the agent.
  it.each([
    [299, 'fatal', true],
    [300, 'needs-configuration', false],
    [301, 'needs-configuration', false],
    [399, 'needs-configuration', false],
    [400, 'fatal', true],
    [404, 'fatal', true],
    [408, 'retryable', true],
    [429, 'retryable', true],
    [499, 'fatal', true],
    [500, 'retryable', true],
    [503, 'retryable', true],
    [599, 'retryable', true],
  ] as const)('HTTP %i with no known code is %s (parkable when unsigned: %s)', (status, errorClass, parkable) => {
    expect(classOfStatus(status)).toBe(errorClass);
    const error = errorFromReply(status, undefined);
    expect(error).toMatchObject({ code: `http_${status}`, errorClass, status, parkable, signed: false });
    expect(errorFromReply(status, undefined, undefined, { signed: true })).toMatchObject({ parkable: true, signed: true });
  });

  it.each([
    [299, /refused the request with HTTP 299\.$/],
    [300, /redirect \(HTTP 300\) \(without saying where to\)/],
    [399, /redirect \(HTTP 399\)/],
    [400, /refused the request with HTTP 400\.$/],
    [499, /refused the request with HTTP 499\.$/],
    [500, /failed with HTTP 500\./],
    [502, /failed with HTTP 502\./],
    [503, /temporarily unavailable \(HTTP 503\)/],
    [429, /slow down \(HTTP 429\)/],
    [408, /timed out waiting for the request \(HTTP 408\)/],
  ] as const)('HTTP %i is described in words that fit it', (status, words) => {
    expect(errorFromReply(status, undefined).summary).toMatch(words);
  });

  it('a redirect names where it points, and says what to set', () => {
    const error = errorFromReply(302, undefined, undefined, { location: 'https://new.example/api/v4/' });
    expect(error.summary).toContain('(HTTP 302) to https://new.example/api/v4/;');
    expect(error.remedy).toContain('if https://new.example/api/v4/ is it, use that');
    expect(errorFromReply(302, undefined).remedy).toMatch(/^Set the API URL to the exact https address/);
  });

  it('quotes the server\'s own words for a refusal it does not know, on one printable line', () => {
    expect(errorFromReply(403, undefined, undefined, { message: 'no\nway' }).summary).toBe('The License API refused the request with HTTP 403. The server said: "no way".');
    expect(errorFromReply(403, undefined, undefined, { message: '\u0007\u0000' }).summary).toBe('The License API refused the request with HTTP 403.');
    const unknown = errorFromReply(418, 'teapot\u001b[31m', 4_000);
    expect(unknown).toMatchObject({ code: 'http_418', serverCode: 'teapot [31m', detail: 'server code "teapot [31m"', retryAfterMs: 4_000 });
  });

  it('keeps a documented code\'s class and a Retry-After, and marks a signed error reply', () => {
    expect(errorFromReply(400, 'device_not_found', 9_000, { signed: true })).toMatchObject({ code: 'device_not_found', retryAfterMs: 9_000, signed: true, parkable: true });
    expect(errorFromReply(400, 'device_not_found')).toMatchObject({ retryAfterMs: undefined, signed: false });
  });
});

describe('transport error codes, one row per code the classifier knows', () => {
  const TLS = ['ERR_TLS_CERT_ALTNAME_INVALID', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_REVOKED',
    'CERT_UNTRUSTED', 'CERT_REJECTED', 'CERT_SIGNATURE_FAILURE', 'EPROTO', 'HOSTNAME_MISMATCH',
    // the rest of the certificate verification codes Node reports (X509_V_ERR_*)
    'UNABLE_TO_GET_CRL', 'UNABLE_TO_DECRYPT_CERT_SIGNATURE', 'UNABLE_TO_DECRYPT_CRL_SIGNATURE', 'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
    'CRL_SIGNATURE_FAILURE', 'CRL_NOT_YET_VALID', 'CRL_HAS_EXPIRED', 'ERROR_IN_CERT_NOT_BEFORE_FIELD', 'ERROR_IN_CERT_NOT_AFTER_FIELD',
    'ERROR_IN_CRL_LAST_UPDATE_FIELD', 'ERROR_IN_CRL_NEXT_UPDATE_FIELD', 'CERT_CHAIN_TOO_LONG', 'INVALID_CA', 'PATH_LENGTH_EXCEEDED', 'INVALID_PURPOSE',
    // any OpenSSL or Node TLS error by its prefix
    'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'ERR_TLS_HANDSHAKE_TIMEOUT'];
  const PLAIN_HTTP = ['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_HTTP_REQUEST', 'ERR_SSL_PACKET_LENGTH_TOO_LONG'];
  const HEADERS = ['HPE_HEADER_OVERFLOW', 'UND_ERR_HEADERS_OVERFLOW'];
  const DNS = ['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA'];
  const TIMEOUT = ['ETIMEDOUT', 'ECONNABORTED', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ESOCKETTIMEDOUT'];
  const RESET = ['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET', 'ERR_HTTP_INCOMPLETE_RESPONSE', 'HPE_INVALID_CONSTANT', 'ERR_BAD_RESPONSE_STREAM', 'ERR_BAD_RESPONSE'];
  const NETWORK = ['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_NETWORK', 'ERR_CANCELED', 'ABORT_ERR', 'SOMETHING_NEW'];
  const rows: Array<[string, string, string]> = [
    ...TLS.map((c): [string, string, string] => [c, 'tls_error', 'needs-configuration']),
    ...PLAIN_HTTP.map((c): [string, string, string] => [c, 'tls_plain_http', 'needs-configuration']),
    ...HEADERS.map((c): [string, string, string] => [c, 'reply_headers_too_large', 'needs-configuration']),
    ...DNS.map((c): [string, string, string] => [c, 'dns_failure', 'retryable']),
    ...TIMEOUT.map((c): [string, string, string] => [c, 'timeout', 'retryable']),
    ...RESET.map((c): [string, string, string] => [c, 'connection_reset', 'retryable']),
    ...NETWORK.map((c): [string, string, string] => [c, 'network_error', 'retryable']),
  ];

  it.each(rows)('%s → %s (%s), alone and as the cause of a library error', (osCode, code, errorClass) => {
    expect(errorFromTransport(systemError(osCode, 'x'), false)).toMatchObject({ code, errorClass, detail: osCode });
    const wrapped = Object.assign(new Error('Network Error'), { code: 'ERR_NETWORK', cause: Object.assign(new TypeError('fetch failed'), { cause: systemError(osCode, 'x') }) });
    expect(errorFromTransport(wrapped, false)).toMatchObject({ code, errorClass });
  });

  it('the client\'s own deadline makes any failure a timeout (an abort included)', () => {
    for (const osCode of ['ERR_CANCELED', 'ABORT_ERR', 'ECONNRESET', 'CERT_HAS_EXPIRED']) {
      expect(errorFromTransport(systemError(osCode), true)).toMatchObject({ code: 'timeout', detail: osCode });
    }
    expect(errorFromTransport(new Error('aborted'), true)).toMatchObject({ code: 'timeout', detail: undefined });
  });

  it('a reply over the size limit is an invalid reply, by code or by axios\'s words (checked before the reset it shares a code with)', () => {
    expect(errorFromTransport(systemError('ERR_FR_MAX_CONTENT_LENGTH_EXCEEDED'), false)).toMatchObject({ code: 'invalid_response', detail: 'reply too large' });
    expect(errorFromTransport(systemError('ERR_BAD_RESPONSE', 'maxContentLength size of 1048576 exceeded'), false)).toMatchObject({ code: 'invalid_response', detail: 'reply too large' });
  });

  it.each([
    ['socket hang up', 'connection_reset'],
    ['terminated', 'connection_reset'],
    ['other side closed', 'connection_reset'],
    ['Parse Error: Header overflow', 'reply_headers_too_large'],
    ['headers too large', 'reply_headers_too_large'],
    ['Headers are too large', 'reply_headers_too_large'],
    ['header too large', 'reply_headers_too_large'],
    ['getaddrinfo failed', 'network_error'],
  ])('a failure with no code is named by its words: "%s" → %s', (message, code) => {
    expect(errorFromTransport(new Error(message), false)).toMatchObject({ code, detail: undefined });
  });

  it('a plain-HTTP answer to TLS is told by OpenSSL\'s words on EPROTO, anywhere in the cause chain', () => {
    for (const words of ['wrong version number', 'http request', 'packet length too long']) {
      expect(errorFromTransport(systemError('EPROTO', `ssl3_get_record:${words}`), false).code).toBe('tls_plain_http');
      const deep = Object.assign(new Error('outer'), { cause: Object.assign(new Error('middle'), { cause: systemError('EPROTO', words) }) });
      expect(errorFromTransport(deep, false).code).toBe('tls_plain_http');
    }
    expect(errorFromTransport(systemError('ECONNRESET', 'wrong version number'), false).code).toBe('connection_reset');
  });

  it('names the OS code as detail, not the library\'s generic wrapper code', () => {
    const axiosLike = Object.assign(new Error('Network Error'), { code: 'ERR_NETWORK', cause: systemError('ECONNREFUSED') });
    expect(errorFromTransport(axiosLike, false).detail).toBe('ECONNREFUSED');
    const badRequest = Object.assign(new Error('Request failed'), { code: 'ERR_BAD_REQUEST', cause: systemError('EHOSTUNREACH') });
    expect(errorFromTransport(badRequest, false).detail).toBe('EHOSTUNREACH');
    expect(errorFromTransport(systemError('ERR_NETWORK'), false).detail).toBe('ERR_NETWORK');
    expect(errorFromTransport(Object.assign(new Error('x'), { code: 42 }), false)).toMatchObject({ code: 'network_error', detail: undefined });
    expect(errorFromTransport('a string thrown', false)).toMatchObject({ code: 'network_error', detail: undefined });
    expect(errorFromTransport(undefined, false)).toMatchObject({ code: 'network_error', detail: undefined });
  });

  it('passes a LicenseApiError through unchanged', () => {
    const own = localError('hardware_id_unavailable');
    expect(errorFromTransport(own, true)).toBe(own);
  });
});

describe('the cause chain', () => {
  /** `code` wrapped in `levels` plain errors. */
  const nested = (code: string, levels: number): Error => {
    let error: Error = systemError(code);
    for (let i = 0; i < levels; i++) error = Object.assign(new Error(`wrapper ${i}`), { cause: error });
    return error;
  };

  it('is read five levels deep, and no deeper', () => {
    expect(errorFromTransport(nested('ENOTFOUND', 4), false)).toMatchObject({ code: 'dns_failure', detail: 'ENOTFOUND' });
    expect(errorFromTransport(nested('ENOTFOUND', 5), false)).toMatchObject({ code: 'network_error', detail: undefined });
    const words = (levels: number) => {
      let error: Error = new Error('Parse Error: Header overflow');
      for (let i = 0; i < levels; i++) error = Object.assign(new Error(`wrapper ${i}`), { cause: error });
      return error;
    };
    expect(errorFromTransport(Object.assign(words(4), { code: 'X' }), false).code).toBe('reply_headers_too_large');
    expect(errorFromTransport(Object.assign(words(5), { code: 'X' }), false).code).toBe('network_error');
  });

  it('a cyclic cause ends: each error is its own (or the other\'s) cause', () => {
    const self = systemError('ECONNRESET');
    Object.assign(self, { cause: self });
    expect(errorFromTransport(self, false)).toMatchObject({ code: 'connection_reset', detail: 'ECONNRESET' });
    const a = new Error('a');
    const b = Object.assign(new Error('b'), { cause: a });
    Object.assign(a, { cause: b });
    expect(errorFromTransport(a, false)).toMatchObject({ code: 'network_error', detail: undefined });
    const nonError = { message: 'not an Error', cause: null as unknown };
    nonError.cause = nonError;
    expect(errorFromTransport(nonError, false).code).toBe('network_error');
  });

  it('an AggregateError (one failure per address tried) is named by the codes inside it', () => {
    const both = new AggregateError([systemError('ECONNREFUSED'), systemError('ETIMEDOUT')], 'connect failed');
    expect(errorFromTransport(both, false)).toMatchObject({ code: 'timeout', detail: 'ECONNREFUSED' });
    const expired = Object.assign(new Error('fetch failed'), { cause: new AggregateError([systemError('CERT_HAS_EXPIRED')]) });
    expect(errorFromTransport(expired, false)).toMatchObject({ code: 'tls_error', detail: 'CERT_HAS_EXPIRED' });
    const inner = new AggregateError([Object.assign(new Error('x'), { cause: systemError('EAI_AGAIN') })]);
    expect(errorFromTransport(inner, false).code).toBe('dns_failure');
    expect(errorFromTransport(Object.assign(new Error('x'), { errors: 'not a list', code: 'ECONNRESET' }), false).code).toBe('connection_reset');
  });
});

describe('the error itself', () => {
  it('its message is code: summary (detail), and a local error is unsigned and parkable unless its code says otherwise', () => {
    const error = localError('timeout', { detail: 'ETIMEDOUT' });
    expect(error.message).toBe(`timeout: ${LOCAL_ERROR_CODES.timeout.summary} (ETIMEDOUT)`);
    expect(localError('timeout').message).toBe(`timeout: ${LOCAL_ERROR_CODES.timeout.summary}`);
    expect(error).toMatchObject({ signed: false, parkable: true, status: undefined, serverCode: undefined });
    expect(localError('hardware_id_unavailable').parkable).toBe(false);
    expect(localError('invalid_request', { status: 0, summary: 'S', remedy: 'R', errorClass: 'fatal' })).toMatchObject({ status: 0, summary: 'S', remedy: 'R', errorClass: 'fatal' });
  });

  it('a copy with a Retry-After keeps everything else; without one it is the same error', () => {
    const original = errorFromReply(302, 'moved', undefined, { location: 'https://x/', signed: false });
    const copy = original.withRetryAfter(9_000);
    expect(copy).not.toBe(original);
    expect(copy.toJSON()).toEqual({ ...original.toJSON(), retryAfterMs: 9_000 });
    expect(copy).toMatchObject({ status: 302, serverCode: 'moved', detail: 'server code "moved"', parkable: false, signed: false });
    const signed = errorFromReply(400, 'device_not_found', undefined, { signed: true });
    expect(signed.withRetryAfter(1).toJSON()).toEqual({ ...signed.toJSON(), retryAfterMs: 1 });
    expect(original.withRetryAfter(undefined)).toBe(original);
  });

  it('an unknown refusal\'s remedy sends the person to the server\'s words, then to a report', () => {
    expect(errorFromReply(403, undefined).remedy).toBe('The server\'s words above say why. If they do not help, this may be an unsupported server or an agent bug: please report it with the diagnostics.');
  });
});

describe('printableText and redirectTarget', () => {
  it.each([
    ['a   b', 'a b'],
    [' \t a\n\nb \u2028 c ', 'a b c'],
    ['a\u0000b\u009fc', 'a b c'],
    ['x'.repeat(200), 'x'.repeat(200)],
    ['x'.repeat(201), `${'x'.repeat(199)}…`],
  ])('%j → %j', (text, line) => {
    expect(printableText(text)).toBe(line);
  });

  it('takes a shorter bound', () => {
    expect(printableText('abcdef', 5)).toBe('abcd…');
    expect(printableText('abcde', 5)).toBe('abcde');
  });

  it.each([
    [undefined, undefined],
    ['', undefined],
    ['   ', undefined],
    [' /moved/here?k=secret#frag ', 'https://api.example/moved/here'],
    ['https://user:pw@other.example:8443/api/v4/?x=1', 'https://other.example:8443/api/v4/'],
    ['http://plain.example/p', 'http://plain.example/p'],
    ['ftp://files.example/x', 'ftp:…'],
    ['javascript:alert(1)', 'javascript:…'],
    ['http://[bad', undefined],
  ])('a Location of %j is shown as %j', (location, shown) => {
    expect(redirectTarget(location, 'https://api.example/api/v4/check_license')).toBe(shown);
  });
});
