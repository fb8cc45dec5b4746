// The fleet figures as text: a per-5-minute histogram around the outage, a
// day-long sparkline, and the targets with their definitions.
import type { FleetFigures } from './figures.ts';
import { HERD_WINDOW_MINUTES } from './figures.ts';
import { JUDGED_SCHEDULE, verdictOf } from './outage-comparison.ts';
import type { OutageComparison, ScheduleResult } from './outage-comparison.ts';
import type { FleetRun } from './simulate.ts';

const BUCKET_MINUTES = 5;
const BAR_WIDTH = 40;
const SPARKS = '▁▂▃▄▅▆▇█';

/** Minutes from the start as "HH:MM" ("d2 HH:MM" from the second day). */
export function clockLabel(minute: number): string {
  const day = Math.floor(minute / 1440);
  const inDay = minute - day * 1440;
  const hhmm = `${String(Math.floor(inDay / 60)).padStart(2, '0')}:${String(inDay % 60).padStart(2, '0')}`;
  return day === 0 ? hhmm : `d${day + 1} ${hhmm}`;
}

function mean(values: ArrayLike<number>, from: number, to: number): number {
  let total = 0;
  for (let i = from; i < to; i++) total += values[i]!;
  return to > from ? total / (to - from) : 0;
}

function peak(values: ArrayLike<number>, from: number, to: number): number {
  let best = 0;
  for (let i = from; i < to; i++) best = Math.max(best, values[i]!);
  return best;
}

function bar(value: number, scale: number): string {
  const cells = Math.round((value / scale) * BAR_WIDTH * 8);
  return '█'.repeat(Math.floor(cells / 8)) + (cells % 8 === 0 ? '' : '▏▎▍▌▋▊▉'[(cells % 8) - 1] ?? '');
}

