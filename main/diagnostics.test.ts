import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SettingsView, StatusView } from '../preload/contract.ts';
import { exportDiagnostics } from './diagnostics.ts';

const SHARED = 'shared-KEY-7f1c9e2d';
const CLIENT = 'client-SECRET-4b8a';

describe('exportDiagnostics', () => {
  let dir = '';
  afterEach(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

  it('writes status, settings and the log tail with every secret redacted, readable by the owner only', async () => {
    dir = await mkdtemp(join(tmpdir(), 'da-diag-'));
    const logFile = join(dir, 'main.log');
    await writeFile(logFile, `[info] token request client_secret=${CLIENT}\n[warn] using ${SHARED}\n[info] synced 12 variables\n`);
    const status = { phase: 'synced', headline: 'ok', warnings: [`odd ${SHARED}`], variables: [] } as unknown as StatusView;
    const settings = { product: 'demo', hasSharedKey: true } as unknown as SettingsView;
    const path = await exportDiagnostics(join(dir, 'out'), { status, settings, appVersion: '0.1.0', platform: 'linux x64', logFiles: [logFile, join(dir, 'missing.log')], secrets: [SHARED, CLIENT], now: 0 });
    const text = await readFile(path, 'utf8');
    expect(text).toContain('synced 12 variables');
    expect(text).toContain('"hasSharedKey": true');
    expect(text).toContain('(could not read: ENOENT)');
    expect(text).not.toContain(SHARED);
    expect(text).not.toContain(CLIENT);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });
});
