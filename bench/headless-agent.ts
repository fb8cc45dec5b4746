// The headless agent as users run it: the real CLI (`device-agent run`) in its
// own process against the sandbox process, at the shortest interval the
// configuration accepts (10 s, 90x the default 15 min). Each second the bench
// reads the child's RSS (/proc/<pid>/status) and CPU (/proc/<pid>/stat); the
// child's stdout gives one line per cycle ("sent N" / "nothing to send").
// Variants run side by side so they see the same machine and the same time.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { summarizeHeapSnapshot } from './lib/heap-summary.ts';
import type { HeapSummary } from './lib/heap-summary.ts';
import { procCpu, procMemory } from './lib/proc-stats.ts';
import type { ProcMemory } from './lib/proc-stats.ts';
import type { SandboxSettings } from './lib/sandbox-process.ts';
import { median } from './lib/stats.ts';

export interface HeadlessVariant {
  name: string;
  /** Arguments to process.execPath before the command word (e.g. [cli.ts] or ['--max-semi-space-size=1', bundle.mjs]). */
  args: string[];
  /** Extra environment (e.g. MALLOC_ARENA_MAX). */
  env?: Record<string, string>;
  /**
   * Take a V8 heap snapshot once the samples are in (node's --heapsnapshot-signal, which
   * only installs a signal handler until then) and summarise it.
   */
  heapSnapshot?: boolean;
}

export interface HeadlessFigures {
  name: string;
  seconds: number;
  cycles: number;
  /** Cycles after the first that sent something. */
  sendingCycles: number;
  /** Share of cycles after the first that sent a request. */
  sendFraction: number;
  failedCycles: number;
  /** CPU from the end of the first cycle to the end, per cycle (timers and idle included; the agent and its reaped children), ms. */
  cpuPerCycleMs: number;
  /** CPU until the end of the first cycle (start-up, static facts with their helper process, activation), ms. */
  startCpuMs: number;
  rssStartMb: number;
  rssSteadyMb: number;
  rssMaxMb: number;
  /** Anonymous resident memory (RssAnon), steady. */
  anonSteadyMb: number;
  /** Private memory (USS: Private_Clean + Private_Dirty of smaps_rollup), steady. */
  privateSteadyMb: number;
  /** PSS, steady. */
  pssSteadyMb: number;
  /** The heap at the end of the run, when asked for. */
  heap?: HeapSummary;
}

/** Waits for the snapshot node writes into `dir` (Heap.<date>.<pid>…heapsnapshot) and summarises it once complete. */
async function heapSnapshotIn(dir: string, timeoutMs = 60_000): Promise<HeapSummary> {
  const started = Date.now();
  let last = -1;
  while (Date.now() - started < timeoutMs) {
    await sleep(500);
    const file = readdirSync(dir).find((name) => name.endsWith('.heapsnapshot'));
    if (file === undefined) continue;
    const size = statSync(join(dir, file)).size;
    // Complete once the size stopped changing and the JSON parses (a paused writer only looks done).
    if (size > 0 && size === last) {
      try {
        return summarizeHeapSnapshot(join(dir, file));
      } catch {
        // not complete yet
      }
    }
    last = size;
  }
  throw new Error('no complete heap snapshot was written');
}

/** The agent's CPU and that of its children once reaped (the static helper process), ms. */
function cpuOf(pid: number): number {
  const cpu = procCpu(pid);
  return cpu.ownMs + cpu.childrenMs;
}

const CYCLE_LINE = / · (?:synced|pending|syncing|attention|starting)\s* · (sent (\d+)|nothing to send|failed \(([^)]*)\))/;

export async function measureHeadless(variants: readonly HeadlessVariant[], sandbox: SandboxSettings, seconds: number): Promise<HeadlessFigures[]> {
  const dir = mkdtempSync(join(tmpdir(), 'device-agent-headless-'));
  const publicKey = join(dir, 'sandbox-public.pem');
  writeFileSync(publicKey, sandbox.publicKeyPem);
  try {
    return await Promise.all(variants.map(async (variant, index): Promise<HeadlessFigures> => {
      const stateDir = join(dir, `state-${index}`);
      const cwd = join(dir, `cwd-${index}`);
      mkdirSync(cwd);
      const snapshotArgs = variant.heapSnapshot ? ['--heapsnapshot-signal=SIGUSR2'] : [];
      const child = spawn(process.execPath, [...snapshotArgs, ...variant.args, 'run'], {
        cwd,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          PATH: process.env.PATH,
          DEVICE_AGENT_API_URL: sandbox.apiUrl,
          DEVICE_AGENT_API_KEY: sandbox.apiKey,
          DEVICE_AGENT_SHARED_KEY: sandbox.sharedKey,
          DEVICE_AGENT_PRODUCT: sandbox.product,
          DEVICE_AGENT_LICENSE_KEY: sandbox.licenseKey,
          DEVICE_AGENT_PUBLIC_KEY: publicKey,
          DEVICE_AGENT_AUTO_ACTIVATE: 'true',
          DEVICE_AGENT_INTERVAL: '10s',
          DEVICE_AGENT_STATE_DIR: stateDir,
          DEVICE_AGENT_HARDWARE_ID: `bench-headless-${index}-${process.pid}`,
          ...variant.env,
        },
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (text: string) => { stderr = (stderr + text).slice(-2000); });
      const pid = child.pid!;
      const outcomes: { sent: number; failed: boolean }[] = [];
      let afterFirst: { cpuMs: number } | undefined;
      const samples: ProcMemory[] = [];
      createInterface({ input: child.stdout }).on('line', (line) => {
        const match = CYCLE_LINE.exec(line);
        if (!match) return;
        outcomes.push({ sent: match[2] ? Number(match[2]) : 0, failed: match[3] !== undefined });
        if (outcomes.length === 1) afterFirst = { cpuMs: cpuOf(pid) };
      });
      const exited = once(child, 'exit');
      const started = Date.now();
      while (Date.now() - started < seconds * 1000 && child.exitCode === null) {
        await sleep(1000);
        const memory = procMemory(pid);
        if (memory === undefined) break;
        samples.push(memory);
      }
      if (child.exitCode !== null) throw new Error(`${variant.name}: the agent exited early (code ${child.exitCode}): ${stderr.trim()}`);
      const endCpu = cpuOf(pid);
      let heap: HeapSummary | undefined;
      if (variant.heapSnapshot) {
        child.kill('SIGUSR2');
        heap = await heapSnapshotIn(cwd);
      }
      child.kill('SIGTERM');
      await exited;
      const later = outcomes.slice(1);
      const steady = samples.slice(Math.floor(samples.length / 2));
      return {
        name: variant.name,
        seconds,
        cycles: outcomes.length,
        sendingCycles: later.filter((o) => o.sent > 0).length,
        sendFraction: later.length ? later.filter((o) => o.sent > 0).length / later.length : Number.NaN,
        failedCycles: outcomes.filter((o) => o.failed).length,
        cpuPerCycleMs: afterFirst && later.length ? (endCpu - afterFirst.cpuMs) / later.length : Number.NaN,
        startCpuMs: afterFirst?.cpuMs ?? Number.NaN,
        rssStartMb: samples[0]?.rssMb ?? Number.NaN,
        rssSteadyMb: median(steady.map((m) => m.rssMb)),
        rssMaxMb: Math.max(...samples.map((m) => m.rssMb)),
        anonSteadyMb: median(steady.map((m) => m.anonMb)),
        privateSteadyMb: median(steady.map((m) => m.privateMb)),
        pssSteadyMb: median(steady.map((m) => m.pssMb)),
        ...(heap ? { heap } : {}),
      };
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
