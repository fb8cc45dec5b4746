// Redaction, the one place for it: of log records (a field whose name looks secret, and
// any occurrence of a registered secret value anywhere: message, nested fields, error
// messages) and of text that leaves the process (the desktop's log lines, diagnostics:
// also Authorization headers and key=value / "key": "value" pairs with secret names).
// Each becomes `[redacted]`. Pure: no I/O, so it is tested on its own.

export const REDACTED = '[redacted]';

/** Field names that hold secrets: api/shared/license keys, client secrets, tokens, Authorization, passwords. */
const SECRET_NAME = /key|secret|token|authori[sz]ation|passw(or)?d|credential|cookie/i;

/** Secret values shorter than this are not searched for (they would redact ordinary words). */
const MIN_SECRET_LENGTH = 4;

const MAX_DEPTH = 8;

export function isSecretFieldName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Replaces every occurrence of every secret in `text`. Longest secrets first, so one that contains another is removed whole. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** Normalises a caller's secret list: drops short/empty values, longest first. */
export function secretList(values: readonly (string | undefined | null)[]): string[] {
  const unique = new Set<string>();
  for (const v of values) if (typeof v === 'string' && v.length >= MIN_SECRET_LENGTH) unique.add(v);
  return [...unique].sort((a, b) => b.length - a.length);
}

/**
 * A JSON-safe, redacted copy of `value`. Errors become `{ name, message, code? }` (no stack:
 * it can hold argument values); cycles become `[circular]`; depth is bounded.
 */
export function redactValue(value: unknown, secrets: readonly string[], depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return {
      name: value.name,
      message: redactText(value.message, secrets),
      ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    };
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secrets, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    out[name] = isSecretFieldName(name) && item !== undefined && item !== null && item !== '' ? REDACTED : redactValue(item, secrets, depth + 1, seen);
  }
  return out;
}

/** Key names whose values are secrets wherever they appear as key=value or "key": "value". */
const SECRET_KEY_NAMES = ['sharedKey', 'shared_key', 'clientSecret', 'client_secret', 'password', 'access_token', 'adminToken', 'admin_token', 'DEVICE_AGENT_SHARED_KEY', 'DEVICE_AGENT_CLIENT_SECRET'];

/**
 * Text that leaves the process (log lines of the desktop shell, diagnostics) without a
 * secret: every known secret value, Authorization headers and fields (HMAC signature or
 * Bearer token), and the values of secret-named keys in JSON and in key=value form.
 */
export function redactSecrets(text: string, knownSecrets: readonly (string | undefined | null)[] = []): string {
  let out = redactText(text, secretList(knownSecrets));
  // Authorization: as a JSON field, then as a header line (HMAC signature or Bearer token).
  out = out.replace(/("authorization"\s*:\s*)"(?:[^"\\]|\\.)*"/gi, `$1"${REDACTED}"`);
  out = out.replace(/(\bauthorization\s*:\s*)(?!"\[redacted\]")(bearer\s+)?[^\r\n]*/gi, (_m, head: string, bearer: string | undefined) => `${head}${bearer ?? ''}${REDACTED}`);
  for (const key of SECRET_KEY_NAMES) {
    const k = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`("${k}"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi'), `$1"${REDACTED}"`);
    out = out.replace(new RegExp(`(\\b${k}\\s*=\\s*)[^\\s&"']+`, 'gi'), `$1${REDACTED}`);
  }
  return out;
}
