// `device-agent once` end to end, as an administrator runs it: a sandbox process,
// the CLI as a child process with its own state directory and HOME, the shared key
// in the environment. The tests below are one story on one device and run in order:
// refused without activation → activated and synced → only a change is sent → a
// restart continues from the persisted state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { CATALOGUE } from '../../app/collect/catalogue.ts';
import { ERROR_CODES } from '../../app/licenseapi/error-codes.ts';
import {
  asStored, cleanEnv, makeTempDir, readStateFile, removeDir, runCli, startSandboxProcess, STACK_LINE,
  type SandboxProcess, type StoredVariable,
} from './cli-harness.ts';

let dir: string;
let sandbox: SandboxProcess;
let hardwareId: string;

const STATIC_NAMES = new Set(CATALOGUE.filter((entry) => entry.refresh === 'static').map((entry) => entry.name));

function env(): NodeJS.ProcessEnv {
  // The shared key travels by environment, as the README recommends (flags show in `ps`).
  return cleanEnv(dir, { DEVICE_AGENT_SHARED_KEY: sandbox.config.sharedKey });
}

function connection(stateDir: string): string[] {
  const { apiUrl, apiKey, product, licenseKey } = sandbox.config;
  return [`--api-url=${apiUrl}`, `--api-key=${apiKey}`, `--product=${product}`, `--license-key=${licenseKey}`, `--state-dir=${stateDir}`];
}

function expectNoSecret(text: string): void {
  expect(text).not.toContain(sandbox.config.sharedKey);
}

const byName = (rows: StoredVariable[]) => new Map(rows.map((row) => [row.variable, row]));

/** The agent's requests since `from` (the test's own get_device_variables reads left out). */
async function agentCallsSince(from: number): Promise<string[]> {
  return (await sandbox.requests()).slice(from).filter((r) => r.endpoint !== 'get_device_variables').map((r) => `${r.endpoint} ${r.status}`);
}

beforeAll(async () => {
  dir = await makeTempDir('once');
  sandbox = await startSandboxProcess(dir);
  const result = await runCli(['hwid', `--state-dir=${join(dir, 'hwid-state')}`], { env: env() });
  expect(result.code).toBe(0);
  hardwareId = result.stdout.trim();
  expect(hardwareId).toMatch(/^\S{8,}$/);
});

afterAll(async () => {
  await sandbox?.stop();
  await removeDir(dir);
});

