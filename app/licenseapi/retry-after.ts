// Retry-After (RFC 9110 §10.2.3): either delta-seconds or an HTTP-date.
// An HTTP-date is measured against the server's clock (its Date header), not
// ours, so a skewed local clock does not stretch or shrink the wait.

/** Longest wait we accept from a server whose reply is signed; anything larger is clamped to it (1 day). */
export const RETRY_AFTER_MAX_MS = 24 * 60 * 60 * 1000;
/**
 * Longest wait we accept from an unsigned reply (the vendor signs no error reply; a proxy or
 * anyone on the path can send one): the normal backoff cap, so a forged or mistaken
 * Retry-After silences an agent for no longer than an outage would.
 */
export const UNSIGNED_RETRY_AFTER_MAX_MS = 60 * 60 * 1000;

/**
 * Milliseconds to wait according to a Retry-After value, or undefined when the
 * header is absent or unreadable.
 * @param value the header value
 * @param serverNowMs the server's "now" (its Date header when present; else our corrected clock)
 */
export function parseRetryAfter(value: string | undefined | null, serverNowMs: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) {
    const seconds = Number(text);
    return Math.min(seconds * 1000, RETRY_AFTER_MAX_MS);
  }
  // Only accept something that looks like a date (a weekday or month name), so
  // "-5" or "1.5" are refused rather than read by Date.parse's lenient rules.
  if (!/[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - serverNowMs), RETRY_AFTER_MAX_MS);
}
