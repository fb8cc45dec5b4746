// The 24-hour chart as inline SVG (no remote content, no inline styles).
import type { MetricSample, SyncHistoryEntry } from '../app/agent-api.ts';
import { CHART, chartModel, yFor } from './chart-model.ts';
import { s } from './dom.ts';

export function renderChart(history: readonly SyncHistoryEntry[], samples: readonly MetricSample[], now: number): SVGSVGElement {
  const model = chartModel(history, samples, now);
  const svg = s('svg', { viewBox: `0 0 ${CHART.width} ${CHART.height}`, role: 'img', 'aria-labelledby': 'chart-title chart-desc' },
    s('title', { id: 'chart-title' }, 'Sync outcomes and CPU / memory over the last 24 hours'),
    s('desc', { id: 'chart-desc' }, model.summary));
  for (const pct of [0, 50, 100]) {
    const y = yFor(pct);
    svg.append(
      s('line', { class: 'grid-line', x1: CHART.padLeft, x2: CHART.width - CHART.padRight, y1: y, y2: y }),
      s('text', { class: 'axis-label', x: 4, y: y + 3 }, `${pct}%`),
    );
  }
  svg.append(
    s('text', { class: 'axis-label', x: CHART.padLeft, y: CHART.height - 2 }, '24 h ago'),
    s('text', { class: 'axis-label', x: CHART.width - CHART.padRight - 24, y: CHART.height - 2 }, 'now'),
  );
  for (const line of model.lines) {
    if (line.count > 1) svg.append(s('polyline', { class: `metric ${line.metric}`, points: line.points }));
    // Too few samples for a line yet: show them as dots.
    if (line.count <= 2) {
      for (const p of line.points.split(' ').filter(Boolean)) {
        const [cx, cy] = p.split(',');
        svg.append(s('circle', { class: `metric-dot ${line.metric}`, cx, cy, r: 2.5 }));
      }
    }
  }
  for (const m of model.marks) {
    svg.append(s('circle', { class: `mark ${m.outcome}`, cx: m.x, cy: CHART.marksY, r: 3.5 },
      s('title', {}, `${new Date(m.at).toLocaleTimeString()}: ${m.outcome}`)));
  }
  return svg;
}
