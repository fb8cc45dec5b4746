// The built desktop app restarted on the Electron stand-in (`npm run desktop:headless`,
// a start at login: --hidden) with the same user data: the tray's first line is the last
// known state ("synced"), never "starting"; and with a static fact the server holds in an
// older version (an OS update while the app was off) it syncs that fact within the short
// splay, which DEVICE_AGENT_TEST_SHORT_SPLAY_MS shortens to 3 s here (an unpackaged app
// only; main/engine-runner.ts).
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserServer } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESTART_NOISE } from '../../app/collect/catalogue.ts';
import { syncStateSchema } from '../../app/state/sync-state.ts';
import { startSandbox, type Sandbox } from '../../sandbox/server.ts';
import { browserServer, eventually, haveChromium, root, sharedAppBuild } from './fixture.ts';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy.ts';

interface Line { at: number; text: string; index: number }

describe.skipIf(!haveChromium)('desktop app restarted with what it knew', () => {
  let sandbox: Sandbox;
  let proxy: RecordingProxy;
  let browser: BrowserServer;
  let build = '';
  let dir = '';
  /** Apps still running when a test failed before quitting them (a second one would only hand over to them). */
  const running = new Set<ReturnType<typeof spawn>>();
  const userData = () => join(dir, 'user-data');
  const stateDir = () => join(userData(), 'state', 'device-agent'); // desktop:headless sets XDG_STATE_HOME inside the user data

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'da-restart-'));
    [build, browser, sandbox] = await Promise.all([sharedAppBuild(), browserServer(), startSandbox({ port: 0, rsaBits: 1024 })]);
    proxy = await startRecordingProxy(sandbox.url, sandbox.demo.sharedKey);
    await writeFile(join(dir, 'managed.json'), JSON.stringify({
      apiUrl: proxy.apiUrl, apiKey: sandbox.demo.apiKey, sharedKey: sandbox.demo.sharedKey, product: sandbox.demo.product, licenseKey: sandbox.demo.licenseKey, autoActivate: true,
      // Facts Node gives at once, none from the systeminformation worker: on a loaded test machine
      // its 2 s timeout can be missed in one run and not the next, and a fact the last run lacked
      // is news to the server (the short splay), which would make the classes here depend on load.
      allow: ['os_platform', 'os_arch', 'kernel', 'cpu_*', 'ram_*', 'agent_version', 'app_version', 'boot_time'],
    }));
  }, 60_000);

  afterAll(async () => {
    for (const child of running) child.kill('SIGKILL');
    await proxy?.close();
    await Promise.all([sandbox?.close(), browser?.close()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** One run of `npm run desktop:headless` on the shared build and user data; its tray lines with the time each came. */
  function headless(args: string[], env: NodeJS.ProcessEnv = {}) {
    for (const child of running) child.kill('SIGKILL'); // left by a failed test: it would hold the single-instance lock
    const startedAt = Date.now();
    const child = spawn(process.execPath, [join(root, 'tools', 'desktop-headless.ts'), '--dist', build, ...args], {
      env: {
        PATH: process.env.PATH, HOME: join(dir, 'home'), TZ: 'UTC', LANG: 'C.UTF-8',
        DEVICE_AGENT_MANAGED_CONFIG: join(dir, 'managed.json'), DEVICE_AGENT_USER_DATA: userData(),
        ELECTRON_STANDIN_BROWSER_WS: browser.wsEndpoint(), ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    const lines: Line[] = [];
    let partial = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      const parts = (partial + d).split('\n');
      partial = parts.pop() ?? '';
      for (const text of parts) lines.push({ at: Date.now() - startedAt, text, index: lines.length });
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => { running.delete(child); resolve(code); }));
    return {
      lines,
      /** Waits for a tray line matching `pattern`, after the line `after` if given (with the output in the error when it does not come). */
      async line(pattern: RegExp, after?: Line, timeoutMs = 15_000): Promise<Line> {
        try {
          return await eventually(`a line ${pattern}`, () => lines.find((l) => l.index > (after?.index ?? -1) && pattern.test(l.text)), timeoutMs);
        } catch (error) {
          throw new Error(`${(error as Error).message}\nstdout:\n${lines.map((l) => `${l.at} ms ${l.text}`).join('\n')}\nstderr:\n${err}`, { cause: error });
        }
      },
      async quit(): Promise<void> {
        child.kill('SIGTERM');
        // The app ends within its own bounds (5 s grace, 5 s backstop); say what it printed if not.
        const code = await Promise.race([exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 20_000))]);
        expect(code, `after SIGTERM\nstdout:\n${lines.map((l) => `${l.at} ms ${l.text}`).join('\n')}\nstderr:\n${err}`).toBe(0);
      },
    };
  }

  /** The engine's "first sync" log records (app/sync/engine.ts): why and how soon each start's first cycle came. */
  const firstSyncDecisions = async () => (await readFile(join(stateDir(), 'logs', 'agent.log'), 'utf8')).trim().split('\n')
    .map((l) => JSON.parse(l) as { msg: string; fields?: { reason?: string; inMs?: number; changed?: string[] } })
    .filter((r) => r.msg === 'first sync').map((r) => r.fields ?? {});

  it('the first start syncs, and Quit leaves the state behind', async () => {
    const first = headless([]);
    await first.line(/^tray: synced /);
    await first.quit();
    expect(syncStateSchema.parse(JSON.parse(await readFile(join(stateDir(), 'state.json'), 'utf8'))).lastSuccessAt).toBeTypeOf('number');
  }, 60_000);

  it('a restart at login shows "synced" as its first tray line within 10 s, with the next sync time, and never "starting"', async () => {
    const decisionsBefore = (await firstSyncDecisions()).length;
    const again = headless(['--hidden']);
    const first = await again.line(/^tray: /);
    expect(first.text).toMatch(/^tray: synced Device Agent — Synced: Synced (just now|\d+ min ago)/);
    expect(first.at).toBeLessThan(10_000);
    // Once the start has decided: the next sync time, the regular splay (everything was in sync).
    await again.line(/^tray: synced Device Agent — Synced: Synced (just now|\d+ min ago) — next sync in \d+ (s|min)$/);
    expect(again.lines.filter((l) => l.text.startsWith('tray: starting'))).toEqual([]);
    await again.quit();
    const decisions = (await firstSyncDecisions()).slice(decisionsBefore);
    expect(decisions).toMatchObject([{ reason: 'drift' }]);
    expect(decisions[0]!.inMs).toBeLessThan(15 * 60_000);
  }, 60_000);

  it('SIGTERM while the app is still starting (at its first tray line): it quits, exit code 0, within its bounds', async () => {
    // A login that ends at once, or a service stopped during its start: the signal must not be
    // lost between the start and the moment the quit sequence exists (CI once saw the app
    // still running 20 s after SIGTERM here).
    for (let round = 0; round < 3; round++) {
      const again = headless(['--hidden']);
      await again.line(/^tray: /);
      await again.quit();
    }
  }, 90_000);

  it('a static fact changed while the app was off: the tray says a value waits, and it is synced within the short splay', async () => {
    const file = join(stateDir(), 'state.json');
    const state = syncStateSchema.parse(JSON.parse(await readFile(file, 'utf8')));
    const fact = 'kernel'; // os.release(): what an OS update changes
    const actual = state.staticValues[fact];
    expect(actual).toBeTypeOf('string');
    expect(Object.keys(state.staticValues).filter((name) => !RESTART_NOISE.has(name)).sort()).toEqual(['agent_version', 'app_version', 'cpu_cores', 'cpu_model', 'kernel', 'os_arch', 'os_platform', 'ram_total_gb']);
    // What the state would hold had the OS been updated while the app was off: the server has the old value.
    for (const map of [state.staticValues, state.desired, state.acknowledged]) map[fact] = 'before-the-update';
    await writeFile(file, JSON.stringify(state));
    const tracksBefore = tracks(proxy).length;

    const again = headless(['--hidden'], { DEVICE_AGENT_TEST_SHORT_SPLAY_MS: '3000' });
    expect((await again.line(/^tray: /)).text).toMatch(/^tray: synced /); // the last known state, before the start looks
    const waiting = await again.line(/^tray: pending Device Agent — Pending: 1 value waiting — last synced .*; next sync in (a moment|\d+ s)$/);
    const syncing = await again.line(/^tray: syncing /, waiting);
    const synced = await again.line(/^tray: synced Device Agent — Synced: Synced just now$/, syncing);
    expect(again.lines.filter((l) => l.text.startsWith('tray: starting'))).toEqual([]);
    expect(synced.at - waiting.at).toBeLessThan(3_000 + 5_000); // the splay, plus the cycle's own requests under a loaded machine
    await again.quit();

    const [decision] = (await firstSyncDecisions()).slice(-1);
    expect(decision).toMatchObject({ reason: 'static-changed', changed: [fact] });
    expect(decision!.inMs).toBeLessThanOrEqual(3_000);
    const sent = tracks(proxy).slice(tracksBefore);
    expect(sent.length).toBeGreaterThanOrEqual(1);
    expect((sent[0]!.body as { variables: Record<string, unknown> }).variables[fact]).toBe(actual);
    expect(sandbox.admin.deviceVariables(sandbox.demo.product, hardwareIdOf(proxy))[fact]).toBe(String(actual));
    expect(proxy.exchanges.flatMap((e) => e.violations)).toEqual([]);
  }, 60_000);
});

function tracks(proxy: RecordingProxy) {
  return proxy.exchanges.filter((e) => e.endpoint === 'track_device_variables' && e.status === 200);
}

function hardwareIdOf(proxy: RecordingProxy): string {
  const body = proxy.exchanges.find((e) => (e.body as { hardware_id?: string } | undefined)?.hardware_id !== undefined)?.body as { hardware_id: string };
  return body.hardware_id;
}
