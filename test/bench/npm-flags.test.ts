// `npm run bench --quick` without `--`: npm keeps --quick as its own setting and the script
// sees only npm_config_quick=true. It used to run the full 4-minute bench without a word;
// now it says so and runs the quick one. bench:fleet's value flags cannot be rebuilt
// (`--agents 100` arrives as npm_config_agents=true and a stray "100"): it refuses, saying how.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { npmFlagAdvice, swallowedByNpm } from '../../bench/lib/npm-flags.ts';

const ROOT = join(import.meta.dirname, '..', '..');

describe('flags npm swallows', () => {
  it('are found only under npm run, by their npm_config_ name', () => {
    expect(swallowedByNpm(['quick', 'json'], { npm_lifecycle_event: 'bench', npm_config_quick: 'true' })).toEqual(['quick']);
    expect(swallowedByNpm(['interval-minutes'], { npm_lifecycle_event: 'bench:fleet', npm_config_interval_minutes: 'true' })).toEqual(['interval-minutes']);
    expect(swallowedByNpm(['quick'], { npm_config_quick: 'true' })).toEqual([]); // not run by npm
    expect(swallowedByNpm(['quick'], { npm_lifecycle_event: 'bench', npm_config_quick: 'false' })).toEqual([]);
    expect(npmFlagAdvice('bench', ['quick'])).toBe('npm took --quick as its own setting (npm_config_quick); options for the script go after `--`: npm run bench -- --quick');
  });

  it('`npm run bench --quick` runs the quick bench and says why', async () => {
    const child = spawn('npm', ['run', 'bench', '--quick'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    try {
      const deadline = Date.now() + 30_000;
      while (!stderr.includes('Running as if')) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no note from the bench: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(stderr).toContain('bench: npm took --quick as its own setting (npm_config_quick); options for the script go after `--`: npm run bench -- --quick. Running as if it had been written so.');
    } finally {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL'); // the npm we started, and what it started
    }
  }, 45_000);

  it('`npm run bench:fleet --agents 100` refuses with exit 2 and the right spelling', async () => {
    const child = spawn('npm', ['run', '-s', 'bench:fleet', '--agents', '100'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('bench:fleet: npm took --agents as its own setting (npm_config_agents); options for the script go after `--`: npm run bench:fleet -- --agents');
  }, 45_000);
});
