// `sandbox --write-config FILE` writes what `device-agent once --config FILE` uses as is.
// Before, the only config the sandbox gave was --print-config's line, which --config refuses
// (publicKeyPem, userProduct, password, oauth are not settings): a new user had to write a
// jq filter to point the agent at the sandbox.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_BIN, cleanEnv, makeTempDir, removeDir, runCli } from './cli-harness.ts';

let dir: string | undefined;
afterAll(async () => {
  await removeDir(dir);
});

describe('the sandbox writes a configuration the agent takes as is', () => {
  it('device-agent sandbox --write-config F, then device-agent once --config F: exit 0, synced', async () => {
    dir = await makeTempDir('sandbox-config');
    const file = join(dir, 'agent.json');
    const sandbox = spawn(process.execPath, [CLI_BIN, 'sandbox', '--write-config', file], { env: cleanEnv(dir), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    sandbox.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    try {
      const deadline = Date.now() + 15_000;
      while (!stderr.includes('wrote')) {
        if (Date.now() > deadline || sandbox.exitCode !== null) throw new Error(`the sandbox did not write its configuration: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(stderr).toContain(`sandbox: wrote ${file}: try \`device-agent once --config ${file}\``);
      expect((await stat(file)).mode & 0o777).toBe(0o600); // it holds the sandbox's shared key
      expect(existsSync(`${file}.pem`)).toBe(true);
      const config = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      expect(Object.keys(config).sort()).toEqual(['apiKey', 'apiUrl', 'autoActivate', 'licenseKey', 'product', 'publicKey', 'sharedKey']);

      const result = await runCli(['once', '--config', file, '--state-dir', join(dir, 'state')], { env: cleanEnv(dir), viaBin: true, timeoutMs: 30_000 });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/^synced: the server holds all \d+ variables \(\d+ sent this time\) for hardware id \S+\nlicense: perpetual license .*\n$/);
    } finally {
      sandbox.kill('SIGTERM');
      await once(sandbox, 'close');
    }
  }, 45_000);
});
