// The server's clock as seen from here. The License API refuses a Date header
// more than 15 minutes off, so the client signs with its own clock corrected by
// an offset learned from each reply's Date header.

/** Offsets closer than this to the current one are noise (Date has 1 s resolution). */
export const CLOCK_TOLERANCE_MS = 2000;

export interface ServerClock {
  /** Our best estimate of the server's current time (ms). */
  now(): number;
  /** Server time minus local time, in ms (0 until a reply says otherwise). */
  offsetMs(): number;
  /**
   * Learns from a reply's Date header. `sentAt`/`receivedAt` are local times
   * bracketing the exchange. Returns true when the offset changed.
   */
  learn(dateHeader: string | undefined, sentAt: number, receivedAt: number): boolean;
}

/** Parses an HTTP Date header to ms, or undefined when absent/unreadable. */
export function parseHttpDate(value: string | undefined | null): number | undefined {
  if (!value) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : at;
}

export function createServerClock(localNow: () => number = Date.now, initialOffsetMs = 0): ServerClock {
  let offset = initialOffsetMs;
  return {
    now: () => localNow() + offset,
    offsetMs: () => offset,
    learn(dateHeader, sentAt, receivedAt) {
      const serverAt = parseHttpDate(dateHeader);
      if (serverAt === undefined) return false;
      // The header is truncated to the second: the server's moment lies in
      // [serverAt, serverAt + 1000); take the middle, against the middle of our exchange.
      const estimate = Math.round(serverAt + 500 - (sentAt + receivedAt) / 2);
      if (Math.abs(estimate - offset) <= CLOCK_TOLERANCE_MS) return false;
      offset = Math.abs(estimate) <= CLOCK_TOLERANCE_MS ? 0 : estimate;
      return true;
    },
  };
}
