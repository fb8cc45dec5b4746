// `npm run desktop:headless` (tools/desktop-headless.ts) with a managed config
// pointing at a License API on loopback: it syncs at least 15 variables with
// signed, seed-schema-valid requests, prints `tray: <state> <tooltip>` lines,
// writes a screenshot of the window at its real size, and exits 0 on SIGTERM.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/server.ts';
import { eventually, haveChromium, root, sharedAppBuild } from './fixture.ts';
import { pngSize } from './png.ts';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy.ts';

describe.skipIf(!haveChromium)('npm run desktop:headless', () => {
  let sandbox: Sandbox;
  let proxy: RecordingProxy;
  let dir = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'da-headless-'));
    sandbox = await startSandbox({ port: 0, rsaBits: 1024 });
    proxy = await startRecordingProxy(sandbox.url, sandbox.demo.sharedKey);
  });
  afterAll(async () => {
    await proxy?.close();
    await sandbox?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('syncs to the managed server, prints the tray, draws the window, and exits 0 on SIGTERM', async () => {
    const build = await sharedAppBuild();
    const managed = join(dir, 'managed.json');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(managed, JSON.stringify({ apiUrl: proxy.apiUrl, apiKey: sandbox.demo.apiKey, sharedKey: sandbox.demo.sharedKey, product: sandbox.demo.product, licenseKey: sandbox.demo.licenseKey, autoActivate: true }));
    const shots = join(dir, 'shots');
    const child = spawn(process.execPath, [join(root, 'tools', 'desktop-headless.ts'), '--dist', build], {
      env: { PATH: process.env.PATH, HOME: join(dir, 'home'), DEVICE_AGENT_MANAGED_CONFIG: managed, DEVICE_AGENT_USER_DATA: join(dir, 'user-data'), DEVICE_AGENT_SCREENSHOTS: shots },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await eventually('tray: synced', () => out.includes('tray: synced '), 30_000);
      await eventually('a screenshot', () => err.includes('desktop:headless: screenshot '), 15_000);
    } catch (error) {
      child.kill('SIGKILL');
      throw new Error(`${(error as Error).message}\nstdout:\n${out}\nstderr:\n${err}`, { cause: error });
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    const lines = out.trim().split('\n');
    expect(lines.every((l) => /^tray: (starting|syncing|synced|pending|attention|paused) Device Agent — /.test(l)), out).toBe(true);
    expect(lines[0]).toMatch(/^tray: starting /);
    expect(lines).toContain(lines.find((l) => l.startsWith('tray: synced Device Agent — Synced')));

    expect(proxy.exchanges.length).toBeGreaterThan(0);
    expect(proxy.exchanges.flatMap((e) => e.violations)).toEqual([]);
    const hardwareId = (proxy.exchanges.find((e) => e.body !== undefined)?.body as { hardware_id: string }).hardware_id;
    expect(Object.keys(sandbox.admin.deviceVariables(sandbox.demo.product, hardwareId)).length).toBeGreaterThanOrEqual(15);

    const png = readdirSync(shots).find((f) => f.endsWith('.png'));
    expect(pngSize(await readFile(join(shots, png as string)))).toEqual({ width: 400, height: 560 });
  }, 60_000);

  it('ends, without an error storm, when whoever reads its output goes away (a closed stdout)', async () => {
    // A parent that dies (a killed test, a closed terminal) leaves the app writing into a
    // closed pipe: each write fails with EPIPE, and an error handler that logs the failure
    // to the console again must not turn that into a loop (it once spun at 100 % CPU and
    // grew to 2 GB). Nobody reads the tray lines any more, so it quits like SIGTERM does.
    const build = await sharedAppBuild();
    const managed = join(dir, 'managed-epipe.json');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(managed, JSON.stringify({ apiUrl: proxy.apiUrl, apiKey: sandbox.demo.apiKey, sharedKey: sandbox.demo.sharedKey, product: sandbox.demo.product, licenseKey: sandbox.demo.licenseKey, autoActivate: true }));
    const userData = join(dir, 'user-data-epipe');
    const child = spawn(process.execPath, [join(root, 'tools', 'desktop-headless.ts'), '--dist', build], {
      env: { PATH: process.env.PATH, HOME: join(dir, 'home-epipe'), DEVICE_AGENT_MANAGED_CONFIG: managed, DEVICE_AGENT_USER_DATA: userData, NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    try {
      await eventually('a tray line', () => out.includes('tray: '), 30_000);
      child.stdout.destroy(); // the reader goes away
      const code = await Promise.race([exited, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 15_000))]);
      expect(code).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
    // The log may not exist yet when the app quits early (its first lines are still queued): then nothing stormed either.
    const logDir = join(userData, 'logs');
    const logged = existsSync(logDir) ? readdirSync(logDir).map((f) => readFileSync(join(logDir, f), 'utf8')).join('') : '';
    expect(logged.split('\n').filter((l) => l.includes('EPIPE')).length).toBeLessThan(3);
  }, 60_000);
});
