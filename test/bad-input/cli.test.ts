// A representative subset of bad input through the real command (child processes):
// exit code 2, one line naming the field, no stack trace, and nothing sent to the
// sandbox that the configuration points at.
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../sandbox/server.ts';
import type { Sandbox } from '../../sandbox/server.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'app', 'cli', 'main.ts');
let sandbox: Sandbox;
let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  dir = await mkdtemp(join(tmpdir(), 'da-bad-cli-'));
  await writeFile(join(dir, 'not-json.json'), '{"product": ');
  await writeFile(join(dir, 'proto.json'), '{"variables": {"__proto__": {"x": 1}}}');
  await writeFile(join(dir, 'typo.json'), '{"sharedkey": "abcdefgh"}');
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
  ['an unknown flag', ['once', '--shared-kye', 'x'], {}, /^device-agent: unknown option '--shared-kye'/m],
];

describe('bad input through the real CLI', () => {
  it('every case: exit 2, the field named, no stack, nothing sent', async () => {
    const results = await Promise.all(CASES.map(([, args, env]) => run(args.map((a) => a.replace('CONFIG', dir)), env)));
    results.forEach((result, i) => {
      const [label, , , expected] = CASES[i]!;
      expect(result.stderr, label).toMatch(expected);
      expect(result.code, `${label}: ${result.stderr}`).toBe(2);
      expect(result.stderr, label).not.toMatch(/^\s+at /m);
      expect(result.stderr, label).not.toMatch(/internal error/);
      expect(result.stderr, label).not.toContain('hunter22');
      expect(result.stdout, label).toBe('');
    });
    expect(sandbox.admin.requests()).toEqual([]);
  }, 30_000);
});
