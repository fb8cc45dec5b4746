// kill -9 while the state is being written, many times: a child process writes the
// state through the real state store in a loop and is SIGKILLed at a random moment;
// after every kill the file must parse and validate, and the store must open it
// without calling it corrupt. (test/soak/ repeats this a few hundred times.)
import { spawn } from 'node:child_process';
import { readdir, readFile, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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

async function killLoop(rounds: number): Promise<{ generations: number[]; leftovers: string[] }> {
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

describe('kill -9 during state writes', () => {
  it('leaves a readable, valid state file every time (2 × 25 kills at random moments)', async () => {
    const results = await Promise.all([killLoop(25), killLoop(25)]);
    for (const { generations, leftovers } of results) {
      // Each child read what the previous one left (its generation follows), so nothing went back in time.
      expect(generations).toEqual(generations.map((_, i) => i + 1));
      expect(leftovers).toEqual([]);
    }
  }, 60_000);
});
