// Exit codes of the device-agent command, documented in the README.
import type { ErrorClass } from '../app/licenseapi/error-codes.ts';

export const EXIT = {
  ok: 0,
  /** An unexpected internal error (a bug: please report it). */
  internal: 1,
  /** Bad command line or configuration; nothing was sent. */
  usage: 2,
  /** Another agent holds the state directory. */
  locked: 3,
  /** The server could not be reached or failed; values stay pending and are retried. */
  retryable: 10,
  /** The server refused the configuration (keys, product, clock...). */
  needsConfiguration: 11,
  /** The device is not activated for this license. */
  needsActivation: 12,
  /** The license or device state forbids it (disabled, inactive, blacklisted...). */
  licenseState: 13,
  /** The server refused the request itself. */
  fatal: 14,
  /** `once` stopped by SIGINT before the server answered (128 + 2, as shells report it). */
  sigint: 130,
  /** `once` stopped by SIGTERM before the server answered (128 + 15). */
  sigterm: 143,
} as const;

export function exitCodeFor(errorClass: ErrorClass): number {
  switch (errorClass) {
    case 'retryable': return EXIT.retryable;
    case 'needs-configuration': return EXIT.needsConfiguration;
    case 'needs-activation': return EXIT.needsActivation;
    case 'license-state': return EXIT.licenseState;
    case 'fatal': return EXIT.fatal;
  }
}
