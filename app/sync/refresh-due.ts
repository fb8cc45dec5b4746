// When a periodic refresh is due: the static facts (re-collected every staticRefreshMs) and
// the license check (asked every licenseCheckMs) follow the same rule.
export interface RefreshFacts {
  /** Something asked for it regardless of time (a start, a new collector, a license error, an identity change). */
  forced: boolean;
  /** When it was last done (epoch ms); undefined: never in this engine's memory. */
  lastAt: number | undefined;
  now: number;
  everyMs: number;
}

/**
 * Due when forced, never done, a full period old, or when the clock went back past the last
 * time (the wall clock was set back: the age cannot be trusted, so it is done again).
 */
export function isRefreshDue({ forced, lastAt, now, everyMs }: RefreshFacts): boolean {
  return forced || lastAt === undefined || now - lastAt >= everyMs || now < lastAt;
}
