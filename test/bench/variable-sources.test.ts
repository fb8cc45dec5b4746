// The bench's variable-source figures, as a smoke test of what it claims: no process
// and no file read for an unchanged drop-in folder, one read for a rewritten file, a
// command source at its interval only (24 runs over a day of 15-min cycles, 1 h interval).
import { describe, expect, it } from 'vitest';
import { measureVariableSources, variableSourcesTable } from '../../bench/variable-sources.ts';

describe.skipIf(process.platform !== 'linux')('bench/variable-sources.ts', () => {
  it('measures every source and says how often each reads or spawns', async () => {
    const figures = await measureVariableSources(true);
    const row = (prefix: string) => figures.rows.find((r) => r.name.startsWith(prefix))!;
    expect(row('variables.d: 10 files, unchanged')).toMatchObject({ procsPerCycle: 0, readsPerCycle: 0 });
    expect(row('variables.d: 10 files, one rewritten')).toMatchObject({ procsPerCycle: 0, readsPerCycle: 1 });
    expect(row('env source').procsPerCycle).toBe(0);
    expect(row('file source').procsPerCycle).toBe(0);
    expect(row('command source, interval 1 h')).toMatchObject({ cycles: 96, procsPerCycle: 0.25 });
    expect(row('command source, one run when due').procsPerCycle).toBe(1);
    expect(variableSourcesTable(figures).split('\n')).toHaveLength(2 + 1 + figures.rows.length);
  }, 30_000);
});
