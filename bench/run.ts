// npm run bench [-- --quick] [-- --json]: every figure of issue 6 §1 with its
// baseline measured in the same run, and whether each §2 budget holds.
// Linux only (it reads /proc). Full run ~5 min on 2 cores; --quick ~1 min.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { npmFlagAdvice, swallowedByNpm } from './lib/npm-flags.ts';
import { z } from 'zod';
import { createCollector } from '../app/collect/collector.ts';
import { AGENT_VERSION } from '../app/version.ts';
import { checkBudgets, idleDevicePerDay, DAY_MS, DEFAULT_INTERVAL_MS } from './budgets.ts';
import { measureChangeRates } from './change-rate.ts';
import { BIN, buildCliBundle } from './cli-bundle.ts';
import { measureContenders } from './collection-bench.ts';
import type { CollectionFigures } from './collection-bench.ts';
import { collectFloorDynamic, collectFloorStatic } from './floor-collector.ts';
import { measureHeadless } from './headless-agent.ts';
import { startSandboxProcess } from './lib/sandbox-process.ts';
import type { SandboxProcess } from './lib/sandbox-process.ts';
import { fmt, ratio, textTable } from './lib/text-table.ts';
import { measureMemoryFloor } from './memory-floor.ts';
import { measureRendererLoad } from './renderer-load.ts';
import { measureStateWrites } from './state-writes.ts';
import { measureVariableSources, variableSourcesTable } from './variable-sources.ts';
import { collectSiAll, collectSiDynamic, collectSiStatic } from './si-collectors.ts';

const soakSchema = z.object({
  cycles: z.number(), failures: z.number(), staticCollections: z.number(), stateWrites: z.number(),
  firstCycle: z.object({ ok: z.boolean(), sent: z.number(), cpuMs: z.number(), wallMs: z.number(), up: z.number(), down: z.number(), eventLoopDelayMaxMs: z.number() }),
  sendCycles: z.number(), sendCpuMs: z.number(), sendWallMs: z.number(), idleCycles: z.number(), idleCpuMs: z.number(),
  requestBytesUp: z.number(), requestBytesDown: z.number(), requests: z.number(), connections: z.number(),
  heapAt100Mb: z.number(), heapAtHalfMb: z.number(), heapAtEndMb: z.number(), rssAt100Mb: z.number(), rssAtEndMb: z.number(), anonAt100Mb: z.number(), anonAtEndMb: z.number(),
  eventLoopDelayP99Ms: z.number(), eventLoopDelayMaxMs: z.number(), idleEventLoopDelayP99Ms: z.number(), idleEventLoopDelayMaxMs: z.number(),
});
type Soak = z.infer<typeof soakSchema>;

const { values: flags } = parseArgs({ options: { quick: { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } } });
// `npm run bench --quick` (no `--`) arrives as npm_config_quick: honour it rather than run the 4-minute bench.
const swallowed = swallowedByNpm(['quick', 'json']);
if (swallowed.length > 0) {
  console.error(`bench: ${npmFlagAdvice('bench', swallowed)}. Running as if it had been written so.`);
  for (const name of swallowed) flags[name as 'quick' | 'json'] = true;
}
if (flags.help) {
  console.log('Usage: npm run bench [-- --quick] [-- --json]\n  --quick  fewer cycles, 30 s headless run (~1 min in all)\n  --json   also print all figures as one JSON object');
  process.exit(0);
}
if (process.platform !== 'linux') {
  console.error('bench: Linux only (it reads /proc for CPU, children and memory)');
  process.exit(2);
}
const quick = flags.quick === true;
const plan = quick
  ? { rounds: 2, staticRounds: 1, soakCycles: 300, headlessSeconds: 30 }
  // 240 s: V8 gives back the young generation that start-up grew ~2 min after start
  // (its memory reducer), so the second half of the run is the state the agent lives in.
  : { rounds: 5, staticRounds: 3, soakCycles: 1000, headlessSeconds: 240 };
const log = (text: string) => process.stderr.write(`bench: ${text}\n`);
const started = Date.now();

function machine(): Record<string, string> {
  const model = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? '?';
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  return { cpus: String(cpus().length), model, ramGb: (totalmem() / 1e9).toFixed(1), kernel: release(), node: process.version, loadAtStart: load };
}

