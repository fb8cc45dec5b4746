// The one way a sandbox handler fails: an ApiError carrying a documented code.
// Its reply body is exactly {status, code, message} with the status and message
// from the shared ERROR_CODES table; `detail` (which field, why) is never put in
// the body, only in the X-Sandbox-Error-Detail header and the request log.
import { ERROR_CODES } from '../app/licenseapi/error-codes.ts';
import type { ServerErrorCode } from '../app/licenseapi/error-codes.ts';

export interface ErrorBody { status: number; code: string; message: string }

export class ApiError extends Error {
  readonly code: ServerErrorCode;
  readonly detail: string | undefined;

  constructor(code: ServerErrorCode, detail?: string) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'ApiError';
    this.code = code;
    this.detail = detail;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  body(): ErrorBody {
    return errorBody(this.code);
  }
}

export function errorBody(code: ServerErrorCode): ErrorBody {
  const info = ERROR_CODES[code];
  return { status: info.status, code, message: info.serverMessage };
}
