// Variables from other programs (variables.d) and from the managed file's sources,
// through the real command against a sandbox process over loopback, with a recording
// proxy in front of it that keeps every body the agent sent. One device's story:
// a program writes acme.json → the next `once` sends its values; one value changes →
// only that one is sent; the file is removed → nothing of it is sent any more (the
// server keeps its last values: the API has no delete); a broken file next to a good
// one is named and skipped, the rest syncs. Then `run`: a file written while it runs
// goes out with its next cycle. Then the managed sources: a command, refused anywhere
// but the managed file.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingProxy, type RecordingProxy } from '../desktop/recording-proxy.ts';
import { cleanEnv, makeTempDir, readStateFile, removeDir, runCli, startCli, startSandboxProcess, STACK_LINE, type SandboxProcess } from './cli-harness.ts';

let dir: string;
let sandbox: SandboxProcess;
let proxy: RecordingProxy;
let managedPath: string;
let machineDir: string;

const HARDWARE_ID = 'drop-in-device-1';

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return cleanEnv(dir, { DEVICE_AGENT_SHARED_KEY: sandbox.config.sharedKey, DEVICE_AGENT_MANAGED_CONFIG: managedPath, ...extra });
}

function args(stateDir: string, hardwareId = HARDWARE_ID): string[] {
  const { apiKey, product, licenseKey } = sandbox.config;
  return [`--api-url=${proxy.apiUrl}`, `--api-key=${apiKey}`, `--product=${product}`, `--license-key=${licenseKey}`, `--state-dir=${stateDir}`, `--hardware-id=${hardwareId}`, '--auto-activate'];
}

function writeManaged(settings: Record<string, unknown>): void {
  writeFileSync(managedPath, JSON.stringify(settings), { mode: 0o644 });
}

function publish(folder: string, source: string, variables: Record<string, unknown>): void {
  mkdirSync(folder, { recursive: true });
  // As docs/publishing-variables.md says: write a temp file, then rename it over the old one.
  writeFileSync(join(folder, `.${source}.json.tmp`), JSON.stringify({ variables }), { mode: 0o644 });
  renameSync(join(folder, `.${source}.json.tmp`), join(folder, `${source}.json`));
}

/** Variable names the agent sent (activation or track) for `hardwareId` since exchange `from`. */
function sentSince(from: number, hardwareId = HARDWARE_ID): string[] {
  return proxy.exchanges.slice(from)
    .filter((e) => (e.endpoint === 'track_device_variables' || e.endpoint === 'activate_license') && (e.body as { hardware_id?: string })?.hardware_id === hardwareId)
    .flatMap((e) => Object.keys((e.body as { variables?: object }).variables ?? {}));
}

beforeAll(async () => {
  dir = await makeTempDir('sources');
  sandbox = await startSandboxProcess(dir);
  proxy = await startRecordingProxy(sandbox.config.apiUrl, sandbox.config.sharedKey);
  mkdirSync(join(dir, 'etc'), { mode: 0o755 });
  managedPath = join(dir, 'etc', 'config.json');
  machineDir = join(dir, 'etc', 'variables.d');
  mkdirSync(machineDir, { mode: 0o755 });
  writeManaged({ logLevel: 'info' });
});

afterAll(async () => {
  await proxy?.close();
  await sandbox?.stop();
  await removeDir(dir);
});