async function runSoak(sandbox: SandboxProcess, cycles: number, store: 'state-file' | 'memory-store' = 'state-file'): Promise<Soak> {
  const child = spawn(process.execPath, ['--expose-gc', fileURLToPath(new URL('./agent-soak.ts', import.meta.url)), String(cycles), store], {
    env: { ...process.env, BENCH_SANDBOX: JSON.stringify(sandbox.settings) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => { out += t; });
  child.stderr.setEncoding('utf8').on('data', (t: string) => { err = (err + t).slice(-2000); });
  const [code] = await once(child, 'exit') as [number | null];
  if (code !== 0) throw new Error(`agent soak failed (exit ${code}): ${err.trim()}`);
  return soakSchema.parse(JSON.parse(out.trim().split('\n').at(-1)!));
}

const collector = createCollector({ pii: { hostname: false, username: false, ip: false, mac: false }, agentVersion: AGENT_VERSION });

log(`dynamic collection: floor / agent / systeminformation / getAllData, ${plan.rounds} rounds`);
const dynamic = await measureContenders([
  { name: 'floor (os.*, /proc, statfs)', run: collectFloorDynamic, perRound: 100 },
  { name: 'agent collectDynamic()', run: () => collector.collectDynamic(), perRound: 100 },
  { name: 'systeminformation dynamic calls', run: collectSiDynamic, perRound: 10 },
  { name: 'si.getAllData()', run: collectSiAll, perRound: 1, warmup: 1 },
], plan.rounds);

log(`static collection, ${plan.staticRounds} rounds`);
const staticFigures = await measureContenders([
  { name: 'floor (os.*, statfs, Intl)', run: collectFloorStatic, perRound: 20, warmup: 1 },
  { name: 'agent collectStatic() (helper process)', run: () => collector.collectStatic(), perRound: 1, warmup: 1 },
  { name: 'systeminformation static calls', run: collectSiStatic, perRound: 1, warmup: 1 },
], plan.staticRounds);

log('variable sources (variables.d, env, file, command)');
const sources = await measureVariableSources(quick);

log('sandbox process, cli bundle, memory floor');
const sandbox = await startSandboxProcess();
let soak: Soak;
let soakMemoryStore: Soak;
let headless: Awaited<ReturnType<typeof measureHeadless>>;
let changes: Awaited<ReturnType<typeof measureChangeRates>>;
let memoryFloor: Awaited<ReturnType<typeof measureMemoryFloor>>;
try {
  const { bundle, startImports } = await buildCliBundle();
  memoryFloor = await measureMemoryFloor(startImports);
  log(`agent in-process: ${plan.soakCycles} accelerated cycles (--expose-gc)`);
  soak = await runSoak(sandbox, plan.soakCycles);
  soakMemoryStore = await runSoak(sandbox, 300, 'memory-store');
  log(`headless CLI \`run\` at a 10 s interval for ${plan.headlessSeconds} s (3 variants side by side) + change rates`);
  [headless, changes] = await Promise.all([
    measureHeadless([
      { name: 'device-agent run (as shipped: bin → dist/cli bundle)', args: [BIN], heapSnapshot: true },
      { name: 'node cli/main.ts run (sources, type stripping)', args: [fileURLToPath(new URL('../cli/main.ts', import.meta.url))] },
      { name: 'bundle + --max-semi-space-size=1', args: ['--max-semi-space-size=1', bundle] },
    ], sandbox.settings, plan.headlessSeconds),
    measureChangeRates(collector, 10_000, plan.headlessSeconds * 1000),
  ]);
} finally {
  await sandbox.close();
}
const stateWrites = await measureStateWrites(50);
log('renderer in Chromium');
const renderer = await measureRendererLoad().catch((error: unknown) => ({ skipped: (error as Error).message.split('\n')[0]! }));

// ---------------------------------------------------------------- tables
const collectionRows = (rows: CollectionFigures[], baseline: CollectionFigures, perDay?: (r: CollectionFigures) => string) => rows.map((r) => [
  r.name, fmt(r.ownCpuMs), fmt(r.childrenCpuMs), fmt(r.totalCpuMs), ratio(r.totalCpuMs, baseline.totalCpuMs), fmt(r.spawnedPerCycle, 1), fmt(r.wallMs), fmt(r.maxWallMs, 1), ...(perDay ? [perDay(r)] : []),
]);
const [floorDyn, agentDyn] = [dynamic[0]!, dynamic[1]!];
const cyclesPerDay = DAY_MS / DEFAULT_INTERVAL_MS;
const shipped = headless[0]!;
const bytesPerRequest = soak.requestBytesUp + soak.requestBytesDown;
const measuredDay = idleDevicePerDay(shipped.sendFraction, bytesPerRequest);
const worstDay = idleDevicePerDay(1, bytesPerRequest);
const fullRefreshBytes = soak.firstCycle.up + soak.firstCycle.down;

const out: string[] = [];
const m = machine();
out.push(`Device Agent ${AGENT_VERSION} · ${m.cpus} × ${m.model} · ${m.ramGb} GB RAM · Linux ${m.kernel} · Node ${m.node} · load at start ${m.loadAtStart}${quick ? ' · --quick' : ''}`);
out.push('', `Dynamic collection cycle (per cycle; CPU ms; ratio = total CPU vs the floor; ${floorDyn.cycles}/${agentDyn.cycles}/${dynamic[2]!.cycles}/${dynamic[3]!.cycles} cycles)`);
out.push(textTable(['design', 'own CPU', 'children CPU', 'total CPU', 'ratio', 'procs', 'wall', 'max wall'], collectionRows(dynamic, floorDyn)));
out.push('', `Static collection (per collection; cost per day = CPU × collections per day: agent 1/day, anything run every cycle ${cyclesPerDay}/day)`);
out.push(textTable(['design', 'own CPU', 'children CPU', 'total CPU', 'ratio', 'procs*', 'wall', 'max wall', 'CPU ms/day'],
  collectionRows(staticFigures, staticFigures[0]!, (r) => fmt(r.totalCpuMs * (r === staticFigures[1] ? 1 : cyclesPerDay), 0))));
out.push('* processes started by the main thread; the agent\'s systeminformation calls run in a short-lived node helper process, one per static collection (counted here, with its CPU; the commands systeminformation runs from there are not counted as spawns, their CPU is).');
out.push('', 'Variable sources per cycle (issue 15; median own CPU, children\'s CPU averaged; 10 drop-in files of 5 variables; the command source at a 1 h interval over a day of 15-min cycles, and one run when due)');
out.push(variableSourcesTable(sources));
out.push('Registry (Windows) and defaults (macOS) sources run reg.exe / defaults like a command source: one process per interval (default 1 h), none in between; on Linux they are off and cost nothing.');
out.push('', `One sync cycle against the sandbox process (agent in-process, ${soak.cycles} cycles; bytes counted at a loopback TCP proxy, HTTP without TLS)`);
out.push(textTable(['cycle', 'CPU ms', 'wall ms', 'bytes up', 'bytes down', 'total'], [
  ['first: static facts + activation with all variables', fmt(soak.firstCycle.cpuMs, 1), fmt(soak.firstCycle.wallMs, 1), String(soak.firstCycle.up), String(soak.firstCycle.down), String(fullRefreshBytes)],
  [`something changed: one track request (median of ${soak.sendCycles})`, fmt(soak.sendCpuMs), fmt(soak.sendWallMs), fmt(soak.requestBytesUp, 0), fmt(soak.requestBytesDown, 0), fmt(bytesPerRequest, 0)],
  [`nothing changed: no request (median of ${soak.idleCycles})`, fmt(soak.idleCpuMs), '', '0', '0', '0'],
  ['collection only (agent dynamic, above)', fmt(agentDyn.totalCpuMs), fmt(agentDyn.wallMs), '', '', ''],
]));
const { idle, withDeps, mustLoad } = memoryFloor;
const mb1 = (n: number) => fmt(n, 1);
const signed = (n: number) => `${n >= 0 ? '+' : ''}${fmt(n, 1)}`;
out.push('', `Headless agent: the CLI \`run\` as a child, 10 s interval (90× the default), ${plan.headlessSeconds} s; RSS and private memory (USS: Private_Clean + Private_Dirty of smaps_rollup) in MB, steady = median of the second half; floors measured in the same run (below)`);
out.push(textTable(['variant', 'cycles', 'sent', 'CPU ms/cycle', 'start CPU ms', 'RSS start', 'RSS steady', 'RSS max', 'private steady', 'PSS steady', 'vs si+axios floor', 'vs must-load floor'], headless.map((h) => [
  h.name, String(h.cycles), String(h.sendingCycles + 1), fmt(h.cpuPerCycleMs, 1), fmt(h.startCpuMs, 0), mb1(h.rssStartMb), mb1(h.rssSteadyMb), mb1(h.rssMaxMb), mb1(h.privateSteadyMb), mb1(h.pssSteadyMb),
  ratio(h.rssSteadyMb, withDeps.rssMb), `${ratio(h.rssSteadyMb, mustLoad.rssMb)} (${signed(h.rssSteadyMb - mustLoad.rssMb)} MB)`,
])));
out.push('', 'Memory floors and what each former run-time load costs (each a fresh node, read after the same settle time, side by side; MB; heap/external = its own process.memoryUsage())');
out.push(textTable(['process', 'RSS', 'private', 'heap used', 'external', 'RSS vs must-load', 'private vs must-load'], [
  [`${idle.name} (idle)`, mb1(idle.rssMb), mb1(idle.privateMb), mb1(idle.heapUsedMb), mb1(idle.externalMb), signed(idle.rssMb - mustLoad.rssMb), signed(idle.privateMb - mustLoad.privateMb)],
  [`${withDeps.name} (issue 18's judged floor)`, mb1(withDeps.rssMb), mb1(withDeps.privateMb), mb1(withDeps.heapUsedMb), mb1(withDeps.externalMb), signed(withDeps.rssMb - mustLoad.rssMb), signed(withDeps.privateMb - mustLoad.privateMb)],
  [`${mustLoad.name} (${memoryFloor.mustLoadModules.length} modules*)`, mb1(mustLoad.rssMb), mb1(mustLoad.privateMb), mb1(mustLoad.heapUsedMb), mb1(mustLoad.externalMb), '', ''],
  ...memoryFloor.marginal.map((m) => [`  + ${m.name}`, mb1(m.rssMb), mb1(m.privateMb), mb1(m.heapUsedMb), mb1(m.externalMb), signed(m.rssMb - mustLoad.rssMb), signed(m.privateMb - mustLoad.privateMb)]),
]));
out.push(`* what the shipped bundle imports at start (from the build's metafile): ${memoryFloor.mustLoadModules.join(', ')}`);
if (shipped.heap) {
  const h = shipped.heap;
  const parts = Object.entries(h.byTypeMb).filter(([, v]) => v >= 0.1).map(([type, v]) => `${type} ${fmt(v)}`).join(', ');
  out.push(`Heap of the shipped agent at the end of its run (V8 snapshot, self sizes): ${fmt(h.totalMb)} MB = ${parts}; of the strings, ${fmt(h.longStringsMb)} MB in ${h.longStrings} strings of 8 KB or more (module source text)`);
}
out.push('', `Agent in-process with --expose-gc, ${soak.cycles} accelerated cycles (every other one sends)`);
out.push(textTable(['figure', 'value', 'baseline (same process idle)'], [
  [`heap after gc at cycle 100 / ${Math.floor(soak.cycles / 2)} / ${soak.cycles} (MB)`, `${fmt(soak.heapAt100Mb)} / ${fmt(soak.heapAtHalfMb)} / ${fmt(soak.heapAtEndMb)}`, ''],
  ['RSS at cycle 100 / last (MB)', `${fmt(soak.rssAt100Mb, 1)} / ${fmt(soak.rssAtEndMb, 1)}`, ''],
  ['private memory at cycle 100 / last (MB)', `${fmt(soak.anonAt100Mb, 1)} / ${fmt(soak.anonAtEndMb, 1)}`, ''],
  ['event-loop delay p99 / max (ms)', `${fmt(soak.eventLoopDelayP99Ms)} / ${fmt(soak.eventLoopDelayMaxMs)}`, `${fmt(soak.idleEventLoopDelayP99Ms)} / ${fmt(soak.idleEventLoopDelayMaxMs)}`],
  ['event-loop delay max, first cycle (static helper + activation)', fmt(soak.firstCycle.eventLoopDelayMaxMs), ''],
  [`event-loop delay p99 / max, state kept in memory (attribution run, ${soakMemoryStore.cycles} cycles)`, `${fmt(soakMemoryStore.eventLoopDelayP99Ms)} / ${fmt(soakMemoryStore.eventLoopDelayMaxMs)}`, `${fmt(soakMemoryStore.idleEventLoopDelayP99Ms)} / ${fmt(soakMemoryStore.idleEventLoopDelayMaxMs)}`],
  [`one state save on the event loop (serialize; the write runs off it), median / p99 / max of ${stateWrites.count} (ms)`, `${fmt(stateWrites.medianMs)} / ${fmt(stateWrites.p99Ms)} / ${fmt(stateWrites.maxMs)}`, ''],
  ['that write until on disk (temp file, fsync, rename via fs.promises), median / p99 (ms)', `${fmt(stateWrites.writeMedianMs)} / ${fmt(stateWrites.writeP99Ms)}`, ''],
  ['static collections / failed cycles', `${soak.staticCollections} / ${soak.failures}`, ''],
  [`state.json writes over ${soak.cycles + 1} cycles (volatile-only changes kept back; ${soak.sendCycles + 1} cycles sent)`, String(soak.stateWrites), ''],
]));
const noisy = Object.entries(changes.byVariable).sort((a, b) => b[1] - a[1]).map(([n, r]) => `${n} ${(r * 100).toFixed(0)}%`).join(', ') || 'none';
out.push('', `Idle device per day at the default ${DEFAULT_INTERVAL_MS / 60_000}-min interval (${cyclesPerDay} cycles/day; HTTP bytes, TLS records not included)`);
out.push(textTable(['estimate', 'send fraction', 'requests/day', 'KB/day'], [
  ['measured: share of cycles that sent (shipped CLI, 10 s interval)', fmt(shipped.sendFraction), fmt(measuredDay.requests, 1), fmt(measuredDay.bytes / 1024, 1)],
  ['bound: every cycle sends one request', '1.00', fmt(worstDay.requests, 1), fmt(worstDay.bytes / 1024, 1)],
  ['(+ once a day: full refresh of every variable, as the first cycle above)', '', '', fmt(fullRefreshBytes / 1024, 1)],
]));
out.push(`Values that changed between 10 s samples (${changes.samples} intervals, ${fmt(changes.anyChanged * 100, 0)}% with any change): ${noisy}`);
out.push('', 'Desktop: the status window renderer in Chromium');
out.push('skipped' in renderer ? `skipped: ${renderer.skipped}` : textTable(['figure', 'value'], [
  ['DOMContentLoaded (ms)', fmt(renderer.domContentLoadedMs, 1)], ['load (ms)', fmt(renderer.loadMs, 1)], ['JS heap used after gc (MB)', fmt(renderer.jsHeapUsedMb)], ['page errors', String(renderer.pageErrors)],
]));

const budgets = checkBudgets({
  dynamic: { floorCpuMs: floorDyn.totalCpuMs, agentCpuMs: agentDyn.totalCpuMs, agentSpawnedPerCycle: agentDyn.spawnedPerCycle },
  staticCollections: { calls: soak.staticCollections, cycles: soak.cycles },
  headless: { rssSteadyMb: shipped.rssSteadyMb, floorWithDepsRssMb: memoryFloor.withDeps.rssMb },
  soak: { heapAt100Mb: soak.heapAt100Mb, heapAtHalfMb: soak.heapAtHalfMb, heapAtEndMb: soak.heapAtEndMb, eventLoopDelayMaxMs: soak.eventLoopDelayMaxMs, firstCycleEventLoopDelayMaxMs: soak.firstCycle.eventLoopDelayMaxMs },
  idleDay: { requests: worstDay.requests, bytes: worstDay.bytes + fullRefreshBytes },
});
out.push('', 'Budgets (issue 6 §2; idle-device budgets checked against the every-cycle bound + the daily full refresh)');
out.push(textTable(['budget', 'limit', 'measured', 'holds'], budgets.map((b) => [b.budget, b.limit, b.measured, b.holds ? 'yes' : 'NO'])));
out.push('', `bench took ${Math.round((Date.now() - started) / 1000)} s`);
console.log(out.join('\n'));
if (flags.json) console.log(JSON.stringify({ machine: m, quick, dynamic, static: staticFigures, sources, soak, soakMemoryStore, stateWrites, headless, memoryFloor, changes, renderer, idleDay: { measured: measuredDay, bound: worstDay, fullRefreshBytes }, budgets }));
