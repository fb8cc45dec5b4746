// In-process checks of the command runner; the CLI as a child process against a
// sandbox process is tested end to end in test/cli/.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED_KEY_WARNING } from '../app/create-agent.ts';
import { firstSyncExplanation } from '../app/sync/status-text.ts';
import { firstDelayLine, runCli, type CliIo } from './run-cli.ts';

function io(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIo = { stdout: (l) => out.push(l), stderr: (l) => err.push(l), env, stopSignal: new Promise(() => {}) };
  return { cli, out, err };
}

describe('advice that can be followed', () => {
  it('run\'s first-delay line suggests no command its own lock would refuse (`once` exits 3 while run holds the state directory)', () => {
    const splay = { intervalMs: 15 * 60_000 };
    expect(firstDelayLine(412_000, firstSyncExplanation('drift', splay))).toBe('first sync in 412 s: Everything was in sync when the agent stopped: the first sync comes at a random moment within 15 min, so that computers starting together do not reach the server at once.');
    for (const reason of ['asked', 'first-start', 'configuration', 'pending', 'static-changed', 'attention', 'drift'] as const) {
      expect(firstDelayLine(412_000, firstSyncExplanation(reason, splay, ['kernel']))).not.toMatch(/device-agent \w+/);
    }
  });
});

describe('device-agent hwid', () => {
  it('prints the id the licensed program wrote to hardwareIdFile; a missing file is a configuration error naming it (exit 2)', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'da-cli-hwid-'));
    const file = join(stateDir, 'program.hwid');
    writeFileSync(file, 'Program-Id-7\n');
    const ok = io();
    expect(await runCli(['hwid', '--state-dir', stateDir, '--hardware-id-file', file], ok.cli)).toBe(0);
    expect(ok.out).toEqual(['Program-Id-7']);
    const missing = io();
    expect(await runCli(['hwid', '--state-dir', stateDir, '--hardware-id-file', join(stateDir, 'nope')], missing.cli)).toBe(2);
    expect(missing.err).toEqual([`configuration error: hardwareIdFile: ${join(stateDir, 'nope')} does not exist (yet): the licensed program writes it`]);
  });
});

describe('device-agent status', () => {
  it('warns while the shared key is configured, and not with OAuth', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'da-cli-status-'));
    const hmac = io({ DEVICE_AGENT_SHARED_KEY: 'a-shared-key-value', DEVICE_AGENT_API_KEY: 'k' });
    expect(await runCli(['status', '--json', '--state-dir', stateDir], hmac.cli)).toBe(0);
    expect(JSON.parse(hmac.out.join('\n')).warnings).toContain(SHARED_KEY_WARNING);
    expect(hmac.out.join('\n')).not.toContain('a-shared-key-value');

    const oauth = io({ DEVICE_AGENT_CLIENT_ID: 'c', DEVICE_AGENT_CLIENT_SECRET: 's' });
    expect(await runCli(['status', '--state-dir', stateDir], oauth.cli)).toBe(0);
    expect(oauth.out.join('\n')).not.toContain('shared key');
  });
});

describe('managed configuration', () => {
  it('wins over --config, and flags win over it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'da-cli-managed-'));
    const managed = join(dir, 'managed.json');
    const user = join(dir, 'user.json');
    writeFileSync(managed, JSON.stringify({ hardwareId: 'from-managed' }));
    writeFileSync(user, JSON.stringify({ hardwareId: 'from-user-config', stateDir: join(dir, 'state') }));
    const env = { DEVICE_AGENT_MANAGED_CONFIG: managed };
    const a = io(env);
    expect(await runCli(['hwid', '--config', user], a.cli)).toBe(0);
    expect(a.out).toEqual(['from-managed']);
    const b = io(env);
    expect(await runCli(['hwid', '--config', user, '--hardware-id', 'from-flag'], b.cli)).toBe(0);
    expect(b.out).toEqual(['from-flag']);
  });
});

describe('usage errors', () => {
  it('name the problem in one line and exit 2', async () => {
    const bad = io();
    expect(await runCli(['once', '--no-such-flag'], bad.cli)).toBe(2);
    expect(bad.err[0]).toMatch(/unknown option '--no-such-flag'/);
    expect(bad.err.join('\n')).not.toMatch(/\n\s+at /);
  });
});

describe('help', () => {
  it('`<command> --help` and `help <command>` print that command\'s usage and its own options, the same text both ways', async () => {
    for (const command of ['hwid', 'vars', 'once', 'run', 'status', 'sandbox', 'demo']) {
      const a = io();
      expect(await runCli([command, '--help'], a.cli)).toBe(0);
      const b = io();
      expect(await runCli(['help', command], b.cli)).toBe(0);
      expect(a.out).toEqual(b.out);
      expect(a.out.join('\n')).toMatch(new RegExp(`^Usage: device-agent ${command}\\b`));
      expect(a.err).toEqual([]);
    }
    const once = io();
    await runCli(['once', '--help'], once.cli);
    expect(once.out.join('\n')).toMatch(/--license-key <string>/);
    expect(once.out.join('\n')).toMatch(/130\/143 stopped by SIGINT\/SIGTERM/);
    const hwid = io();
    await runCli(['hwid', '--help'], hwid.cli);
    expect(hwid.out.join('\n')).toMatch(/--hardware-id/);
    expect(hwid.out.join('\n')).not.toMatch(/--license-key/); // only what applies
  });

  it('the sandbox\'s help lists --host, --db, --no-demo and --write-config', async () => {
    const help = io();
    expect(await runCli(['sandbox', '--help'], help.cli)).toBe(0);
    for (const option of ['--port <n>', '--host <addr>', '--db <file>', '--no-demo', '--print-config', '--write-config <file>']) {
      expect(help.out.join('\n')).toContain(option);
    }
  });

  it('help for something that is not a command says so, with a suggestion', async () => {
    const bad = io();
    expect(await runCli(['help', 'onse'], bad.cli)).toBe(2);
    expect(bad.err[0]).toBe('device-agent: no help for "onse" (did you mean once?): it is not a command (commands: hwid, vars, once, run, status, deactivate, sandbox, demo, help, version)');
  });

  it('a usage error points at the command\'s own help', async () => {
    const bad = io();
    expect(await runCli(['vars', '--jsno'], bad.cli)).toBe(2);
    expect(bad.err).toEqual(["device-agent: unknown option '--jsno' (did you mean --json?)", 'Run `device-agent help vars` for usage.']);
  });
});