export function sparkline(values: readonly number[], top: number): string {
  return values.map((v) => SPARKS[Math.min(SPARKS.length - 1, Math.max(0, Math.round((v / top) * (SPARKS.length - 1))))]).join('');
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function histogram(f: FleetFigures, outageRun: FleetRun, baselineRun: FleetRun): string[] {
  const out = outageRun.counts.requests;
  const base = baselineRun.counts.requests;
  const first = Math.max(0, Math.floor((f.outage.startMinute - 20) / BUCKET_MINUTES) * BUCKET_MINUTES);
  const last = Math.min(out.length, f.outage.endMinute + 50);
  let scale = 1;
  for (let m = first; m < last; m += BUCKET_MINUTES) scale = Math.max(scale, mean(out, m, Math.min(last, m + BUCKET_MINUTES)));
  const lines = [`  from   with the outage: req/min [peak minute]                        no outage`];
  for (let m = first; m < last; m += BUCKET_MINUTES) {
    const to = Math.min(last, m + BUCKET_MINUTES);
    const down = m < f.outage.endMinute && to > f.outage.startMinute ? 'down' : '';
    const o = mean(out, m, to);
    lines.push(`  ${clockLabel(m).padStart(5)} ${fmt(o).padStart(6)} [${fmt(peak(out, m, to)).padStart(6)}] ${bar(o, scale).padEnd(BAR_WIDTH)} ${down.padEnd(5)}${fmt(mean(base, m, to)).padStart(6)} [${fmt(peak(base, m, to)).padStart(6)}]`);
  }
  return lines;
}

function daySparkline(label: string, counts: Uint32Array, top: number): string {
  const minutes = counts.length;
  const step = minutes > 1440 * 2 ? 60 : 15;
  const values: number[] = [];
  for (let m = 0; m < minutes; m += step) values.push(mean(counts, m, Math.min(minutes, m + step)));
  return `  ${label.padEnd(28)} ${sparkline(values, top)}`;
}

const SCHEDULE_NAMES = {
  current: 'the agent\'s schedule (app/sync/schedule.ts as committed): retries wait one interval or more',
  'fast-retry': 'the fast-retry baseline it replaced (bench/fleet/fast-retry-schedule.ts): full jitter from 30 s — for comparison, not judged',
} as const;

function figuresBlock(r: ScheduleResult, intervalMs: number): string[] {
  const f = r.figures;
  const herdEnd = f.outage.endMinute + HERD_WINDOW_MINUTES;
  const judged = r.schedule === JUDGED_SCHEDULE;
  const verdict = (ok: boolean | undefined) => (judged ? (ok === true ? 'OK' : 'FAIL') : (ok === true ? 'met' : 'missed'));
  const [herd, total, perDay] = f.targets;
  return [
    `Steady rate = mean requests/min of the no-outage run from ${clockLabel(Math.ceil(intervalMs / 60_000))} (every agent started) to the end: ${fmt(f.steadyPerMinute, 1)}`,
    `Herd factor (raw) = busiest minute of ${clockLabel(f.outage.endMinute)}–${clockLabel(herdEnd)} (the ${HERD_WINDOW_MINUTES} min after the outage) / steady rate`,
    `  = ${fmt(Math.max(...f.herd.perMinute))} / ${fmt(f.steadyPerMinute, 1)} = ${fmt(f.herd.factor, 2)}`,
    `  minutes ${f.herd.perMinute.map((v) => fmt(v)).join(' ')}; without the outage ${f.herd.baselinePerMinute.map((v) => fmt(v)).join(' ')} (${fmt(f.herd.baselineFactor, 2)}: sampling noise alone)`,
    `Herd factor (paired, judged) = 1 + the largest excess of a minute over the same minute without the outage / steady rate`,
    `  = ${fmt(f.herd.pairedFactor, 2)}   (target ≤ ${herd?.limit}) ${verdict(herd?.ok)}`,
    `  busiest minute of the hour after the outage: ${fmt(f.herd.hourPeak.factor, 2)} × steady, ${f.herd.hourPeak.minute} min after it ended`,
    `Total requests: ${fmt(f.totals.outage)} with the outage vs ${fmt(f.totals.baseline)} without = ${fmt(f.totals.ratio, 3)}×   (target ≤ ${total?.limit}) ${verdict(total?.ok)}`,
    `  ${fmt(f.failed)} of them met the server down`,
    `Requests per device per day: ${fmt(f.perDevicePerDay.baseline, 1)} without the outage, ${fmt(f.perDevicePerDay.outage, 1)} with it, busiest device ${fmt(f.perDevicePerDay.busiestDevice, 1)}   (target ≤ ${perDay?.limit}) ${verdict(perDay?.ok)}`,
    `${judged ? '' : 'Not judged (baseline). '}${f.targets.every((t) => t.ok) ? 'All targets met.' : `Missed: ${f.targets.filter((t) => !t.ok).map((t) => t.name).join(', ')}.`}`,
  ];
}

export function renderReport(c: OutageComparison): string {
  const first = c.results[0];
  if (first === undefined) throw new Error('no schedule was simulated');
  const o = first.outageRun.options;
  const f0 = first.figures;
  const mode = o.mode === 'engine'
    ? 'real sync engines (app/sync/engine.ts) on a virtual clock'
    : 'replicas of the engine cycle built from its pure core (schedule.ts startFacts/firstCycle/nextAfter, diff.ts planSend/acknowledge), request-for-request equal to real engines (test/fleet)';
  const reply = o.downReply === 'refused' ? 'connection refused' : `503${o.retryAfterS === undefined ? '' : ` with Retry-After: ${o.retryAfterS}`}`;
  const runs = [c.baselineRun, ...c.results.map((r) => r.outageRun)];
  const top = Math.max(1, ...runs.flatMap((run) => {
    const values: number[] = [];
    for (let m = 0; m < run.counts.requests.length; m += 15) values.push(mean(run.counts.requests, m, Math.min(run.counts.requests.length, m + 15)));
    return values;
  }));
  const lines = [
    `Fleet simulation: ${fmt(f0.agents)} idle agents × ${f0.days} day(s), seed ${o.seed}, interval ${o.intervalMs / 60_000} min; all in sync, restarted together at 00:00`,
    `Agents: ${mode}.`,
    `Devices: idle workstations; metrics are smooth noise through the real quantiser; ${fmt(f0.sendShare * 100)} % of cycles have a change to send.`,
    `Server: in-process counter with the sandbox's reply rules; down ${clockLabel(f0.outage.startMinute)}–${clockLabel(f0.outage.endMinute)} (${reply}). Baseline: the same seed without the outage.`,
    `Ran in ${runs.map((run) => `${fmt(run.elapsedMs / 1000, 1)} s`).join(' + ')} (${fmt(runs.reduce((n, run) => n + run.cycles, 0))} sync cycles).`,
    '',
    `Whole run, mean requests/min per 15 min (█ = ${fmt(top)}):`,
    daySparkline('no outage', c.baselineRun.counts.requests, top),
    ...c.results.map((r) => daySparkline(`outage, ${r.schedule} schedule`, r.outageRun.counts.requests, top)),
  ];
  for (const r of c.results) {
    lines.push('', `── With ${SCHEDULE_NAMES[r.schedule]}`, `Requests per minute around the outage, per ${BUCKET_MINUTES}-minute bucket:`);
    lines.push(...histogram(r.figures, r.outageRun, c.baselineRun), '', ...figuresBlock(r, o.intervalMs));
  }
  const verdict = verdictOf(c);
  lines.push('', verdict.judged === undefined
    ? `Verdict: none (targets are judged on the ${JUDGED_SCHEDULE} schedule, which was not simulated).`
    : `Verdict on the agent's schedule: ${verdict.exitCode === 0 ? 'every target met (exit 0)' : 'a target missed (exit 1)'}.`);
  return `${lines.join('\n')}\n`;
}
