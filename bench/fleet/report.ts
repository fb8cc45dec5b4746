// The fleet figures as text: a per-5-minute histogram around the outage, a
// day-long sparkline, and the targets with their definitions.
import type { FleetFigures } from './figures.ts';
import { HERD_WINDOW_MINUTES } from './figures.ts';
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
  const first = Math.max(0, Math.floor((f.outage.startMinute - 30) / BUCKET_MINUTES) * BUCKET_MINUTES);
  const last = Math.min(out.length, f.outage.endMinute + 60);
  let scale = 1;
  for (let m = first; m < last; m += BUCKET_MINUTES) scale = Math.max(scale, mean(out, m, Math.min(last, m + BUCKET_MINUTES)), mean(base, m, Math.min(last, m + BUCKET_MINUTES)));
  const lines = [
    `Requests per minute around the outage, per ${BUCKET_MINUTES}-minute bucket (mean; peak minute in brackets):`,
    `  from    outage run                                                   no outage`,
  ];
  for (let m = first; m < last; m += BUCKET_MINUTES) {
    const to = Math.min(last, m + BUCKET_MINUTES);
    const down = m < f.outage.endMinute && to > f.outage.startMinute ? ' down' : '';
    const o = mean(out, m, to);
    lines.push(`  ${clockLabel(m).padStart(5)} ${fmt(o).padStart(6)} [${fmt(peak(out, m, to)).padStart(6)}] ${bar(o, scale).padEnd(BAR_WIDTH)}${down.padEnd(6)}${fmt(mean(base, m, to)).padStart(6)} [${fmt(peak(base, m, to)).padStart(6)}]`);
  }
  return lines;
}

function daySparklines(outageRun: FleetRun, baselineRun: FleetRun): string[] {
  const minutes = outageRun.counts.requests.length;
  const step = minutes > 1440 * 2 ? 60 : 15;
  const series = (counts: Uint32Array) => {
    const values: number[] = [];
    for (let m = 0; m < minutes; m += step) values.push(mean(counts, m, Math.min(minutes, m + step)));
    return values;
  };
  const o = series(outageRun.counts.requests);
  const b = series(baselineRun.counts.requests);
  const top = Math.max(...o, ...b, 1);
  return [
    `Whole run, mean requests/min per ${step} min (█ = ${fmt(top)}):`,
    `  outage run  ${sparkline(o, top)}`,
    `  no outage   ${sparkline(b, top)}`,
  ];
}

export function renderReport(f: FleetFigures, outageRun: FleetRun, baselineRun: FleetRun): string {
  const o = outageRun.options;
  const mode = o.mode === 'engine'
    ? 'real sync engines (app/sync/engine.ts) on a virtual clock'
    : 'replica of the engine cycle from its pure core (app/sync/schedule.ts + diff.ts), proven request-for-request equal to the real engine in test/fleet';
  const reply = o.downReply === 'refused' ? 'connection refused' : `503${o.retryAfterS === undefined ? '' : ` with Retry-After: ${o.retryAfterS}`}`;
  const herdEnd = f.outage.endMinute + HERD_WINDOW_MINUTES;
  const verdict = (ok: boolean) => (ok ? 'OK' : 'FAIL');
  const [herd, total, perDay] = f.targets;
  const lines = [
    `Fleet simulation: ${fmt(f.agents)} idle agents × ${f.days} day(s), seed ${o.seed}, interval ${o.intervalMs / 60_000} min`,
    `Agents: ${mode}.`,
    `Server: in-process counter with the sandbox's reply rules; down ${clockLabel(f.outage.startMinute)}–${clockLabel(f.outage.endMinute)} (${reply}). Baseline: the same seed, no outage.`,
    `Ran in ${fmt(outageRun.elapsedMs / 1000, 1)} s + ${fmt(baselineRun.elapsedMs / 1000, 1)} s (${fmt(outageRun.cycles + baselineRun.cycles)} sync cycles).`,
    '',
    ...histogram(f, outageRun, baselineRun),
    '',
    ...daySparklines(outageRun, baselineRun),
    '',
    `Steady rate = mean requests/min of the no-outage run from ${clockLabel(Math.ceil(o.intervalMs / 60_000))} (all agents started) to the end: ${fmt(f.steadyPerMinute, 1)}`,
    `Herd factor = busiest minute of ${clockLabel(f.outage.endMinute)}–${clockLabel(herdEnd)} (the ${HERD_WINDOW_MINUTES} min after the outage) in the outage run / steady rate`,
    `  = ${fmt(Math.max(...f.herd.perMinute))} / ${fmt(f.steadyPerMinute, 1)} = ${fmt(f.herd.factor, 2)}   (target ≤ ${herd?.limit}) ${verdict(herd?.ok ?? false)}`,
    `  minutes: ${f.herd.perMinute.map((v) => fmt(v)).join(' ')}; the same minutes without an outage: ${f.herd.baselinePerMinute.map((v) => fmt(v)).join(' ')} (factor ${fmt(f.herd.baselineFactor, 2)}: sampling noise alone)`,
    `Total requests: ${fmt(f.totals.outage)} with the outage vs ${fmt(f.totals.baseline)} without = ${fmt(f.totals.ratio, 3)}×   (target ≤ ${total?.limit}) ${verdict(total?.ok ?? false)}`,
    `  of which ${fmt(f.failed)} met the server down`,
    `Requests per device per day: ${fmt(f.perDevicePerDay.baseline, 1)} without the outage, ${fmt(f.perDevicePerDay.outage, 1)} with it; busiest device ${fmt(f.perDevicePerDay.busiestDevice, 1)}   (target ≤ ${perDay?.limit}) ${verdict(perDay?.ok ?? false)}`,
    `  ${fmt(f.sendShare * 100)} % of sync cycles had a changed value to send (real quantiser + diff on the idle-device signals)`,
    '',
    f.targets.every((t) => t.ok) ? 'All targets met.' : `Targets missed: ${f.targets.filter((t) => !t.ok).map((t) => t.name).join(', ')}.`,
  ];
  return `${lines.join('\n')}\n`;
}
