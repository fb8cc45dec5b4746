// Device-variable limits. The License API documents none; the agent enforces
// these before sending and the sandbox enforces the same with `validation_error`.
export const VARIABLE_LIMITS = {
  /** Variable names: 1..64 characters of [A-Za-z0-9_.-]. */
  nameMaxLength: 64,
  namePattern: /^[A-Za-z0-9_.-]{1,64}$/,
  /** String values are at most 256 characters (after conversion of numbers/booleans). */
  valueMaxLength: 256,
  /** At most 100 variables per request and per device. */
  maxVariables: 100,
  /** A request body is at most 64 KiB of JSON. */
  maxBodyBytes: 64 * 1024,
} as const;
