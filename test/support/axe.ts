// axe-core run inside a page: its source is evaluated in the page's main world
// through the DevTools protocol (the window's CSP refuses injected <script>
// tags, rightly), then axe.run() checks the document as it is shown — hidden
// views are not checked, so each view is run on its own.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation { id: string; impact: string | null; help: string; nodes: string[] }

/**
 * A function's source for a page: loads axe once, runs every rule of WCAG 2.0/2.1/2.2
 * A and AA plus axe's best practices, and returns the violations with the selectors
 * of the offending nodes (what a failure message needs).
 */
export function axeRunSource(): string {
  return `async () => {
    if (!window.axe) { ${AXE_SOURCE}\n }
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ') + ' — ' + (n.failureSummary ?? '').replace(/\\s+/g, ' ')) }));
  }`;
}

/** One line per violation, for an assertion message. */
export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.join('\n    ')}`).join('\n');
}
