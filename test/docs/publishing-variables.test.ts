// docs/publishing-variables.md is for the vendor's developers: its two examples are
// taken from the page as written and run — the shell script with sh, the Node one
// with node — each followed by `device-agent once` (a separate process, HOME of its
// own, default state directory) against a sandbox process over loopback. What the
// examples publish must reach the server under the source's namespace, and they must
// leave no temporary file behind.
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, makeTempDir, removeDir, runCli, startSandboxProcess, STACK_LINE, type SandboxProcess } from '../cli/cli-harness.ts';

const run = promisify(execFile);
const PAGE = readFileSync(new URL('../../docs/publishing-variables.md', import.meta.url), 'utf8');
const HARDWARE_ID = 'docs-example-device';

/** The fenced block of `language` whose first line starts with `firstLine`. */
function example(language: string, firstLine: string): string {
  const blocks = [...PAGE.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
  const block = blocks.find((b) => b.startsWith(firstLine));
  if (!block) throw new Error(`docs/publishing-variables.md has no ${language} block starting with ${firstLine}`);
  return block;
}

let dir: string;
let home: string;
let sandbox: SandboxProcess;
let managed: string;

beforeAll(async () => {
  dir = await makeTempDir('docs');
  home = join(dir, 'home');
  mkdirSync(home);
  sandbox = await startSandboxProcess(dir);
  managed = join(dir, 'etc', 'config.json');
  mkdirSync(join(dir, 'etc'));
  writeFileSync(managed, '{"logLevel": "info"}');
});

afterAll(async () => {
  await sandbox?.stop();
  await removeDir(dir);
});

/** `device-agent once` as the person whose HOME the example wrote to (no --state-dir: the default one). */
async function once(): Promise<void> {
  const { apiUrl, apiKey, product, licenseKey, sharedKey } = sandbox.config;
  const result = await runCli(['once', `--api-url=${apiUrl}`, `--api-key=${apiKey}`, `--product=${product}`, `--license-key=${licenseKey}`, `--hardware-id=${HARDWARE_ID}`, '--auto-activate'], {
    env: cleanEnv(home, { DEVICE_AGENT_SHARED_KEY: sharedKey, DEVICE_AGENT_MANAGED_CONFIG: managed }),
  });
  expect(result.stderr).not.toMatch(STACK_LINE);
  expect(result.stderr).not.toMatch(/variables\.d.*not sent/);
  expect(result.code, result.stderr).toBe(0);
}

const folder = () => join(home, '.local', 'state', 'device-agent', 'variables.d');

describe('docs/publishing-variables.md examples, run against the agent', () => {
  it('the shell script publishes acme.app_version, acme.modules and acme.licensed', async () => {
    const script = join(dir, 'publish-variables.sh');
    writeFileSync(script, example('sh', '#!/bin/sh'));
    await run('sh', [script], { env: { PATH: process.env.PATH, HOME: home } });
    expect(readdirSync(folder())).toEqual(['acme.json']);
    await once();
    expect(await sandbox.deviceVariables(HARDWARE_ID)).toMatchObject({ 'acme.app_version': '4.2.1', 'acme.modules': '3', 'acme.licensed': 'true' });
  });

  it('the Node example replaces the file atomically; its values follow with the next cycle', async () => {
    const script = join(dir, 'publish-variables.mjs');
    writeFileSync(script, example('js', '// publish-variables.mjs'));
    await run(process.execPath, [script], { env: { PATH: process.env.PATH, HOME: home } });
    expect(readdirSync(folder())).toEqual(['acme.json']);
    await once();
    const today = new Date().toISOString().slice(0, 10);
    expect(await sandbox.deviceVariables(HARDWARE_ID)).toMatchObject({ 'acme.app_version': '4.2.1', 'acme.edition': 'pro', 'acme.last_used': today });
  });

  it('the page states the limits the agent enforces', async () => {
    const { MAX_FILE_BYTES, MAX_FILE_VARIABLES, MAX_FILES_PER_FOLDER } = await import('../../app/collect/drop-in.ts');
    expect(PAGE).toContain(`| file size (checked before the file is read) | ≤ ${MAX_FILE_BYTES / 1024} KiB |`);
    expect(PAGE).toContain(`| variables per file | ≤ ${MAX_FILE_VARIABLES} |`);
    expect(PAGE).toContain(`the first ${MAX_FILES_PER_FOLDER} sources by name are read`);
  });
});
