// `device-agent status` in the reader's language (LC_ALL, LC_MESSAGES, LANG), over a
// state.json as the versions before the catalogue messages wrote it: the license's
// summary and the last error stored as English sentences. The file is still read;
// the words come from the catalogues, said anew from the facts and the code.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncStateSchema } from '../../app/state/sync-state.ts';
import { cleanEnv, makeTempDir, removeDir, runCli, STACK_LINE } from './cli-harness.ts';

const DAY = 24 * 60 * 60_000;

/** A state file of the shape the agent wrote before (version 1, sentences in it). */
function oldStateFile(now: number): string {
  const expiresAt = now + 10 * DAY + 60 * 60_000;
  return JSON.stringify({
    version: 1,
    desired: { os_platform: 'linux', cpu_cores: 8 },
    acknowledged: { os_platform: 'linux', cpu_cores: 8 },
    staticValues: { os_platform: 'linux', cpu_cores: 8 },
    lastAttemptAt: now - 60_000,
    lastSuccessAt: now - 20 * 60_000,
    lastError: { code: 'network_error', errorClass: 'retryable', summary: 'The License API could not be reached.', remedy: 'Check the network connection (and proxy settings); the agent retries by itself.', at: now - 60_000 },
    license: { type: 'time-limited', enabled: true, active: true, expiresAt, maxActivations: 100, timesActivated: 3, checkedAt: now - 20 * 60_000, summary: 'time-limited license · enabled · active · expires 2031-06-11 (10 days left) · 3 of 100 activations used' },
    history: [{ at: now - 20 * 60_000, outcome: 'ok', sent: 2 }, { at: now - 60_000, outcome: 'error', sent: 0, code: 'network_error' }],
    samples: [],
  });
}

describe('device-agent status in the reader\'s language, over an old state file', () => {
  let dir: string;
  let stateDir: string;

  beforeAll(async () => {
    dir = await makeTempDir('status-lang');
    stateDir = join(dir, 'state');
    await mkdir(stateDir, { recursive: true });
    await writeFile(join(stateDir, 'state.json'), oldStateFile(Date.now()));
  });

  afterAll(async () => {
    await removeDir(dir);
  });

  it('the old file is valid: its sentences are read, and the license keeps only its facts', () => {
    const parsed = syncStateSchema.parse(JSON.parse(oldStateFile(Date.now())));
    expect(parsed.license).not.toHaveProperty('summary');
    expect(parsed.license).toMatchObject({ type: 'time-limited', maxActivations: 100 });
  });

  it('under LANG=de_DE.UTF-8 says the labels, the license and the last error in German', async () => {
    const result = await runCli(['status', `--state-dir=${stateDir}`], { env: cleanEnv(dir, { LANG: 'de_DE.UTF-8' }) });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(/^synchron: +ja$/m);
    expect(out).toMatch(/^Lizenz: +Befristete Lizenz · freigegeben · aktiv · läuft am \d{2}\.\d{2}\.\d{4} ab \(noch 10 Tage\) · 3 von 100 Aktivierungen genutzt \(Stand /m);
    expect(out).toMatch(/^letzter Fehler: +network_error um \S+: Die License API war nicht erreichbar\. Was zu tun ist: Prüfen Sie die Netzwerkverbindung/m);
    // No English sentence of the old file comes through.
    expect(out).not.toContain('time-limited license');
    expect(out).not.toContain('could not be reached');
  });

  it('in English (and for --json, which scripts read) says what it always said', async () => {
    const text = await runCli(['status', `--state-dir=${stateDir}`], { env: cleanEnv(dir, { LANG: 'C.UTF-8' }) });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^in sync: {6}yes$/m);
    expect(text.stdout).toMatch(/^license: {6}time-limited license · enabled · active · expires \d{4}-\d{2}-\d{2} \(10 days left\) · 3 of 100 activations used \(as of /m);
    const json = await runCli(['status', '--json', `--state-dir=${stateDir}`], { env: cleanEnv(dir, { LANG: 'de_DE.UTF-8' }) });
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { license: { summary: string }; lastError: { summary: string } };
    expect(report.license.summary).toMatch(/^time-limited license · enabled · active · expires /);
    expect(report.lastError.summary).toBe('The License API could not be reached.');
  });
});
