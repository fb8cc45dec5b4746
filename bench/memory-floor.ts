// The memory floor, measured in the same run: an idle Node process, one that
// has loaded systeminformation and axios (the issue's reference point for the
// headless budget), and one that has loaded every dependency the headless
// agent's main thread imports (what the agent's own code is measured against).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { procMemory } from './lib/proc-stats.ts';
import type { ProcMemory } from './lib/proc-stats.ts';

const IDLE = 'setTimeout(() => {}, 60_000)';
const WITH_DEPS = "await import('systeminformation'); await import('axios'); setTimeout(() => {}, 60_000)";
/** The main thread of `device-agent run` (systeminformation only in its static worker). */
export const AGENT_DEPS = ['axios', 'zod', 'conf', 'ajv/dist/2020.js', 'https-proxy-agent', 'proxy-from-env', 'node-machine-id'] as const;
const WITH_AGENT_DEPS = `${AGENT_DEPS.map((d) => `await import('${d}');`).join(' ')} setTimeout(() => {}, 60_000)`;

async function residentOf(code: string, settleMs: number): Promise<ProcMemory> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: 'ignore', cwd: process.cwd() });
  try {
    await sleep(settleMs);
    const memory = procMemory(child.pid!);
    if (memory === undefined) throw new Error('the floor process exited early');
    return memory;
  } finally {
    const exited = once(child, 'exit');
    child.kill();
    await exited;
  }
}

export async function measureMemoryFloor(): Promise<{ idle: ProcMemory; withDeps: ProcMemory; withAgentDeps: ProcMemory }> {
  const [idle, withDeps, withAgentDeps] = await Promise.all([residentOf(IDLE, 1500), residentOf(WITH_DEPS, 2500), residentOf(WITH_AGENT_DEPS, 2500)]);
  return { idle, withDeps, withAgentDeps };
}
