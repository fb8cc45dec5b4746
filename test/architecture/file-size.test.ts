// Small modules named for what they do (issue 14): no source file outside the tests is
// longer than 300 lines, so a newcomer can read any one of them in a sitting. A file that
// grows past the limit is split along a real seam (a pure decision apart from its wiring,
// a sub-concern with its own tests), not trimmed of comments.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const ROOMS = ['app', 'cli', 'main', 'preload', 'renderer', 'sandbox', 'tools'];
const MAX_LINES = 300;
/** Hand-written source: code, markup and styles (JSON schemas and shell examples are data). */
const SOURCE = /\.(ts|js|mjs|cjs|css|html)$/;
/** Tests and generated code are not held to the limit. */
const EXEMPT = /(\.test\.[a-z]+|\.generated\.[a-z.]+)$/;

/** The files over the limit and allowed to be, each with why. Remove an entry when its file is split. */
const KNOWN_EXCEPTIONS: Readonly<Record<string, string>> = {};

function lineCount(path: string): number {
  const text = readFileSync(path, 'utf8');
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** Source files under the rooms of `base` with more than `max` lines, as paths relative to base (with /). */
function oversized(base: string, rooms: readonly string[], max: number): Map<string, number> {
  const found = new Map<string, number>();
  for (const room of rooms) {
    let entries: string[];
    try {
      entries = readdirSync(join(base, room), { recursive: true, encoding: 'utf8' });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!SOURCE.test(entry) || EXEMPT.test(entry) || entry.split(sep).includes('node_modules')) continue;
      const path = join(base, room, entry);
      let lines: number;
      try {
        lines = lineCount(path);
      } catch {
        continue; // a folder whose name ends like a source file
      }
      if (lines > max) found.set(relative(base, path).split(sep).join('/'), lines);
    }
  }
  return found;
}

describe('no source file outside the tests is longer than 300 lines', () => {
  it('holds for app/, cli/, main/, preload/, renderer/, sandbox/ and tools/ (but the known exceptions)', () => {
    const over = oversized(root, ROOMS, MAX_LINES);
    const unexpected = [...over].filter(([path]) => !(path in KNOWN_EXCEPTIONS)).map(([path, lines]) => `${path}: ${lines} lines (split it along a real seam)`);
    expect(unexpected).toEqual([]);
  });

  it('every known exception is still over the limit (once split, its entry goes)', () => {
    const over = oversized(root, ROOMS, MAX_LINES);
    const stale = Object.keys(KNOWN_EXCEPTIONS).filter((path) => !over.has(path)).map((path) => `${path} is no longer over ${MAX_LINES} lines: remove it from KNOWN_EXCEPTIONS`);
    expect(stale).toEqual([]);
  });

  it('the check finds a file one line too long, and skips tests, generated code and data', () => {
    const base = mkdtempSync(join(tmpdir(), 'da-file-size-'));
    const lines = (n: number) => `${Array.from({ length: n }, (_, i) => `// line ${i + 1}`).join('\n')}\n`;
    mkdirSync(join(base, 'app', 'deep'), { recursive: true });
    writeFileSync(join(base, 'app', 'ok.ts'), lines(300));
    writeFileSync(join(base, 'app', 'deep', 'long.ts'), lines(301));
    writeFileSync(join(base, 'app', 'long.test.ts'), lines(900));
    writeFileSync(join(base, 'app', 'table.generated.js'), lines(900));
    writeFileSync(join(base, 'app', 'schema.json'), lines(900));
    mkdirSync(join(base, 'renderer'));
    writeFileSync(join(base, 'renderer', 'styles.css'), lines(301));
    try {
      expect([...oversized(base, ['app', 'renderer', 'missing'], MAX_LINES)].sort()).toEqual([['app/deep/long.ts', 301], ['renderer/styles.css', 301]]);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
