// The headless agent as users run it: the real CLI (`device-agent run`) in its
// own process against the sandbox process, at the shortest interval the
// configuration accepts (10 s, 90x the default 15 min). Each second the bench
// reads the child's RSS (/proc/<pid>/status) and CPU (/proc/<pid>/stat); the
// child's stdout gives one line per cycle ("sent N" / "nothing to send").
// Variants run side by side so they see the same machine and the same time.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
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
  /** CPU from the end of the first cycle to the end, per cycle (timers and idle included), ms. */
  cpuPerCycleMs: number;
  /** CPU until the end of the first cycle (start-up, static facts, activation), ms. */
  startCpuMs: number;
  rssStartMb: number;
  rssSteadyMb: number;
  rssMaxMb: number;
  /** Private (anonymous) resident memory, steady. */
  anonSteadyMb: number;
}

const CYCLE_LINE = / · (?:synced|pending|syncing|attention|starting)\s* · (sent (\d+)|nothing to send|failed \(([^)]*)\))/;

export async function measureHeadless(variants: readonly HeadlessVariant[], sandbox: SandboxSettings, seconds: number): Promise<HeadlessFigures[]> {
  const dir = mkdtempSync(join(tmpdir(), 'device-agent-headless-'));
  const publicKey = join(dir, 'sandbox-public.pem');
  writeFileSync(publicKey, sandbox.publicKeyPem);
  try {
    return await Promise.all(variants.map(async (variant, index): Promise<HeadlessFigures> => {
      const stateDir = join(dir, `state-${index}`);
      const child = spawn(process.execPath, [...variant.args, 'run'], {
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
        if (outcomes.length === 1) afterFirst = { cpuMs: procCpu(pid).ownMs };
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
      const endCpu = procCpu(pid).ownMs;
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
      };
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
