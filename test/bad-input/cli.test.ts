// A representative subset of bad input through the real command (child processes):
// exit code 2, one line naming the field, no stack trace, and nothing sent to the
// sandbox that the configuration points at.
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../sandbox/server.ts';
import type { Sandbox } from '../../sandbox/server.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'cli', 'main.ts');
let sandbox: Sandbox;
let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  dir = await mkdtemp(join(tmpdir(), 'da-bad-cli-'));
  await writeFile(join(dir, 'not-json.json'), '{"product": ');
  await writeFile(join(dir, 'proto.json'), '{"variables": {"__proto__": {"x": 1}}}');
  await writeFile(join(dir, 'typo.json'), '{"sharedkey": "abcdefgh"}');
  await writeFile(join(dir, 'licence.json'), '{"licenceKey": "AAAA"}');
  await writeFile(join(dir, 'key.pem'), '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n');
  await writeFile(join(dir, 'managed-broken.json'), '{"apiUrl": ');
  await writeFile(join(dir, 'managed-open.json'), '{"pii": []}');
  await chmod(join(dir, 'managed-open.json'), 0o666);
});
afterAll(async () => {
  await sandbox.close();
});

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const base: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('DEVICE_AGENT_')) base[k] = v;
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: {
      ...base,
      DEVICE_AGENT_API_URL: sandbox.url, DEVICE_AGENT_API_KEY: sandbox.demo.apiKey, DEVICE_AGENT_SHARED_KEY: sandbox.demo.sharedKey,
      DEVICE_AGENT_PRODUCT: sandbox.demo.product, DEVICE_AGENT_LICENSE_KEY: sandbox.demo.licenseKey, DEVICE_AGENT_STATE_DIR: join(dir, `state-${Math.random()}`),
      DEVICE_AGENT_ALLOW: 'agent_version', DEVICE_AGENT_AUTO_ACTIVATE: 'true',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const CASES: Array<[string, string[], Record<string, string>, RegExp]> = [
  ['an interval in words (flag)', ['once', '--interval', 'often'], {}, /^configuration error: interval \(from --interval\): must be minutes/m],
  ['an API URL with credentials (env)', ['once'], { DEVICE_AGENT_API_URL: 'https://u:hunter22@example.com/api/v4/' }, /^configuration error: apiUrl \(from DEVICE_AGENT_API_URL\): must not contain a user name or password/m],
  ['a misspelt environment variable', ['once'], { DEVICE_AGENT_SHAREDKEY: 'abcdefgh' }, /^configuration error: DEVICE_AGENT_SHAREDKEY \(from environment\): is not a known setting/m],
  ['a config file that is not JSON', ['once', '--config', 'CONFIG/not-json.json'], {}, /^configuration error: config \(from .*not-json\.json\): is not valid JSON/m],
  ['__proto__ in a config file', ['once', '--config', 'CONFIG/proto.json'], {}, /^configuration error: variables\.__proto__ \(from .*proto\.json\): is a reserved name/m],
  ['a misspelt key in a config file', ['once', '--config', 'CONFIG/typo.json'], {}, /^configuration error: sharedkey \(from .*typo\.json\): is not a known setting/m],
  ['--var __proto__=1', ['once', '--var', '__proto__=1'], {}, /^configuration error: variables\.__proto__ \(from --var\): is a reserved name/m],
  ['a custom value with a control character', ['once', '--var', 'site=a\u0007b'], {}, /^configuration error: variables\.site \(from --var\): must not contain control characters/m],
  ['caFile pointing at /etc/passwd', ['once', '--ca-file', '/etc/passwd'], {}, /^configuration error: caFile: \/etc\/passwd holds no PEM certificate$/m],
  ['publicKey pointing at /etc/passwd', ['once', '--public-key', '/etc/passwd'], {}, /^configuration error: publicKey: is not a PEM public key$/m],
  ['an apiKey with a quote', ['once', '--api-key', 'a"b'], {}, /^configuration error: apiKey \(from --api-key\): must be printable ASCII/m],
  ['an unknown flag', ['once', '--shared-kye', 'x'], {}, /^device-agent: unknown option '--shared-kye' \(did you mean --shared-key\?\)$/m],
  ['licenceKey in a config file', ['once', '--config', 'CONFIG/licence.json'], {}, /^configuration error: licenceKey \(from .*licence\.json\): is not a known setting \(did you mean licenseKey\?\)$/m],
  ['--licence-key', ['once', '--licence-key', 'x'], {}, /^device-agent: unknown option '--licence-key' \(did you mean --license-key\?\)$/m],
  ['DEVICE_AGENT_LICENCE_KEY', ['once'], { DEVICE_AGENT_LICENCE_KEY: 'x' }, /^configuration error: DEVICE_AGENT_LICENCE_KEY \(from environment\): is not a known setting \(did you mean DEVICE_AGENT_LICENSE_KEY\?\)/m],
  ['a misspelt command', ['onse'], {}, /^device-agent: unknown command "onse" \(did you mean once\?\)/m],
  ['--allow naming no variable', ['once', '--allow', 'agent_verison'], {}, /^configuration error: allow \(from --allow\): "agent_verison" matches no known variable \(did you mean agent_version\?\)/m],
  ['--config /dev/zero', ['once', '--config', '/dev/zero'], {}, /^configuration error: config \(from \/dev\/zero\): is larger than 1 MiB \(the limit for this file\)$/m],
  ['a private key passed as --config (never echoed)', ['once', '--config', 'CONFIG/key.pem'], {}, /^configuration error: config \(from .*key\.pem\): is not valid JSON \(at line 1, column 2\)$/m],
  ['a managed file that does not parse', ['once'], { DEVICE_AGENT_MANAGED_CONFIG: 'CONFIG/managed-broken.json' }, /^configuration error: config \(from managed config .*managed-broken\.json\): is not valid JSON/m],
  ['a managed file every user may write', ['once'], { DEVICE_AGENT_MANAGED_CONFIG: 'CONFIG/managed-open.json' }, /^configuration error: config \(from managed config .*managed-open\.json\): .*managed-open\.json is writable by every user, so anyone on this machine could redirect the agent/m],
  ['DEVICE_AGENT_MANAGED_CONFIG naming a missing file', ['once'], { DEVICE_AGENT_MANAGED_CONFIG: 'CONFIG/no-such-file.json' }, /^configuration error: DEVICE_AGENT_MANAGED_CONFIG \(from environment\): names .*no-such-file\.json, which does not exist$/m],
];

describe('bad input through the real CLI', () => {
  it('every case: exit 2, the field named, no stack, nothing sent', async () => {
    const results = await Promise.all(CASES.map(([, args, env]) => run(args.map((a) => a.replace('CONFIG', dir)), Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replace('CONFIG', dir)])))));
    results.forEach((result, i) => {
      const [label, , , expected] = CASES[i]!;
      expect(result.stderr, label).toMatch(expected);
      expect(result.code, `${label}: ${result.stderr}`).toBe(2);
      expect(result.stderr, label).not.toMatch(/^\s+at /m);
      expect(result.stderr, label).not.toMatch(/internal error/);
      expect(result.stderr, label).not.toContain('hunter22');
      expect(result.stderr, label).not.toMatch(/MIIE|BEGIN/);
      expect(result.stdout, label).toBe('');
    });
    expect(sandbox.admin.requests()).toEqual([]);
  }, 60_000); // ~25 processes at once
});

