// The 24-hour chart as inline SVG (no remote content, no inline styles), in the window's language.
import type { MetricSample, SyncHistoryEntry } from '../app/agent-api.ts';
import { CHART, chartModel, yFor } from './chart-model.ts';
import { s } from './dom.ts';
import { tr } from './i18n.ts';

export function renderChart(history: readonly SyncHistoryEntry[], samples: readonly MetricSample[], now: number): { svg: SVGSVGElement; empty: boolean; sparse: boolean } {
  const model = chartModel(history, samples, now);
  const summary = tr.t('chart.summary', { ok: tr.number(model.counts.ok), failed: tr.number(model.counts.failed), samples: tr.number(model.counts.samples) });
  const svg = s('svg', { viewBox: `0 0 ${CHART.width} ${CHART.height}`, role: 'img', 'aria-labelledby': 'chart-title chart-desc' },
    s('title', { id: 'chart-title' }, tr.t('chart.title')),
    s('desc', { id: 'chart-desc' }, summary));
  for (const pct of [0, 50, 100]) {
    const y = yFor(pct);
    svg.append(
      s('line', { class: 'grid-line', x1: CHART.padLeft, x2: CHART.width - CHART.padRight, y1: y, y2: y }),
      s('text', { class: 'axis-label', x: CHART.padLeft - 4, y: y + 3, 'text-anchor': 'end' }, `${tr.number(pct)} %`),
    );
  }
  svg.append(
    s('line', { class: 'grid-line', x1: CHART.padLeft, x2: CHART.width - CHART.padRight, y1: CHART.marksY, y2: CHART.marksY }),
    s('text', { class: 'axis-label', x: CHART.padLeft, y: CHART.height - 2 }, tr.t('chart.ago')),
    s('text', { class: 'axis-label', x: CHART.width - CHART.padRight, y: CHART.height - 2, 'text-anchor': 'end' }, tr.t('chart.now')),
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
      s('title', {}, tr.t(`chart.outcome.${m.outcome}`, { time: tr.time(m.at) }))));
  }
  return { svg, empty: model.empty, sparse: model.sparse };
}
