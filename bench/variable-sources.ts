// What each variable source costs a cycle (issue 15): the drop-in folders (unchanged,
// one file changed, absent), the managed file's env, file and command sources — a
// command at its interval, so not each cycle, and what one run costs when it is due.
// Baseline from the same run: the agent's own dynamic collection. Real files in a
// temporary folder, real processes; own CPU from process.cpuUsage, children's from
// /proc (reaped), processes from the spawn counter.
//
//   node bench/variable-sources.ts [--quick]     (npm run bench includes it)
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCollector } from '../app/collect/collector.ts';
import { createDropInReader, type DropInReader } from '../app/collect/drop-in.ts';
import { createManagedSources } from '../app/collect/managed-sources.ts';
import { startSpawnCounter } from '../test/support/spawn-counter.ts';
import { rawConfigSchema } from '../app/config/schema.ts';
import { AGENT_VERSION } from '../app/version.ts';
import { childrenCpuMs, ownCpuMs } from './lib/proc-stats.ts';
import { median } from './lib/stats.ts';
import { fmt, ratio, textTable } from './lib/text-table.ts';

export interface SourceFigures {
  name: string;
  cycles: number;
  /** Median own CPU per cycle, ms. */
  ownCpuMs: number;
  /** Children's CPU per cycle (reaped), ms. */
  childrenCpuMs: number;
  procsPerCycle: number;
  /** Files opened and parsed per cycle (drop-in). */
  readsPerCycle?: number;
  wallMs: number;
}

const FILES = 10;

function publish(dir: string, source: string, n: number): void {
  const temp = join(dir, `.${source}.json.tmp`);
  writeFileSync(temp, JSON.stringify({ variables: { app_version: `4.2.${n}`, edition: 'pro', modules: n % 7, licensed: true, last_used: '2026-05-01' } }), { mode: 0o644 });
  renameSync(temp, join(dir, `${source}.json`));
}

async function measure(name: string, cycles: number, cycle: (i: number) => Promise<unknown> | unknown, before?: (i: number) => void, reads?: () => number): Promise<SourceFigures> {
  const spawns = startSpawnCounter();
  try {
    for (let i = 0; i < 3; i++) {
      before?.(-1 - i);
      await cycle(-1 - i);
    }
    const own: number[] = [];
    const wall: number[] = [];
    const children0 = childrenCpuMs();
    const spawned0 = spawns.count();
    const reads0 = reads?.() ?? 0;
    for (let i = 0; i < cycles; i++) {
      before?.(i);
      const cpu = ownCpuMs();
      const t = performance.now();
      await cycle(i);
      wall.push(performance.now() - t);
      own.push(ownCpuMs() - cpu);
    }
    return {
      name, cycles, ownCpuMs: median(own), childrenCpuMs: (childrenCpuMs() - children0) / cycles, procsPerCycle: (spawns.count() - spawned0) / cycles,
      ...(reads ? { readsPerCycle: (reads() - reads0) / cycles } : {}), wallMs: median(wall),
    };
  } finally {
    spawns.stop();
  }
}

export async function measureVariableSources(quick: boolean): Promise<{ baseline: SourceFigures; rows: SourceFigures[] }> {
  const cycles = quick ? 200 : 1000;
  const root = mkdtempSync(join(tmpdir(), 'da-bench-sources-'));
  try {
    const machine = join(root, 'etc', 'variables.d');
    const user = join(root, 'state', 'variables.d');
    mkdirSync(machine, { recursive: true, mode: 0o755 });
    mkdirSync(user, { recursive: true, mode: 0o700 });
    for (let f = 0; f < FILES; f++) publish(f < FILES / 2 ? machine : user, `app${f}`, 0);
    const folders = [{ dir: machine, scope: 'machine' as const, allow: ['*'] }, { dir: user, scope: 'user' as const, allow: ['*'] }];
    const reader: DropInReader = createDropInReader({ folders });
    const absent = createDropInReader({ folders: [{ dir: join(root, 'nowhere'), scope: 'machine', allow: ['*'] }, { dir: join(root, 'nowhere-either'), scope: 'user', allow: ['*'] }] });
    const textFile = join(root, 'channel.txt');
    writeFileSync(textFile, 'stable\n');
    const specs = rawConfigSchema.parse({
      variableSources: {
        edition: { env: 'BENCH_EDITION' },
        channel: { file: textFile },
        echo: { command: ['/bin/echo', '4.2.1'], interval: '1h' },
      },
    }).variableSources;
    const env = { ...process.env, BENCH_EDITION: 'pro' };
    const only = (name: string) => ({ [name]: specs[name]! });
    const envSource = createManagedSources({ specs: only('edition'), allowCommands: false, env });
    const fileSource = createManagedSources({ specs: only('channel'), allowCommands: false });
    let now = Date.now();
    const commandAtInterval = createManagedSources({ specs: only('echo'), allowCommands: true, now: () => now });
    const collector = createCollector({ pii: { hostname: false, username: false, ip: false, mac: false }, agentVersion: AGENT_VERSION });

    const baseline = await measure('agent collectDynamic() (baseline)', cycles, () => collector.collectDynamic());
    const rows = [
      await measure('variables.d: both folders absent', cycles, () => absent.read()),
      await measure(`variables.d: ${FILES} files, unchanged`, cycles, () => reader.read(), undefined, () => reader.reads()),
      await measure(`variables.d: ${FILES} files, one rewritten every cycle`, cycles, () => reader.read(), (i) => publish(user, `app${FILES - 1}`, i + 10), () => reader.reads()),
      await measure('env source', cycles, () => envSource.read()),
      await measure('file source, unchanged', cycles, () => fileSource.read()),
      // A cycle every 15 min for a day (96 cycles), the command's interval 1 h: it runs 24 times, not 96.
      await measure('command source, interval 1 h, cycles 15 min apart (a day)', 96, () => commandAtInterval.read(), () => { now += 15 * 60_000; }),
      await measure('command source, one run when due (/bin/echo)', quick ? 20 : 50, () => commandAtInterval.read(), () => { now += 3_600_000; }),
    ];
    return { baseline, rows };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export function variableSourcesTable({ baseline, rows }: Awaited<ReturnType<typeof measureVariableSources>>): string {
  const base = baseline.ownCpuMs + baseline.childrenCpuMs;
  return textTable(['source', 'cycles', 'own CPU ms', 'children CPU ms', 'total vs agent dynamic', 'procs/cycle', 'file reads/cycle', 'wall ms'], [baseline, ...rows].map((r) => [
    r.name, String(r.cycles), fmt(r.ownCpuMs, 3), fmt(r.childrenCpuMs, 3), ratio(r.ownCpuMs + r.childrenCpuMs, base), fmt(r.procsPerCycle, 2), r.readsPerCycle === undefined ? '' : fmt(r.readsPerCycle, 2), fmt(r.wallMs, 3),
  ]));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await measureVariableSources(process.argv.includes('--quick'));
  console.log(variableSourcesTable(figures));
  console.log('registry (Windows) and defaults (macOS) sources run reg.exe / defaults like a command source: one process per interval (default 1 h), none in between; on Linux they are off and cost nothing.');
}