describe('what the CLI prints from files it does not control', () => {
  it('status escapes control characters and bidi overrides stored in state.json (text and --json)', async () => {
    const stateDir = join(dir, 'hostile-state');
    await mkdir(stateDir, { recursive: true });
    const evil = '\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202Eexe.txt';
    await writeFile(join(stateDir, 'state.json'), JSON.stringify({
      version: 1, desired: { site: evil }, acknowledged: {}, staticValues: {}, samples: [],
      lastError: { code: `code${evil}`, errorClass: 'retryable', summary: `summary${evil}`, remedy: 'remedy', at: 1 },
      history: [{ at: 1, outcome: 'error', sent: 0, code: `c${evil}` }],
    }));
    for (const args of [['status'], ['status', '--json']]) {
      const result = await run(args, { DEVICE_AGENT_STATE_DIR: stateDir });
      expect(result.code, result.stderr).toBe(0);
      // eslint-disable-next-line no-control-regex
      expect(result.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
      expect(result.stdout).toContain(args.includes('--json') ? 'summary\\u001b]0;pwned\\u0007' : 'summary\\u001b]0;pwned\\u0007\\u001b[2J\\u009b31m\\u202eexe.txt');
      if (args.includes('--json')) expect(JSON.parse(result.stdout).lastError.summary).toBe(`summary${evil}`); // still the same JSON value
    }
  });

  it('a --config file every user may write is used, with a warning saying why that is dangerous', async () => {
    const path = join(dir, 'open-user-config.json');
    await writeFile(path, JSON.stringify({ allow: ['agent_version'] }));
    await chmod(path, 0o666);
    const result = await run(['vars', '--config', path]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^agent_version\s/);
    expect(result.stderr.trim()).toBe(`warning: ${path} is writable by every user: anyone on this machine could change where the agent sends data and with which credentials. Make it writable by you only (chmod o-w).`);
  });
});