describe('variables.d with device-agent once', () => {
  const stateDir = () => join(dir, 'state');

  it('a program writes acme.json: the next cycle sends its values, namespaced, and the server holds them', async () => {
    publish(machineDir, 'acme', { app_version: '4.2.1', modules: 3, pro: true });
    const from = proxy.exchanges.length;
    const result = await runCli(['once', ...args(stateDir())], { env: env() });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(0);
    expect(sentSince(from)).toEqual(expect.arrayContaining(['acme.app_version', 'acme.modules', 'acme.pro']));
    expect(await sandbox.deviceVariables(HARDWARE_ID)).toMatchObject({ 'acme.app_version': '4.2.1', 'acme.modules': '3', 'acme.pro': 'true' });
    expect(proxy.exchanges.flatMap((e) => e.violations)).toEqual([]);
  });

  it('one value of the file changes: exactly that one of the file\'s values is sent', async () => {
    publish(machineDir, 'acme', { app_version: '4.3.0', modules: 3, pro: true });
    const from = proxy.exchanges.length;
    const result = await runCli(['once', ...args(stateDir())], { env: env() });
    expect(result.code).toBe(0);
    // The agent's own metrics may have moved too; of the file, only the changed value went.
    expect(sentSince(from).filter((name) => name.startsWith('acme.'))).toEqual(['acme.app_version']);
    expect((await sandbox.deviceVariables(HARDWARE_ID))['acme.app_version']).toBe('4.3.0');
  });

  it('nothing changed in the file: nothing of it is sent', async () => {
    const from = proxy.exchanges.length;
    expect((await runCli(['once', ...args(stateDir())], { env: env() })).code).toBe(0);
    expect(sentSince(from).filter((name) => name.startsWith('acme.'))).toEqual([]);
  });

  it('the file is removed: its values are no longer sent or shown; the server keeps the last ones (the API has no delete)', async () => {
    rmSync(join(machineDir, 'acme.json'));
    const from = proxy.exchanges.length;
    const result = await runCli(['once', ...args(stateDir())], { env: env() });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^synced: the server holds all \d+ variables/);
    expect(sentSince(from).filter((name) => name.startsWith('acme.'))).toEqual([]);
    const state = await readStateFile(stateDir());
    expect(Object.keys(state.desired).filter((n) => n.startsWith('acme.'))).toEqual([]);
    expect(await sandbox.deviceVariables(HARDWARE_ID)).toMatchObject({ 'acme.app_version': '4.3.0' });
  });

  it('an oversized file and an invalid one are named on stderr and skipped; a good file beside them syncs (exit 0)', async () => {
    writeFileSync(join(machineDir, 'huge.json'), `{"variables": {"v": "${'x'.repeat(20_000)}"}}`, { mode: 0o644 });
    writeFileSync(join(machineDir, 'broken.json'), '{"variables": {"v": 1}', { mode: 0o644 });
    publish(machineDir, 'contoso', { seats: 12 });
    const from = proxy.exchanges.length;
    const result = await runCli(['once', ...args(stateDir())], { env: env() });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`warning: Variables from ${join(machineDir, 'huge.json')} (per-machine folder) not sent: is larger than 16 KiB`);
    expect(result.stderr).toContain(`warning: Variables from ${join(machineDir, 'broken.json')} (per-machine folder) not sent: is not valid JSON (at line 1, column`);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).not.toContain('xxxxxxxx'); // the file's content is never echoed
    // Of the drop-ins (names with a source prefix; the agent's own metrics may have moved too), only the good file's.
    expect(sentSince(from).filter((name) => name.includes('.'))).toEqual(['contoso.seats']);
    // `device-agent status` (another process, reading the state the cycle left) names them too.
    const status = await runCli(['status', `--state-dir=${stateDir()}`], { env: env() });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('sources:      1 of 3 variable sources in use (1 variables): broken skipped, contoso ok, huge skipped');
    expect(status.stdout).toContain(`warning: ${join(machineDir, 'huge.json')} (per-machine folder) is left out: is larger than 16 KiB`);
    rmSync(join(machineDir, 'huge.json'));
    rmSync(join(machineDir, 'broken.json'));
  });

  it('the per-user folder in the state directory works the same way; `vars` lists what would be sent', async () => {
    publish(join(stateDir(), 'variables.d'), 'userapp', { last_used: '2026-05-01' });
    const result = await runCli(['vars', '--json', `--state-dir=${stateDir()}`], { env: env() });
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as { variables: Record<string, unknown>; sources: { source: string; scope: string; state: string }[] };
    expect(parsed.variables).toMatchObject({ 'userapp.last_used': '2026-05-01', 'contoso.seats': 12 });
    expect(parsed.sources.map((s) => `${s.scope}:${s.source}:${s.state}`)).toEqual(['per-machine folder:contoso:ok', 'per-user folder:userapp:ok']);
  });
});

