import { describe, expect, it } from 'vitest';
import { CHART, DAY_MS, chartModel, xFor, yFor } from './chart-model.ts';

describe('chart model', () => {
  const now = 1_700_000_000_000;
  it('maps the last 24 h onto the plot width and percentages onto its height', () => {
    expect(xFor(now - DAY_MS, now)).toBe(CHART.padLeft);
    expect(xFor(now, now)).toBe(CHART.width - CHART.padRight);
    expect(xFor(now - 2 * DAY_MS, now)).toBe(CHART.padLeft);
    expect(yFor(100)).toBe(CHART.padTop);
    expect(yFor(0)).toBe(CHART.padTop + CHART.plotHeight);
    expect(yFor(150)).toBe(CHART.padTop);
  });
  it('draws metric lines in time order, drops old entries and summarises outcomes', () => {
    const m = chartModel(
      [{ at: now - 1000, outcome: 'ok', sent: 3 }, { at: now - 2000, outcome: 'error', sent: 0, code: 'network_error' }, { at: now - 2 * DAY_MS, outcome: 'ok', sent: 1 }],
      [{ at: now - 10, values: { cpu_load_pct: 50, ram_used_pct: 20 } }, { at: now - DAY_MS / 2, values: { cpu_load_pct: 10 } }],
      now,
    );
    expect(m.marks).toHaveLength(2);
    const cpu = m.lines.find((l) => l.metric === 'cpu_load_pct');
    expect(cpu?.count).toBe(2);
    expect(cpu?.points.split(' ')[0]).toBe(`${xFor(now - DAY_MS / 2, now)},${yFor(10)}`);
    expect(m.lines.find((l) => l.metric === 'ram_used_pct')?.count).toBe(1);
    expect(m.summary).toBe('Last 24 hours: 1 successful sync, 1 failed, 2 metric samples.');
  });
});
