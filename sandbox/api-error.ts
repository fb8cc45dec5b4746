// The one way a sandbox handler fails: an ApiError carrying a documented code.
// Its reply body is exactly {status, code, message} with the status and message
// from the shared ERROR_CODES table (the message per product kind where the
// documentation's wording names the wrong one); `detail` (which field, why) is
// never put in the body, only in the X-Sandbox-Error-Detail header and the request log.
// Two replies have no documented code; the sandbox picks its own (SANDBOX_CODES).
import { ERROR_CODES, MESSAGES_BY_PRODUCT_KIND } from '../app/licenseapi/error-codes.ts';
import type { ServerErrorCode } from '../app/licenseapi/error-codes.ts';

export interface ErrorBody { status: number; code: string; message: string }

/** Replies the vendor documents no code for: the sandbox's choice (README, "Choices"). */
export const SANDBOX_CODES = {
  unsupported_media_type: { status: 415, serverMessage: 'Content-Type must be application/json' },
} as const;
export type SandboxCode = keyof typeof SANDBOX_CODES;

export type ProductKind = 'license-key' | 'user';

export class ApiError extends Error {
  readonly code: ServerErrorCode | SandboxCode;
  readonly detail: string | undefined;
  readonly productKind: ProductKind | undefined;

  constructor(code: ServerErrorCode | SandboxCode, detail?: string, productKind?: ProductKind) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'ApiError';
    this.code = code;
    this.detail = detail;
    this.productKind = productKind;
  }

  get status(): number {
    return errorBody(this.code).status;
  }

  body(): ErrorBody {
    return errorBody(this.code, this.productKind);
  }
}

export function errorBody(code: ServerErrorCode | SandboxCode, productKind?: ProductKind): ErrorBody {
  if (Object.hasOwn(SANDBOX_CODES, code)) {
    const info = SANDBOX_CODES[code as SandboxCode];
    return { status: info.status, code, message: info.serverMessage };
  }
  const info = ERROR_CODES[code as ServerErrorCode];
  const byKind = productKind ? MESSAGES_BY_PRODUCT_KIND[code as ServerErrorCode]?.[productKind] : undefined;
  return { status: info.status, code, message: byKind ?? info.serverMessage };
}