describe('variables.d with device-agent run', () => {
  it('a file written while the agent runs goes out with its next cycle, and a broken one is named on stderr', async () => {
    const hardwareId = 'drop-in-device-run';
    const stateDir = join(dir, 'state-run');
    const cli = startCli(['run', ...args(stateDir, hardwareId), '--interval=10s'], { env: env() });
    try {
      await cli.waitForLine(/synced|sent \d+/, 20_000); // a first start syncs within seconds
      const from = proxy.exchanges.length;
      // bad.json first: a cycle that lists acme.json then lists bad.json too.
      mkdirSync(join(stateDir, 'variables.d'), { recursive: true });
      writeFileSync(join(stateDir, 'variables.d', 'bad.json'), '[]', { mode: 0o600 });
      publish(join(stateDir, 'variables.d'), 'acme', { edition: 'enterprise' });
      // The warning is printed when that cycle ends, after its request reached the proxy: wait for both.
      const warned = () => cli.output().stderr.split('\n').filter((line) => line.includes('bad.json'));
      const deadline = Date.now() + 25_000;
      while (!(sentSince(from, hardwareId).includes('acme.edition') && warned().length > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(sentSince(from, hardwareId)).toContain('acme.edition');
      expect((await sandbox.deviceVariables(hardwareId))['acme.edition']).toBe('enterprise');
      expect(warned()).toEqual([`warning: ${join(stateDir, 'variables.d', 'bad.json')} (per-user folder) is left out: must be a JSON object {"variables": {"name": value, ...}}`]);
    } finally {
      cli.child.kill('SIGTERM');
      await cli.exited;
    }
  }, 45_000);
});

describe('variable sources of the managed file', () => {
  it('a command source runs (argv, no shell) when the managed file allows commands, and its value is sent', async () => {
    writeManaged({ allowCommandSources: true, variableSources: { acme_channel: { command: ['/bin/echo', 'beta $(id)'], interval: '1h', timeout: '5s' }, site: { env: 'ACME_SITE' } } });
    try {
      const hardwareId = 'drop-in-device-command';
      const result = await runCli(['once', ...args(join(dir, 'state-command'), hardwareId)], { env: env({ ACME_SITE: 'Berlin' }) });
      expect(result.stderr).not.toMatch(STACK_LINE);
      expect(result.code).toBe(0);
      expect(await sandbox.deviceVariables(hardwareId)).toMatchObject({ acme_channel: 'beta $(id)', site: 'Berlin' });
    } finally {
      writeManaged({ logLevel: 'info' });
    }
  });

  it('without allowCommandSources the command does not run: said on stderr, the rest syncs', async () => {
    writeManaged({ variableSources: { acme_channel: { command: ['/bin/echo', 'beta'] } } });
    try {
      const hardwareId = 'drop-in-device-no-command';
      const result = await runCli(['once', ...args(join(dir, 'state-no-command'), hardwareId)], { env: env() });
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('warning: Variable acme_channel (command /bin/echo (+1 argument), managed file) not read: the managed file does not allow commands');
      expect(await sandbox.deviceVariables(hardwareId)).not.toHaveProperty('acme_channel');
    } finally {
      writeManaged({ logLevel: 'info' });
    }
  });

  it.each([
    ['a --config file', (file: string) => ['--config', file], 'variableSources'],
    ['a flag', () => ['--allow-command-sources'], 'allowCommandSources'],
    ['the environment', () => [], 'trayIcon'],
  ])('is refused in %s: exit 2, one line naming the setting and the managed file, nothing sent', async (_label, extra, key) => {
    const file = join(dir, 'user-config.json');
    writeFileSync(file, JSON.stringify({ variableSources: { gpu: { command: ['/usr/bin/id'] } } }));
    const from = proxy.exchanges.length;
    const result = await runCli(['once', ...args(join(dir, 'state-refused')), ...extra(file)], { env: env(key === 'trayIcon' ? { DEVICE_AGENT_TRAY_ICON: 'never' } : {}) });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^configuration error: ${key} \\(from [^)]+\\): can be set only in the administrator's managed configuration file \\(/etc/device-agent/config\\.json\\)`))]);
    expect(proxy.exchanges.length).toBe(from);
  });
});
