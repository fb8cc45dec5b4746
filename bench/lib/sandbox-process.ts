// Starts bench/sandbox-child.ts and reads its settings line; stats() returns
// the bytes its proxy counted and the requests the sandbox answered.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { z } from 'zod';

const settingsSchema = z.object({
  apiUrl: z.url(),
  apiKey: z.string().min(1),
  sharedKey: z.string().min(1),
  product: z.string().min(1),
  licenseKey: z.string().min(1),
  publicKeyPem: z.string().includes('PUBLIC KEY'),
  statsUrl: z.url(),
});

const statsSchema = z.object({
  up: z.number().int().nonnegative(),
  down: z.number().int().nonnegative(),
  connections: z.number().int().nonnegative(),
  /** "<endpoint> <status>" -> count */
  requests: z.record(z.string(), z.number().int().nonnegative()),
});

export type SandboxSettings = z.infer<typeof settingsSchema>;
export type SandboxStats = z.infer<typeof statsSchema>;

export interface SandboxProcess {
  pid: number;
  settings: SandboxSettings;
  stats(): Promise<SandboxStats>;
  close(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('../sandbox-child.ts', import.meta.url));

export async function startSandboxProcess(timeoutMs = 15_000): Promise<SandboxProcess> {
  const child = spawn(process.execPath, [CHILD], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => { stderr = (stderr + text).slice(-2000); });
  const lines = createInterface({ input: child.stdout });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [first] = await Promise.race([
    once(lines, 'line') as Promise<[string]>,
    once(child, 'exit').then(() => { throw new Error(`sandbox process exited before it was ready: ${stderr.trim()}`); }),
  ]).finally(() => clearTimeout(timer));
  const parsed = settingsSchema.safeParse(JSON.parse(first));
  if (!parsed.success) {
    child.kill();
    throw new Error(`sandbox process printed unexpected settings: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  }
  const settings = parsed.data;
  return {
    pid: child.pid!,
    settings,
    async stats() {
      const response = await fetch(settings.statsUrl);
      return statsSchema.parse(await response.json());
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Requests answered between two stats readings (all endpoints and statuses). */
export function requestsBetween(after: SandboxStats, before: SandboxStats): number {
  let total = 0;
  for (const [key, count] of Object.entries(after.requests)) total += count - (before.requests[key] ?? 0);
  return total;
}
