// What a V8 heap snapshot (.heapsnapshot, as written by --heapsnapshot-signal or
// v8.writeHeapSnapshot) holds, summed by kind: how much is strings (and how much of
// that is long strings, which in an agent at rest are module source text), code
// (bytecode, feedback, scope info), objects, arrays, closures. Self sizes only, so
// the parts add up to the snapshot's total.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const snapshotSchema = z.object({
  snapshot: z.object({ meta: z.object({ node_fields: z.array(z.string()), node_types: z.tuple([z.array(z.string())]).rest(z.unknown()) }) }),
  nodes: z.array(z.number()),
  strings: z.array(z.string()),
});

/** Strings at least this long are counted apart: at rest they are module source text. */
export const LONG_STRING_BYTES = 8 * 1024;

export interface HeapSummary {
  totalMb: number;
  /** Self size per node type ("string", "code", "object", "array", "closure", "hidden", "object shape", …), MiB. */
  byTypeMb: Record<string, number>;
  /** Strings of LONG_STRING_BYTES or more, MiB, and how many. */
  longStringsMb: number;
  longStrings: number;
}

export function summarizeHeapSnapshot(path: string): HeapSummary {
  const snapshot = snapshotSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const typeAt = fields.indexOf('type');
  const sizeAt = fields.indexOf('self_size');
  if (typeAt < 0 || sizeAt < 0) throw new Error(`${path}: not a V8 heap snapshot (no type/self_size fields)`);
  const byType: Record<string, number> = {};
  let total = 0;
  let long = 0;
  let longCount = 0;
  const { nodes } = snapshot;
  for (let i = 0; i < nodes.length; i += fields.length) {
    const type = types[nodes[i + typeAt]!] ?? 'unknown';
    const size = nodes[i + sizeAt]!;
    total += size;
    byType[type] = (byType[type] ?? 0) + size;
    if (type === 'string' && size >= LONG_STRING_BYTES) {
      long += size;
      longCount += 1;
    }
  }
  const mb = (bytes: number) => bytes / 1024 / 1024;
  return {
    totalMb: mb(total),
    byTypeMb: Object.fromEntries(Object.entries(byType).sort((a, b) => b[1] - a[1]).map(([type, bytes]) => [type, mb(bytes)])),
    longStringsMb: mb(long),
    longStrings: longCount,
  };
}
