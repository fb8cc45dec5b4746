// Bad configuration is refused before anything is sent: each run below would reach a
// live sandbox process if the CLI let it through, and the sandbox's request log must
// stay empty. Every refusal exits 2, names the field, and shows no stack trace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cleanEnv, makeTempDir, removeDir, runCli, startSandboxProcess, STACK_LINE, type SandboxProcess } from './cli-harness.ts';

let dir: string;
let sandbox: SandboxProcess;

beforeAll(async () => {
  dir = await makeTempDir('badconfig');
  sandbox = await startSandboxProcess(dir);
  await writeFile(join(dir, 'broken.json'), '{"product": "demo",', 'utf8');
  await writeFile(join(dir, 'typo.json'), JSON.stringify({ product: 'demo', licenceKey: 'X' }), 'utf8');
});

afterAll(async () => {
  await sandbox?.stop();
  await removeDir(dir);
});

interface Case {
  name: string;
  /** Arguments after `once` and the otherwise complete connection flags. */
  args?: string[];
  /** Replaces the connection flags (the API URL, pointing at the sandbox, is always given). */
  only?: string[];
  env?: Record<string, string>;
  /** What stderr's first line must say (the field, and why). */
  expected: RegExp;
}

const CASES: Case[] = [
  { name: 'an unknown flag', args: ['--bogus'], expected: /unknown option '--bogus'/ },
  { name: 'a flag missing its value', args: ['--interval'], expected: /option '--interval' needs a value/ },
  { name: 'an --interval that is not a duration', args: ['--interval', '5x'], expected: /^configuration error: interval \(from --interval\): must be minutes/ },
  { name: 'an --interval out of range', args: ['--interval', '1s'], expected: /^configuration error: interval \(from --interval\): must be between 10s and 24h/ },
  { name: 'an --api-url with credentials in it', args: ['--api-url', 'http://admin:hunter2pw@127.0.0.1:9/api/v4/'], expected: /^configuration error: apiUrl \(from --api-url\): must not contain a user name or password/ },
  { name: 'missing credentials', only: ['--product', 'demo', '--license-key', 'K-1'], expected: /^configuration error: apiKey: credentials are required/ },
  { name: 'an API key without its shared key', only: ['--api-key', 'k', '--product', 'demo', '--license-key', 'K-1'], expected: /^configuration error: sharedKey: is required with apiKey/ },
  { name: 'an invalid JSON --config file', args: ['--config', 'broken.json'], expected: /^configuration error: config \(from broken\.json\): is not valid JSON/ },
  { name: 'an unknown key in the --config file', args: ['--config', 'typo.json'], expected: /^configuration error: licenceKey \(from typo\.json\): is not a known setting/ },
  { name: 'an unknown DEVICE_AGENT_ variable', env: { DEVICE_AGENT_FOO: '1' }, expected: /^configuration error: DEVICE_AGENT_FOO \(from environment\): is not a known setting/ },
  { name: 'a bad boolean in the environment', env: { DEVICE_AGENT_AUTO_ACTIVATE: 'sometimes' }, expected: /^configuration error: autoActivate \(from DEVICE_AGENT_AUTO_ACTIVATE\): must be true or false/ },
  { name: 'a malformed --var', args: ['--var', 'site'], expected: /^configuration error: variables \(from --var\): "site" must be name=value/ },
];

describe.concurrent('device-agent refuses bad configuration', () => {
  it.each(CASES)('$name → exit 2, the field named, nothing sent', async ({ name, args = [], only, env = {}, expected }) => {
    const { apiUrl, apiKey, product, licenseKey, sharedKey } = sandbox.config;
    const stateDir = join(dir, `state-${name.replace(/\W+/g, '-')}`);
    const connection = ['--api-url', apiUrl, ...(only ?? ['--api-key', apiKey, '--product', product, '--license-key', licenseKey, '--auto-activate'])];
    const sharedKeyEnv: Record<string, string> = only ? {} : { DEVICE_AGENT_SHARED_KEY: sharedKey };
    const result = await runCli(['once', ...connection, '--state-dir', stateDir, ...args], { env: cleanEnv(dir, { ...sharedKeyEnv, ...env }), cwd: dir });

    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(expected);
    expect(lines.length).toBeLessThanOrEqual(2);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toContain(sharedKey);
    expect(result.stderr).not.toContain('hunter2pw');
    expect(existsSync(stateDir)).toBe(false);
    expect(await sandbox.requests()).toEqual([]);
  });
});
