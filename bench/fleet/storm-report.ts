// The login storm's figures as text: the states the fleet started from, requests
// per minute for each rule, the busiest minutes and the goal, and how soon each kind
// of state got its first sync.
import { START_KINDS, type StartKind } from './fleet-state.ts';
import { STORM_GOAL, STORM_SHOWN_MINUTES, type FirstSyncSpread, type LoginStorm, type StormSchedule } from './login-storm.ts';
import { clockLabel } from './report.ts';

const RULE_NAMES: Record<StormSchedule, string> = {
  current: 'the agent\'s rule (app/sync/schedule.ts firstCycle)',
  before: 'before: every start waits the regular splay',
  'at-once': 'every start within seconds (for comparison)',
};

const KIND_NAMES: Record<StartKind, string> = {
  'in-sync': 'in sync when it stopped',
  'static-changed': 'a static fact changed while off',
  pending: 'values left unsent',
  'first-start': 'first start',
};

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** "2.2 s", "58 s", "7.6 min". */
export function spanText(ms: number): string {
  if (Number.isNaN(ms)) return '—';
  if (ms < 10_000) return `${fmt(ms / 1000, 1)} s`;
  if (ms < 120_000) return `${fmt(ms / 1000)} s`;
  return `${fmt(ms / 60_000, 1)} min`;
}

function spread(s: FirstSyncSpread): string {
  return s.agents === 0 ? '—' : `${spanText(s.medianMs)} / ${spanText(s.maxMs)}`;
}

export function renderStormReport(storm: LoginStorm): string {
  const o = storm.options;
  const pct = (kind: StartKind) => `${fmt((storm.kinds[kind] / o.agents) * 100, 1)} % ${KIND_NAMES[kind]}`;
  const lines = [
    `Login storm: ${fmt(o.agents)} agents start within ${o.windowMinutes} min, off for ${o.offHours} h before, seed ${o.seed}, interval ${o.intervalMinutes} min, mix "${o.mix}":`,
    `  ${START_KINDS.map(pct).join(', ')}.`,
    'Every first cycle after a start asks check_license, then sends what differs (after hours off, the metrics have nearly always moved).',
    '',
    `Requests per minute, the first ${STORM_SHOWN_MINUTES} minutes:`,
    `  minute ${storm.results.map((r) => r.schedule.padStart(9)).join('')}`,
  ];
  for (let m = 0; m < STORM_SHOWN_MINUTES; m++) {
    lines.push(`  ${clockLabel(m).padStart(6)} ${storm.results.map((r) => fmt(r.figures.perMinute[m] ?? 0).padStart(9)).join('')}`);
  }
  lines.push('', 'Busiest minute of the hour:');
  for (const r of storm.results) {
    const f = r.figures;
    lines.push(`  ${r.schedule.padEnd(8)} ${fmt(f.busiest.requests).padStart(7)} requests at ${clockLabel(f.busiest.minute)} (${fmt(f.busiest.requests / 60, 1)}/s)   — ${RULE_NAMES[r.schedule]}`);
  }
  if (storm.ratio !== undefined) {
    const verdict = storm.judged ? (storm.goalMet ? 'OK' : 'FAIL') : `not judged (the goal is set for the "ordinary" mix)`;
    lines.push(`Goal: busiest minute ≤ ${STORM_GOAL} × that of "before" = ${fmt(storm.ratio, 2)} × ${verdict}`);
  } else {
    lines.push('Goal: not judged (needs both the agent\'s rule and "before"; the engine mode runs the agent\'s rule only).');
  }
  lines.push('', 'From start to first sync (its check_license), median / max:');
  lines.push(`  ${''.padEnd(34)}${storm.results.map((r) => r.schedule.padStart(22)).join('')}`);
  for (const kind of START_KINDS) {
    if (storm.kinds[kind] === 0) continue;
    lines.push(`  ${KIND_NAMES[kind].padEnd(34)}${storm.results.map((r) => spread(r.figures.firstSync[kind]).padStart(22)).join('')}`);
  }
  return `${lines.join('\n')}\n`;
}
