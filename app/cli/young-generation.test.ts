// The young-generation setting, in fresh processes: the same allocation (many objects
// that survive, as while modules load) grows V8's new space from 1 MB to tens of MB
// without it, and to at most twice its starting size with it (measured: 1 → 2 MB).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const script = (keepSmall: boolean) => `
  ${keepSmall ? `const { keepYoungGenerationSmall } = await import(${JSON.stringify(join(import.meta.dirname, 'young-generation.ts'))}); keepYoungGenerationSmall();` : ''}
  const v8 = await import('node:v8');
  const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
  const before = newSpace();
  const kept = [];
  for (let i = 0; i < 400_000; i++) kept.push({ i, text: 'x' + i });
  console.log(JSON.stringify({ before, after: newSpace(), kept: kept.length }));
`;

async function newSpaceGrowth(keepSmall: boolean): Promise<{ before: number; after: number }> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script(keepSmall)], { timeout: 20_000 });
  return JSON.parse(stdout) as { before: number; after: number };
}

describe('keepYoungGenerationSmall', () => {
  it('keeps the new space near its starting size (without it, it grows many times over)', async () => {
    const [kept, grown] = await Promise.all([newSpaceGrowth(true), newSpaceGrowth(false)]);
    expect(kept.after).toBeLessThanOrEqual(2 * kept.before);
    expect(grown.after).toBeGreaterThanOrEqual(8 * grown.before);
  });
});