describe('device-agent once against a sandbox process', () => {
  const stateDir = () => join(dir, 'state');

  it('on a fresh state without autoActivate: exit 12, one line naming device_not_found and the remedy, nothing stored', async () => {
    const fresh = join(dir, 'fresh-no-activate');
    const result = await runCli(['once', ...connection(fresh), '--var', 'site=A'], { env: env() });

    expect(result.code).toBe(12);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('device_not_found');
    expect(lines[0]).toContain(ERROR_CODES.device_not_found.remedy);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stdout).toBe('');
    expectNoSecret(result.stdout + result.stderr);

    expect(await sandbox.deviceVariables(hardwareId)).toEqual({});
    const requests = await sandbox.requests();
    expect(requests.map((r) => `${r.endpoint} ${r.status} ${r.code ?? ''}`)).toEqual(['check_license 400 device_not_found']);
    expect(existsSync(join(fresh, 'agent.lock'))).toBe(false);
  });

  it('on a fresh state with --auto-activate: exit 0 and the server holds exactly the collected values', async () => {
    const vars = await runCli(['vars', '--json', '--var', 'site=A', `--state-dir=${stateDir()}`], { env: env() });
    expect(vars.code).toBe(0);
    const reported = z.object({ variables: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])) }).parse(JSON.parse(vars.stdout));

    const before = (await sandbox.requests()).length;
    const result = await runCli(['once', ...connection(stateDir()), '--var', 'site=A', '--auto-activate'], { env: env() });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(0);
    expectNoSecret(result.stdout + result.stderr);

    const state = await readStateFile(stateDir());
    const total = Object.keys(state.desired).length;
    expect(result.stdout).toContain(`the server holds all ${total} variables (${total} sent this time) for hardware id ${hardwareId}`);
    expect(state.acknowledged).toEqual(state.desired);

    const stored = await sandbox.deviceVariables(hardwareId);
    expect(stored).toEqual(asStored(state.desired));
    expect(stored.site).toBe('A');
    // Same names as `vars --json`; static facts have the same values (metrics may move between two runs).
    expect(Object.keys(stored).sort()).toEqual(Object.keys(reported.variables).sort());
    for (const [name, value] of Object.entries(reported.variables)) {
      if (STATIC_NAMES.has(name)) expect(stored[name], name).toBe(String(value));
    }

    // The first run checks the license (not activated yet: activation answers with the license, so no track).
    expect(await agentCallsSince(before)).toEqual(['check_license 400', 'activate_license 200']);
    expect(result.stdout).toMatch(/^license: perpetual license · .*100 activations/m);
  });

  it('a second once sends only what changed (site=A → site=B)', async () => {
    const stateBefore = await readStateFile(stateDir());
    const serverBefore = byName(await sandbox.getDeviceVariables(hardwareId));
    const requestsBefore = (await sandbox.requests()).length;

    const result = await runCli(['once', ...connection(stateDir()), '--var', 'site=B'], { env: env() });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(0);

    const stateAfter = await readStateFile(stateDir());
    const changed = Object.keys(stateAfter.desired).filter((name) => stateAfter.desired[name] !== stateBefore.desired[name]).sort();
    expect(changed).toContain('site');
    expect(changed.filter((name) => STATIC_NAMES.has(name))).toEqual([]);
    expect(result.stdout).toContain(`(${changed.length} sent this time)`);

    // The server rewrote exactly the changed names: every other row keeps its last write time.
    const serverAfter = byName(await sandbox.getDeviceVariables(hardwareId));
    const rewritten = [...serverAfter.values()].filter((row) => row.created_at !== serverBefore.get(row.variable)?.created_at).map((row) => row.variable).sort();
    expect(rewritten).toEqual(changed);
    expect(await sandbox.deviceVariables(hardwareId)).toEqual(asStored(stateAfter.desired));
    expect(stateAfter.acknowledged).toEqual(stateAfter.desired);

    expect(await agentCallsSince(requestsBefore)).toEqual(['track_device_variables 200']);
  });

  it('a restart continues from the persisted state: no full re-send, history continued', async () => {
    const stateBefore = await readStateFile(stateDir());
    const serverBefore = byName(await sandbox.getDeviceVariables(hardwareId));
    const requestsBefore = (await sandbox.requests()).length;

    const result = await runCli(['once', ...connection(stateDir()), '--var', 'site=B'], { env: env() });
    expect(result.code).toBe(0);

    const stateAfter = await readStateFile(stateDir());
    const changed = Object.keys(stateAfter.desired).filter((name) => stateAfter.desired[name] !== stateBefore.desired[name]);
    // Only noisy metrics may have moved; everything else is already acknowledged.
    expect(changed.every((name) => !STATIC_NAMES.has(name) && name !== 'site')).toBe(true);
    expect(result.stdout).toContain(`(${changed.length} sent this time)`);
    // Nothing pending → no request at all; a moved metric → one track of just that.
    expect(await agentCallsSince(requestsBefore)).toEqual(changed.length ? ['track_device_variables 200'] : []);
    const serverAfter = byName(await sandbox.getDeviceVariables(hardwareId));
    for (const name of STATIC_NAMES) {
      if (serverBefore.has(name)) expect(serverAfter.get(name)?.created_at, name).toBe(serverBefore.get(name)?.created_at);
    }
    expect(serverAfter.get('site')?.created_at).toBe(serverBefore.get('site')?.created_at);

    const status = await runCli(['status', '--json', `--state-dir=${stateDir()}`], { env: env() });
    expect(status.code).toBe(0);
    const report = z.object({
      inSync: z.boolean(),
      pending: z.array(z.string()),
      variables: z.number(),
      recent: z.array(z.object({ outcome: z.string(), sent: z.number(), code: z.string().optional() })),
    }).parse(JSON.parse(status.stdout));
    expect(report).toMatchObject({ inSync: true, pending: [], variables: Object.keys(stateAfter.desired).length });
    // What the server last said about the license (the activation's reply), persisted with the state.
    expect(JSON.parse(status.stdout).license).toEqual({ summary: expect.stringMatching(/^perpetual license · .*of 100 activations used$/), checkedAt: expect.stringMatching(/^\d{4}-/) });
    // The three runs on this state directory, oldest first: activation, the site change, this restart.
    expect(stateAfter.history.slice(0, stateBefore.history.length)).toEqual(stateBefore.history);
    expect(report.recent.map((h) => h.outcome)).toEqual(['ok', 'ok', changed.length ? 'ok' : 'nothing-to-send']);
    expect(report.recent.map((h) => h.sent)).toEqual([stateBefore.history[0]!.sent, stateBefore.history[1]!.sent, changed.length]);
  });

  it('new credentials are tried at once: a wrong API key after a good run sends everything and is refused (exit 11), not "synced"', async () => {
    const requestsBefore = (await sandbox.requests()).length;
    const wrongKey = await runCli(['once', ...connection(stateDir()).map((a) => a.startsWith('--api-key=') ? '--api-key=wrong-key' : a), '--var', 'site=B'], { env: env() });
    expect(wrongKey.code, wrongKey.stderr).toBe(11);
    expect(wrongKey.stdout).toBe('');
    expect(wrongKey.stderr).toMatch(/^error invalid_api_key: /);
    // New credentials are a new identity: its first request, the license check, is refused.
    expect(await agentCallsSince(requestsBefore)).toEqual(['check_license 400']);
    // The same for a wrong shared key (the secret): what counts is a keyed hash of the credentials, never the secret.
    const wrongSecret = await runCli(['once', ...connection(stateDir()), '--var', 'site=B'], { env: cleanEnv(dir, { DEVICE_AGENT_SHARED_KEY: 'not-the-shared-key' }) });
    expect(wrongSecret.code, wrongSecret.stderr).toBe(11);
    expect(wrongSecret.stderr).toMatch(/^error signature_mismatch: /);
    // Read by someone whose system speaks German: the line in German, the code unchanged (scripts and searches key on it).
    const inGerman = await runCli(['once', ...connection(stateDir()), '--var', 'site=B'], { env: cleanEnv(dir, { DEVICE_AGENT_SHARED_KEY: 'not-the-shared-key', LANG: 'de_DE.UTF-8' }) });
    expect(inGerman.code, inGerman.stderr).toBe(11);
    expect(inGerman.stderr).toMatch(/^Fehler signature_mismatch: Der Server hat die Signatur der Anfrage abgelehnt: .* Was zu tun ist: Prüfen Sie, ob der gemeinsame Schlüssel zum eingerichteten API-Schlüssel gehört\.$/m);
    // Back to the right credentials (not the ones last confirmed): they are proven at once — the license is
    // checked and what the server holds read back (this helper does not list those reads) — and what differs is sent.
    const beforeRight = (await sandbox.requests()).length;
    const right = await runCli(['once', ...connection(stateDir()), '--var', 'site=B'], { env: env() });
    expect(right.code, right.stderr).toBe(0);
    const calls = await agentCallsSince(beforeRight);
    expect(calls[0]).toBe('check_license 200');
    expect(calls.slice(1).filter((c) => c !== 'track_device_variables 200')).toEqual([]); // a send only if something differed
    const state = await readStateFile(stateDir());
    expect(state.acknowledged).toEqual(state.desired);
    expect(await sandbox.deviceVariables(hardwareId)).toMatchObject({ site: 'B' });
  });

  it('leaves no secret in clear in the state directory (state, identity, logs)', async () => {
    const files = (await readdir(stateDir(), { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
    expect(files.map((f) => f.name)).toEqual(expect.arrayContaining(['state.json', 'agent.log']));
    for (const file of files) {
      const text = await readFile(join(file.parentPath, file.name), 'utf8');
      expect(text, file.name).not.toContain(sandbox.config.sharedKey);
      expect(text, file.name).not.toContain(sandbox.config.licenseKey);
    }
  });
});
