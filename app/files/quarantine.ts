// Files the agent moved aside because they were unusable (`<file>.corrupt-<time>`):
// kept for a person to look at, but capped, so a damaged disk or a hostile user
// cannot fill the state directory with copies.
import { lstatSync, readdirSync, rmSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export const QUARANTINE_TAG = 'corrupt';
/** The newest this many copies are kept... */
export const QUARANTINE_KEEP = 3;
/** ...at most this many bytes together (a larger copy is removed at once). */
export const QUARANTINE_MAX_BYTES = 16 * 1024 * 1024;

/** `<file>.corrupt-<sortable time>`. */
export function quarantinePath(filePath: string, now: number): string {
  return `${filePath}.${QUARANTINE_TAG}-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
}

/**
 * Keeps the newest `keep` copies of `filePath` moved aside, at most `maxBytes` together, and
 * removes the rest. Returns the names removed; never throws.
 */
export function pruneQuarantine(filePath: string, keep: number = QUARANTINE_KEEP, maxBytes: number = QUARANTINE_MAX_BYTES): string[] {
  const dir = dirname(filePath);
  const prefix = `${basename(filePath)}.${QUARANTINE_TAG}-`;
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.startsWith(prefix));
  } catch {
    return [];
  }
  const removed: string[] = [];
  let kept = 0;
  let total = 0;
  // The time in the name sorts like time: newest first.
  for (const name of names.sort().reverse()) {
    const path = join(dir, name);
    let stats: Stats;
    try {
      stats = lstatSync(path);
    } catch {
      continue;
    }
    if (stats.isDirectory()) continue;
    const size = stats.isFile() ? stats.size : 0;
    if (kept < keep && total + size <= maxBytes) {
      kept++;
      total += size;
      continue;
    }
    try {
      rmSync(path, { force: true });
      removed.push(name);
    } catch {
      // not ours to remove after all
    }
  }
  return removed;
}
