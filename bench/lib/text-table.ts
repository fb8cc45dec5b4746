// Plain-text tables for the terminal and for docs/performance.md (Markdown pipes).

export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** A number with a fixed number of decimals, or "–" when it is not a finite number. */
export function fmt(value: number | undefined, decimals = 2): string {
  return value !== undefined && Number.isFinite(value) ? value.toFixed(decimals) : '–';
}

/** "12.3×" of value against a baseline, or "–". */
export function ratio(value: number, baseline: number): string {
  return baseline > 0 && Number.isFinite(value) ? `${(value / baseline).toFixed(value / baseline >= 100 ? 0 : 2)}×` : '–';
}
