// What the headless agent loads (issue 18): a `device-agent once` that activates,
// collects every variable and syncs against the sandbox loads, from node_modules,
// only zod and proxy-from-env on its main thread. axios (form-data, http2, undici via
// its fetch adapter), ajv (the track-body check is compiled ahead of time), conf,
// https-proxy-agent (only with a proxy) and node-machine-id (only off Linux) cost
// memory for nothing there (docs/performance.md). systeminformation loads only in
// the short-lived static helper process, whose modules the hook below does not see.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, makeTempDir, removeDir, runCli, STACK_LINE, startSandboxProcess, type SandboxProcess } from './cli-harness.ts';

let dir: string;
let sandbox: SandboxProcess;

beforeAll(async () => {
  dir = await makeTempDir('modules');
  sandbox = await startSandboxProcess(dir);
});
afterAll(async () => {
  await sandbox?.stop();
  await removeDir(dir);
});

/** Preloaded with --import: records every module the main thread loads, written at exit. */
function recorder(out: string): string {
  return `
    import { registerHooks } from 'node:module';
    import { writeFileSync } from 'node:fs';
    const seen = new Set();
    registerHooks({ load(url, context, next) { seen.add(url); return next(url, context); } });
    process.on('exit', () => writeFileSync(${JSON.stringify(out)}, JSON.stringify([...seen])));
  `;
}

/** The package a module URL belongs to (scoped names included), or undefined outside node_modules. */
function packageOf(url: string): string | undefined {
  const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  return match?.[1];
}

describe('the headless agent\'s main thread', () => {
  it('syncs with only zod and proxy-from-env loaded from node_modules', async () => {
    const hook = join(dir, 'record-modules.mjs');
    const out = join(dir, 'modules.json');
    writeFileSync(hook, recorder(out));
    const publicKey = join(dir, 'sandbox-public.pem');
    writeFileSync(publicKey, sandbox.config.publicKeyPem);
    const { apiUrl, apiKey, product, licenseKey } = sandbox.config;
    const result = await runCli(
      ['once', `--api-url=${apiUrl}`, `--api-key=${apiKey}`, `--product=${product}`, `--license-key=${licenseKey}`, `--state-dir=${join(dir, 'state')}`, '--auto-activate'],
      { env: cleanEnv(dir, { DEVICE_AGENT_SHARED_KEY: sandbox.config.sharedKey, DEVICE_AGENT_PUBLIC_KEY: publicKey, NODE_OPTIONS: `--import=${hook}` }), timeoutMs: 30_000 },
    );
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(0); // activated, every variable sent, replies verified
    const urls = JSON.parse(await readFile(out, 'utf8')) as string[];
    const packages = [...new Set(urls.map(packageOf).filter((p): p is string => p !== undefined))].sort();
    expect(packages).toEqual(['proxy-from-env', 'zod']);
    expect(urls.filter((u) => u.startsWith('node:http2'))).toEqual([]);
  });
});
