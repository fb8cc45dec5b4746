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
  it('draws metric lines in time order, drops old entries and counts outcomes', () => {
    const m = chartModel(
      [{ at: now - 1000, outcome: 'ok', sent: 3 }, { at: now - 2000, outcome: 'error', sent: 0, code: 'network_error' }, { at: now - 3000, outcome: 'nothing-to-send', sent: 0 }, { at: now - 2 * DAY_MS, outcome: 'ok', sent: 1 }],
      [{ at: now - 10, values: { cpu_load_pct: 50, ram_used_pct: 20 } }, { at: now - DAY_MS / 2, values: { cpu_load_pct: 10 } }],
      now,
    );
    expect(m.marks).toHaveLength(3);
    const cpu = m.lines.find((l) => l.metric === 'cpu_load_pct');
    expect(cpu?.count).toBe(2);
    expect(cpu?.points.split(' ')[0]).toBe(`${xFor(now - DAY_MS / 2, now)},${yFor(10)}`);
    expect(m.lines.find((l) => l.metric === 'ram_used_pct')?.count).toBe(1);
    expect(m.counts).toEqual({ ok: 2, failed: 1, samples: 2 });
    expect(m.empty).toBe(false);
  });
  it('is empty on the first day before anything happened, and when all it has is older than 24 h', () => {
    expect(chartModel([], [], now).empty).toBe(true);
    expect(chartModel([{ at: now - DAY_MS - 1, outcome: 'ok', sent: 1 }], [{ at: now - DAY_MS - 1, values: { cpu_load_pct: 5 } }], now).empty).toBe(true);
  });
  it('is sparse while fewer than three samples are in the window (a first day), not when empty and not once a line can be drawn', () => {
    const sample = (minutesAgo: number) => ({ at: now - minutesAgo * 60_000, values: { cpu_load_pct: 5, ram_used_pct: 40 } });
    const ok = { at: now - 60_000, outcome: 'ok' as const, sent: 3 };
    expect(chartModel([], [], now).sparse).toBe(false);
    expect(chartModel([ok], [], now).sparse).toBe(true);
    expect(chartModel([ok], [sample(1)], now).sparse).toBe(true);
    expect(chartModel([ok], [sample(16), sample(1)], now).sparse).toBe(true);
    expect(chartModel([ok], [sample(31), sample(16), sample(1)], now).sparse).toBe(false);
    // Samples older than 24 h do not count towards a line.
    expect(chartModel([ok], [sample(25 * 60), sample(24 * 60 + 1), sample(1)], now).sparse).toBe(true);
  });
});
