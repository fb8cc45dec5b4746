// The memory floors and where memory goes, measured in the same run as the agent:
// - idle `node`;
// - node + systeminformation + axios: issue 6's reference point, the floor issue 18 judges by;
// - node + what the agent must load: every module the shipped CLI bundle loads at
//   start (built-ins and packages, read from the build's metafile), imported and left
//   idle — the tighter floor, since the agent no longer loads axios at all;
// - marginal costs: that must-load floor plus ONE thing the agent used to load at run
//   time (axios, conf, ajv compiling the schema, …), so each line is what leaving it
//   out saves. RSS and private memory (USS, smaps_rollup) from /proc, and the child's
//   own process.memoryUsage() (V8 heap used and external memory).
// Every process runs side by side with the others and is read after the same settle time.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { systeminformationPath } from '../app/collect/collectors/si-worker.ts';
import { procMemory } from './lib/proc-stats.ts';
import type { ProcMemory } from './lib/proc-stats.ts';

export interface FloorReading extends ProcMemory {
  name: string;
  /** process.memoryUsage() of the measured process itself, MiB. */
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
}

const usageSchema = z.object({ heapUsed: z.number(), heapTotal: z.number(), external: z.number() });

const TRACK_SCHEMA = fileURLToPath(new URL('../app/licenseapi/schemas/track-device-variables.request.schema.json', import.meta.url));

/** What the agent loaded at run time before issue 18, each measured on top of the must-load floor. */
export function formerLoads(): Array<{ name: string; code: string }> {
  const si = JSON.stringify(systeminformationPath());
  const workerSource = `const p = ${si}; const si = process.getBuiltinModule('node:module').createRequire(p)(p);
    Promise.all([si.osInfo(), si.system(), Intl.DateTimeFormat().resolvedOptions()]).then(() => process.exit(0));`;
  const oldStaticWorker = `const { Worker } = await import('node:worker_threads');
    await new Promise((resolve) => new Worker(${JSON.stringify(workerSource)}, { eval: true }).once('exit', resolve));`;
  return [
    { name: 'axios (form-data + mime-db, http2; its fetch adapter starts undici at import)', code: "await import('axios');" },
    { name: 'conf (state file; brings ajv, ajv-formats, atomically, semver …)', code: "await import('conf');" },
    { name: 'ajv compiling the seed\'s track schema at start', code: `const { Ajv2020 } = await import('ajv/dist/2020.js'); const { readFileSync } = await import('node:fs'); new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: true }).compile(JSON.parse(readFileSync(${JSON.stringify(TRACK_SCHEMA)}, 'utf8')));` },
    { name: 'https-proxy-agent (debug, agent-base; needed only with a proxy)', code: "await import('https-proxy-agent');" },
    { name: 'node-machine-id (needed only off Linux)', code: "await import('node-machine-id');" },
    { name: "import 'node:http' as an ES module (its WebSocket getters load undici)", code: "await import('node:http');" },
    { name: 'static worker thread with systeminformation + Intl, ended', code: oldStaticWorker },
  ];
}

/** Runs `code` (an ES module body) in a fresh node, waits `settleMs` after it finished, and reads its memory. */
async function residentOf(name: string, code: string, settleMs: number): Promise<FloorReading> {
  const script = `${code}
    await new Promise((resolve) => setTimeout(resolve, ${settleMs}));
    const u = process.memoryUsage();
    console.log(JSON.stringify({ heapUsed: u.heapUsed, heapTotal: u.heapTotal, external: u.external }));
    setTimeout(() => {}, 120_000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'], cwd: fileURLToPath(new URL('..', import.meta.url)) });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => { stderr = (stderr + text).slice(-1000); });
  const exited = once(child, 'exit');
  try {
    const lines = createInterface({ input: child.stdout });
    const first = await Promise.race([
      once(lines, 'line').then(([line]) => line as string),
      exited.then(() => { throw new Error(`memory floor "${name}": the process exited early: ${stderr.trim()}`); }),
    ]);
    const usage = usageSchema.parse(JSON.parse(first));
    const memory = procMemory(child.pid!);
    if (memory === undefined) throw new Error(`memory floor "${name}": the process exited early`);
    const mb = (bytes: number) => bytes / 1024 / 1024;
    return { name, ...memory, heapUsedMb: mb(usage.heapUsed), heapTotalMb: mb(usage.heapTotal), externalMb: mb(usage.external) };
  } finally {
    child.kill();
    await exited;
  }
}

const importAll = (modules: readonly string[]) => modules.map((m) => `await import(${JSON.stringify(m)});`).join(' ');

export interface MemoryFloors {
  idle: FloorReading;
  /** node + systeminformation + axios (issue 6's reference; issue 18 is judged against it). */
  withDeps: FloorReading;
  /** node + every module the shipped bundle imports statically. */
  mustLoad: FloorReading;
  mustLoadModules: string[];
  /** mustLoad + one former load each. */
  marginal: FloorReading[];
}

/** `mustLoadModules`: the static imports of the shipped bundle (tools/build-cli.ts reports them). */
export async function measureMemoryFloor(mustLoadModules: readonly string[], settleMs = 1500): Promise<MemoryFloors> {
  const floor = importAll(mustLoadModules);
  const [idle, withDeps, mustLoad, ...marginal] = await Promise.all([
    residentOf('node', '', settleMs),
    residentOf('node + systeminformation + axios', "await import('systeminformation'); await import('axios');", settleMs),
    residentOf('node + what the agent must load', floor, settleMs),
    ...formerLoads().map((extra) => residentOf(extra.name, `${floor} ${extra.code}`, settleMs)),
  ]);
  return { idle: idle!, withDeps: withDeps!, mustLoad: mustLoad!, mustLoadModules: [...mustLoadModules], marginal };
}
