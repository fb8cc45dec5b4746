// The built desktop app updating itself on the Electron stand-in, with the REAL
// electron-updater (its AppImage updater: this is Linux) against a local generic
// update server (update-server.ts) on loopback. Each machine is an unpackaged
// app with electron-updater's developer opt-in (dev-app-update.yml beside its
// package.json, which says version 1.0.0) and an "installed AppImage" that is a
// file in the scenario; the update's artifact is a script that records how it
// was started, so electron-updater's real AppImage install — delete the old file,
// move the new one in, run it — happens here and leaves a trace.
// What this cannot prove (a real AppImage's own install step, the NSIS installer and its
// elevation, Windows/macOS signature checks): test/electron-standin/README.md.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserServer } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/server.ts';
import type { UpdateView } from '../../preload/contract.ts';
import type { StandinApp } from '../electron-standin/driver.ts';
import { browserServer, createScenario, eventually, firstTray, haveChromium, root, sharedAppBuild, trayState, type Scenario } from './fixture.ts';
import { appImageName, linuxChannelFile, recordingAppImage, startUpdateServer, type UpdateServer } from './update-server.ts';

const CURRENT = '1.0.0';
const NEXT = '1.1.0';

describe.skipIf(!haveChromium)('desktop app updates (electron-updater against a local update server)', () => {
  let browser: BrowserServer;
  let sandbox: Sandbox;
  let build = '';
  const scenarios: Scenario[] = [];
  const servers: UpdateServer[] = [];

  beforeAll(async () => {
    [build, browser, sandbox] = await Promise.all([sharedAppBuild(), browserServer(), startSandbox({ port: 0, rsaBits: 1024 })]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(scenarios.map((s) => s.close()));
    await Promise.all(servers.map((s) => s.close()));
    await Promise.all([browser?.close(), sandbox?.close()]);
  });

  async function updateServer(): Promise<UpdateServer> {
    const s = await startUpdateServer();
    servers.push(s);
    return s;
  }

  interface Machine {
    scenario: Scenario;
    appDir: string;
    appsDir: string;
    /** The AppImage this machine "runs from" (process.env.APPIMAGE). */
    appImage: string;
    launch(version?: string): Promise<StandinApp>;
  }

  /**
   * A machine running Device Agent CURRENT from an AppImage, configured by IT (the managed file:
   * the sandbox's credentials, plus `updates` when given), whose build names `feedUrl`.
   */
  async function machine(feedUrl: string, updates?: Record<string, unknown>): Promise<Machine> {
    const scenario = await createScenario(build, browser, { DEVICE_AGENT_TEST_UPDATE_MS: '300' });
    scenarios.push(scenario);
    const appDir = join(scenario.dir, 'app');
    const appsDir = join(scenario.dir, 'apps');
    const appImage = join(appsDir, appImageName(CURRENT));
    await mkdir(appDir, { recursive: true });
    await mkdir(appsDir, { recursive: true });
    await writeFile(join(appDir, 'dev-app-update.yml'), `provider: generic\nurl: ${feedUrl}\nupdaterCacheDirName: device-agent-updater\n`);
    await writeFile(appImage, recordingAppImage(CURRENT));
    await chmod(appImage, 0o755);
    await scenario.writeManaged({
      apiUrl: sandbox.url, apiKey: sandbox.demo.apiKey, sharedKey: sandbox.demo.sharedKey, product: sandbox.demo.product,
      licenseKey: sandbox.demo.licenseKey, autoActivate: true, allow: ['os_platform', 'os_arch', 'cpu_*', 'ram_*'],
      ...(updates ? { updates } : {}),
    });
    return {
      scenario, appDir, appsDir, appImage,
      async launch(version = CURRENT) {
        const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
        await writeFile(join(appDir, 'package.json'), JSON.stringify({ ...pkg, version }));
        return scenario.launch({ env: { ELECTRON_STANDIN_APP_PATH: appDir, APPIMAGE: appImage } });
      },
    };
  }

  /** The update part of the status the window shows (through the real preload bridge). */
  async function updateOf(app: StandinApp): Promise<UpdateView | undefined> {
    const win = await app.window(20_000);
    const reply = await app.page<string>(win.id, { action: 'evaluate', fn: '() => window.deviceAgent.getStatus().then((r) => JSON.stringify(r))' });
    const parsed = JSON.parse(reply) as { ok: boolean; value?: { update?: UpdateView } };
    return parsed.value?.update;
  }

  async function waitForUpdate(app: StandinApp, what: string, check: (u: UpdateView) => boolean, timeoutMs = 30_000): Promise<UpdateView> {
    let last: UpdateView | undefined;
    try {
      return await eventually(what, async () => {
        last = await updateOf(app);
        return last && check(last) ? last : undefined;
      }, timeoutMs);
    } catch (error) {
      throw new Error(`${(error as Error).message}; last update status: ${JSON.stringify(last)}\n--- app stderr ---\n${app.stderr().slice(-3000)}`, { cause: error });
    }
  }

  /** The update line the window's Overview shows (once the status pushed to it has it). */
  async function windowSummary(app: StandinApp): Promise<string> {
    const win = await app.window();
    const expected = (await updateOf(app))?.summary;
    return eventually('the window to show the update', async () => {
      const text = await app.page<string>(win.id, { action: 'textContent', selector: '#update-summary' });
      return text === expected ? text : undefined;
    }).catch(async () => app.page<string>(win.id, { action: 'textContent', selector: '#update-summary' }));
  }

  const installLog = async (m: Machine) => (existsSync(join(m.appsDir, 'install-log.txt')) ? readFile(join(m.appsDir, 'install-log.txt'), 'utf8') : '');
  const pendingFiles = async (m: Machine) => {
    const dir = join(m.scenario.home, '.cache', 'device-agent-updater', 'pending');
    return existsSync(dir) ? readdir(dir) : [];
  };

  describe.concurrent('each on its own machine', () => {
    it('finds, downloads and verifies a new version; offers Restart to update in the tray and the window; installs it when the app quits', async () => {
      const server = await updateServer();
      server.publish({ version: NEXT, artifact: recordingAppImage(NEXT) });
      const m = await machine(server.url);
      const app = await m.launch();
      const ready = await waitForUpdate(app, 'the update to be ready', (u) => u.state === 'ready');
      expect(ready).toMatchObject({ currentVersion: CURRENT, version: NEXT, canRestart: true });
      expect(ready.summary).toBe(`Version ${NEXT} is downloaded and verified: it is installed when Device Agent quits, or now with Restart to update.`);
      expect(server.requests).toEqual([`/${linuxChannelFile()}`, `/${appImageName(NEXT)}`]);
      const snap = await app.waitFor('the tray to offer Restart to update', (s) => firstTray(s)?.menu?.find((i) => i.id === 'restart-to-update'));
      expect(snap.label).toBe(`Restart to update (version ${NEXT})`);
      const win = await app.window();
      expect(await app.page(win.id, { action: 'textContent', selector: '#app-version' })).toBe(CURRENT);
      expect(await app.page(win.id, { action: 'evaluate', fn: '() => document.querySelector("#restart-to-update").hidden' })).toBe(false);
      expect(await windowSummary(app)).toBe(ready.summary);
      await app.page(win.id, { action: 'screenshot', path: join(root, 'test-results', 'update-ready.png') });
      // The app synced meanwhile: the update check did not get in its way.
      await app.waitFor('the tray to say synced', (s) => trayState(firstTray(s)) === 'synced');

      await app.clickMenuItem('quit');
      expect((await app.exited).code).toBe(0);
      // electron-updater's AppImage install at quit: the old file deleted, the new one moved in under its
      // version's name and run once with APPIMAGE_EXIT_AFTER_INSTALL (it exits right after installing).
      const log = await installLog(m);
      const installed = join(m.appsDir, appImageName(NEXT));
      expect(log).toBe(`started ${installed} \nAPPIMAGE_SILENT_INSTALL=true\nAPPIMAGE_EXIT_AFTER_INSTALL=true\n`);
      expect(existsSync(m.appImage)).toBe(false);
      expect(await readFile(installed)).toEqual(recordingAppImage(NEXT));
    }, 90_000);

    it('"Restart to update" in the window installs now, quits, starts the new version; its next start says it was updated', async () => {
      const server = await updateServer();
      server.publish({ version: NEXT, artifact: recordingAppImage(NEXT) });
      const m = await machine(server.url);
      const app = await m.launch();
      await waitForUpdate(app, 'the update to be ready', (u) => u.state === 'ready');
      const win = await app.window();
      await app.page(win.id, { action: 'click', selector: '#restart-to-update' });
      expect((await app.exited).code).toBe(0);
      // Started detached with --force-run semantics: APPIMAGE_SILENT_INSTALL, not EXIT_AFTER_INSTALL.
      const installed = join(m.appsDir, appImageName(NEXT));
      await eventually('the new version to start', async () => (await installLog(m)).includes(`started ${installed}`));
      expect(await installLog(m)).toBe(`started ${installed} \nAPPIMAGE_SILENT_INSTALL=true\nAPPIMAGE_EXIT_AFTER_INSTALL=\n`);
      expect(app.events.filter((e) => e.event === 'auto-updater').map((e) => (e.data as { event: string }).event)).toEqual(['before-quit-for-update']);

      const after = await m.launch(NEXT); // what the new version's next start finds
      const update = await waitForUpdate(after, 'the status to say what happened', (u) => u.lastCheckAt !== undefined);
      expect(update).toMatchObject({ currentVersion: NEXT, state: 'idle', summary: `Up to date. Updated from version ${CURRENT} at this start.` });
      await after.stop();
    }, 90_000);

    it('refuses a download whose sha512 does not match what the server published: deleted, reported, never installed', async () => {
      const server = await updateServer();
      server.publish({ version: NEXT, artifact: recordingAppImage(NEXT), tampered: true });
      const m = await machine(server.url);
      const app = await m.launch();
      const failed = await waitForUpdate(app, 'the download to fail verification', (u) => u.state === 'failed');
      expect(failed.summary).toMatch(new RegExp(`^Version ${NEXT.replace(/\./g, '\\.')} failed verification \\(it does not match the checksum the update server published\\) and was deleted\\. Device Agent checks again in \\d+(\\.\\d)? h\\.$`));
      expect(failed.canRestart).toBe(false);
      expect(await windowSummary(app)).toBe(failed.summary); // the window says so too
      expect(await pendingFiles(m)).toEqual([]);
      expect(firstTray(await app.snapshot())?.menu?.some((i) => i.id === 'restart-to-update')).toBe(false);
      await app.clickMenuItem('quit');
      expect((await app.exited).code).toBe(0);
      expect(await installLog(m)).toBe('');
      expect(existsSync(m.appImage)).toBe(true);
    }, 90_000);

    it('a download cut off halfway is tried again (with backoff) and then succeeds', async () => {
      const server = await updateServer();
      server.publish({ version: NEXT, artifact: recordingAppImage(NEXT), cutDownloads: 1 });
      const m = await machine(server.url);
      const app = await m.launch();
      await waitForUpdate(app, 'the update to be ready', (u) => u.state === 'ready');
      expect(server.requests.filter((p) => p.endsWith('.AppImage'))).toHaveLength(2);
      expect(app.stdout() + app.stderr()).toMatch(/downloading update 1\.1\.0 failed \(the update server could not be reached \(net::ERR_CONTENT_LENGTH_MISMATCH\)\); trying again in/);
      await app.stop();
    }, 90_000);

    it('updates.enabled: false — never asks the update server, and says so', async () => {
      const server = await updateServer();
      server.publish({ version: NEXT, artifact: recordingAppImage(NEXT) });
      const m = await machine(server.url, { enabled: false });
      const app = await m.launch();
      // Past the moment the first check would have come: the next one is hours away.
      const off = await waitForUpdate(app, 'the first check time to pass', (u) => (u.nextCheckAt ?? 0) - Date.now() > 3_600_000);
      expect(off).toMatchObject({ state: 'off', summary: 'Updates are turned off by your administrator (managed configuration).', canRestart: false });
      expect(server.requests).toEqual([]);
      await app.stop();
    }, 90_000);

    it('updates.pin: a version past the pin is held (not downloaded); a pin below the running version brings it back down', async () => {
      const server = await updateServer();
      server.publish({ version: NEXT, artifact: recordingAppImage(NEXT) });
      const held = await machine(server.url, { pin: '1.0.5' });
      const heldApp = await held.launch();
      const h = await waitForUpdate(heldApp, 'the update to be held', (u) => u.state === 'held');
      expect(h.summary).toBe(`Version ${NEXT} is available; your administrator keeps this computer at 1.0.5 or lower.`);
      expect(server.requests.filter((p) => p.endsWith('.AppImage'))).toEqual([]);

      const older = await updateServer();
      older.publish({ version: '0.9.0', artifact: recordingAppImage('0.9.0') });
      const plain = await machine(older.url); // no pin: no downgrade
      const down = await machine(older.url, { pin: '0.9.0' });
      const [plainApp, downApp] = await Promise.all([plain.launch(), down.launch()]);
      expect(await waitForUpdate(plainApp, 'the check', (u) => u.state === 'idle' && u.lastCheckAt !== undefined)).toMatchObject({ summary: 'Up to date.' });
      expect(await waitForUpdate(downApp, 'the downgrade to be ready', (u) => u.state === 'ready')).toMatchObject({ version: '0.9.0' });
      await Promise.all([heldApp.stop(), plainApp.stop(), downApp.stop()]);
    }, 90_000);

    it('updates.url and updates.channel: IT\'s server and the beta channel, over what the build names', async () => {
      const builds = await updateServer();
      builds.publish({ version: NEXT, artifact: recordingAppImage(NEXT) });
      const mirror = await updateServer();
      mirror.publish({ version: '1.2.0-beta.1', channel: 'beta', artifact: recordingAppImage('1.2.0-beta.1') });
      const m = await machine(builds.url, { url: mirror.url, channel: 'beta' });
      const app = await m.launch();
      expect(await waitForUpdate(app, 'the beta to be ready', (u) => u.state === 'ready')).toMatchObject({ version: '1.2.0-beta.1' });
      expect(mirror.requests[0]).toBe(`/${linuxChannelFile('beta')}`);
      expect(builds.requests).toEqual([]);
      await app.stop();
    }, 90_000);

    it('honours a staged rollout: a machine outside stagingPercentage is told it comes later; one inside gets it', async () => {
      const server = await updateServer();
      const half = await updateServer();
      server.publish({ version: NEXT, artifact: recordingAppImage(NEXT), stagingPercentage: 40 });
      half.publish({ version: NEXT, artifact: recordingAppImage(NEXT), stagingPercentage: 60 });
      // electron-updater places a machine by the last 4 bytes of its staging id (userData/.updaterId): 0x80000000 is 50 %.
      const id = `${randomUUID().slice(0, 28)}80000000`;
      const [outside, inside] = await Promise.all([machine(server.url), machine(half.url)]);
      for (const m of [outside, inside]) {
        await mkdir(m.scenario.userData, { recursive: true });
        await writeFile(join(m.scenario.userData, '.updaterId'), id);
      }
      const [outApp, inApp] = await Promise.all([outside.launch(), inside.launch()]);
      expect(await waitForUpdate(outApp, 'the check', (u) => u.lastCheckAt !== undefined && u.state === 'idle')).toMatchObject({
        summary: `Up to date. Version ${NEXT} is being rolled out in stages and reaches this computer later.`,
      });
      expect(server.requests.filter((p) => p.endsWith('.AppImage'))).toEqual([]);
      expect(await waitForUpdate(inApp, 'the update to be ready', (u) => u.state === 'ready')).toMatchObject({ version: NEXT });
      await Promise.all([outApp.stop(), inApp.stop()]);
    }, 90_000);

    it('an update server that cannot be reached leaves the app working: it syncs, and the status says when it tries again', async () => {
      const server = await updateServer();
      const url = server.url;
      await server.close();
      const m = await machine(url);
      const app = await m.launch();
      const failed = await waitForUpdate(app, 'the check to fail', (u) => u.state === 'failed');
      expect(failed.summary).toMatch(/^Could not check for updates: the update server could not be reached \(net::ERR_CONNECTION_REFUSED\)\. Tries again in \d+ s\.$/);
      await app.waitFor('the tray to say synced', (s) => trayState(firstTray(s)) === 'synced');
      expect((await sandbox.admin.requests()).length).toBeGreaterThan(0);
      await app.stop();
    }, 90_000);
  });
});
