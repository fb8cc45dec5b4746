// Test harness for the device-agent command as a user runs it: the CLI and the
// sandbox are separate processes (process.execPath = Node 24), each CLI run gets a
// clean environment (a temp HOME, no DEVICE_AGENT_* from the developer's shell),
// and the sandbox is observed only from outside: its admin HTTP route and the
// signed License API.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { signedHeaders } from '../../app/licenseapi/signing.ts';
import { syncStateSchema, type SyncState } from '../../app/state/sync-state.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI_MAIN = join(ROOT, 'cli', 'main.ts');
export const CLI_BIN = join(ROOT, 'bin', 'device-agent.js');
const SANDBOX_MAIN = join(ROOT, 'sandbox', 'main.ts');

/** A stack trace line, as Node prints one. */
export const STACK_LINE = /\n\s+at /;

export async function makeTempDir(label: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `device-agent-cli-${label}-`));
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}

/** A minimal environment: PATH and a temp HOME, so nothing reads or writes the real home. */
export function cleanEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, ...extra };
}

const printedConfig = z.object({
  apiUrl: z.url(),
  apiKey: z.string().min(1),
  sharedKey: z.string().min(1),
  product: z.string().min(1),
  licenseKey: z.string().min(1),
  publicKeyPem: z.string().includes('BEGIN PUBLIC KEY'),
});
export type SandboxConfig = z.infer<typeof printedConfig>;

const requestRecord = z.object({ method: z.string(), endpoint: z.string(), status: z.number(), at: z.number(), code: z.string().optional() });
export type RequestRecord = z.infer<typeof requestRecord>;

const storedVariable = z.object({ variable: z.string(), value: z.string(), created_at: z.string() });
export type StoredVariable = z.infer<typeof storedVariable>;

export interface SandboxProcess {
  config: SandboxConfig;
  /** Base URL of the sandbox (where /__admin/ lives). */
  origin: string;
  /** The request log through GET /__admin/requests. */
  requests(): Promise<RequestRecord[]>;
  /** POST /__admin/faults (see sandbox/README.md, Fault injection). */
  injectFaults(rules: Record<string, unknown>[]): Promise<void>;
  /** The device's stored values through GET /__admin/device-variables (a flat name → string map). */
  deviceVariables(hardwareId: string): Promise<Record<string, string>>;
  /** The device's variables through the signed License API (with each one's last write time). */
  getDeviceVariables(hardwareId: string): Promise<StoredVariable[]>;
  /** POST to another admin route (e.g. __admin/licenses, __admin/license-state); resolves with its JSON reply. */
  adminPost(path: string, body: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

/** Starts `sandbox/main.ts --port 0 --print-config --db <dir>/sandbox.db` and reads its JSON line. */
export async function startSandboxProcess(dir: string): Promise<SandboxProcess> {
  const adminToken = randomBytes(16).toString('hex');
  const child = spawn(process.execPath, [SANDBOX_MAIN, '--port', '0', '--print-config', '--db', join(dir, 'sandbox.db')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: cleanEnv(dir, { DEVICE_AGENT_SANDBOX_ADMIN_TOKEN: adminToken }),
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const lines = createInterface({ input: child.stdout });
  const first = await Promise.race([
    once(lines, 'line') as Promise<[string]>,
    once(child, 'exit').then(() => { throw new Error(`sandbox exited before printing its config: ${stderr}`); }),
  ]);
  const config = printedConfig.parse(JSON.parse(first[0]));
  const origin = new URL('/', config.apiUrl).toString();
  const admin = async (path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(new URL(path, origin), {
      headers: { Authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`admin ${path}: HTTP ${response.status} ${await response.text()}`);
    return response.json();
  };
  return {
    config,
    origin,
    requests: async () => z.array(requestRecord).parse(await admin('__admin/requests')),
    injectFaults: async (rules) => { await admin('__admin/faults', { rules }); },
    deviceVariables: async (hardwareId) => z.record(z.string(), z.string())
      .parse(await admin(`__admin/device-variables?product=${encodeURIComponent(config.product)}&hardware_id=${encodeURIComponent(hardwareId)}`)),
    async getDeviceVariables(hardwareId) {
      const url = new URL('get_device_variables', config.apiUrl);
      url.search = new URLSearchParams({ product: config.product, hardware_id: hardwareId, license_key: config.licenseKey }).toString();
      const response = await fetch(url, { headers: { ...signedHeaders(config.apiKey, config.sharedKey, Date.now()), Accept: 'application/json' } });
      if (!response.ok) throw new Error(`get_device_variables: HTTP ${response.status} ${await response.text()}`);
      return z.array(storedVariable).parse(await response.json());
    },
    adminPost: (path, body) => admin(path, body),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env: NodeJS.ProcessEnv;
  /** Run through bin/device-agent.js instead of cli/main.ts. */
  viaBin?: boolean;
  cwd?: string;
  timeoutMs?: number;
}

/** Runs one CLI command to completion. */
export async function runCli(args: string[], options: CliOptions): Promise<CliResult> {
  const cli = startCli(args, options);
  const timer = setTimeout(() => cli.child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
  try {
    return await cli.exited;
  } finally {
    clearTimeout(timer);
  }
}

export interface RunningCli {
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  /** Resolves with the first stdout line matching `pattern`; rejects on timeout or exit. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  exited: Promise<CliResult>;
}

/** Starts a CLI command and lets the test watch its stdout line by line. */
export function startCli(args: string[], options: CliOptions): RunningCli {
  const entry = options.viaBin ? CLI_BIN : CLI_MAIN;
  const child = spawn(process.execPath, [entry, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: options.env, ...(options.cwd ? { cwd: options.cwd } : {}) });
  let stdout = '';
  let stderr = '';
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  createInterface({ input: child.stdout }).on('line', (line) => {
    stdout += `${line}\n`;
    lines.push(line);
    for (const wake of waiters) wake();
  });
  const exited = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      for (const wake of waiters) wake();
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    child,
    output: () => ({ stdout, stderr }),
    exited,
    waitForLine(pattern, timeoutMs) {
      return new Promise<string>((resolve, reject) => {
        const check = () => {
          const hit = lines.find((line) => pattern.test(line));
          if (hit !== undefined) done(() => resolve(hit));
          else if (child.exitCode !== null || child.signalCode !== null) {
            done(() => reject(new Error(`exited (${child.exitCode ?? child.signalCode}) before printing ${pattern}\nstdout:\n${stdout}\nstderr:\n${stderr}`)));
          }
        };
        const timer = setTimeout(() => done(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`))), timeoutMs);
        const done = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/** Reads and validates `<stateDir>/state.json` (throws when absent or not the state's shape). */
export async function readStateFile(stateDir: string): Promise<SyncState> {
  return syncStateSchema.parse(JSON.parse(await readFile(join(stateDir, 'state.json'), 'utf8')));
}

/** Resolves once `file` exists and contains `text` (polled: the agent's log is appended synchronously). */
export async function waitForFileText(file: string, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const content = await readFile(file, 'utf8').catch(() => '');
    if (content.includes(text)) return;
    if (Date.now() > deadline) throw new Error(`"${text}" did not appear in ${file} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Values as the server stores them (String(value)). */
export function asStored(values: Record<string, string | number | boolean>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, String(value)]));
}
