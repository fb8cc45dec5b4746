// kill -9 while the state is being written: a child process writes the state through
// the real state store in a loop (fixtures/state-writer.ts) and is SIGKILLed at a random
// moment; after each kill the file must parse and validate and the store must open it
// without calling it corrupt. Used by the fast test here and the soak in test/soak/.
import { spawn } from 'node:child_process';
import { readdir, readFile, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { openStateStore, STALE_TEMP_MS, STATE_FILE_NAME } from '../../app/state/state-store.ts';
import { syncStateSchema } from '../../app/state/sync-state.ts';
import { tempDir } from './harness.ts';

const WRITER = join(import.meta.dirname, 'fixtures', 'state-writer.ts');

/** Starts the writer, waits for its first write, kills it -9 after `delayMs`. Returns the generation it wrote. */
function writeThenKill(stateDir: string, delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, stateDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let generation = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /ready (\d+)/.exec(out);
      if (match && generation === 0) {
        generation = Number(match[1]);
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => { err += chunk.toString(); });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' && generation > 0) resolve(generation);
      else reject(new Error(`writer ended with code ${code} signal ${signal}: ${err.trim()}`));
    });
  });
}

/** `rounds` kills in one state directory; returns each child's generation and the files left besides the state. */
export async function killLoop(rounds: number): Promise<{ generations: number[]; leftovers: string[] }> {
  const stateDir = await tempDir('kill9');
  const generations: number[] = [];
  for (let i = 0; i < rounds; i++) {
    generations.push(await writeThenKill(stateDir, Math.floor(Math.random() * 25)));
    const text = await readFile(join(stateDir, STATE_FILE_NAME), 'utf8');
    const parsed = syncStateSchema.safeParse(JSON.parse(text));
    expect(parsed.success, `round ${i}: ${text.slice(0, 200)}`).toBe(true);
    expect(openStateStore({ stateDir }).warnings()).toEqual([]);
  }
  // A kill mid-write leaves conf's temp file behind; once it is clearly abandoned, the next start removes it.
  const leftovers = (await readdir(stateDir)).filter((name) => name !== STATE_FILE_NAME);
  const old = new Date(Date.now() - STALE_TEMP_MS - 1_000);
  for (const name of leftovers) await utimes(join(stateDir, name), old, old);
  expect(openStateStore({ stateDir }).warnings()).toEqual([]);
  const remaining = (await readdir(stateDir)).filter((name) => name !== STATE_FILE_NAME);
  return { generations, leftovers: remaining };
}
