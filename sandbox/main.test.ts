import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { signedHeaders } from '../app/licenseapi/signing.ts';
import { parseCli } from './cli.ts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

describe('sandbox/main.ts', () => {
  it('--print-config prints one parseable JSON line once listening; SIGTERM exits 0', async () => {
    const child = spawn(process.execPath, [MAIN, '--port', '0', '--print-config'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    try {
      const lines = createInterface({ input: child.stdout });
      const [line] = await once(lines, 'line') as [string];
      const config = JSON.parse(line) as Record<string, string>;
      expect(Object.keys(config)).toEqual(expect.arrayContaining(['apiUrl', 'apiKey', 'sharedKey', 'product', 'licenseKey', 'publicKeyPem']));
      expect(config.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v4\/$/);
      expect(config.publicKeyPem).toContain('BEGIN PUBLIC KEY');

      const response = await fetch(new URL('activate_license', config.apiUrl), {
        method: 'POST',
        headers: { ...signedHeaders(config.apiKey!, config.sharedKey!, Date.now()), 'Content-Type': 'application/json' },
        body: JSON.stringify({ product: config.product, license_key: config.licenseKey, hardware_id: 'cli-test' }),
      });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(stderr).toMatch(/POST \/activate_license 200/);
      expect(stderr).not.toContain(config.sharedKey);
      expect(stderr).not.toContain(config.licenseKey);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await once(child, 'exit') as [number | null];
    expect(code).toBe(0);
  });

  it('refuses a bad option with a one-line message and exit code 2', async () => {
    const child = spawn(process.execPath, [MAIN, '--port', 'eighty'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const [code] = await once(child, 'exit') as [number | null];
    expect(code).toBe(2);
    expect(stderr).toMatch(/--port must be an integer/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('parses its options', () => {
    expect(parseCli(['--port', '8080', '--db', '/tmp/x.sqlite', '--print-config'])).toEqual({ port: 8080, host: '127.0.0.1', dbPath: '/tmp/x.sqlite', seedDemo: true, signErrors: false, printConfig: true });
    expect(parseCli(['--sign-errors'])).toMatchObject({ signErrors: true });
    expect(() => parseCli(['--port', '70000'])).toThrow(/--port/);
    expect(() => parseCli(['--bogus'])).toThrow(/bogus/);
  });
});
