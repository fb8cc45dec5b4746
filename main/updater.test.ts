// The update schedule and policy, with a fake electron-updater (the seam) and fake
// timers. The real electron-updater runs against a local update server in
// test/desktop/updates.test.ts.
import { EventEmitter } from 'node:events';
import semver from 'semver';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { UpdatePolicy } from '../app/config/update-policy.ts';
import type { InstallContext } from './update-install.ts';
import { INSTALL_ATTEMPT_KEY, UPDATE_TIMING, createUpdater, describeUpdateError, testUpdateTiming, type PolicyRead, type UpdaterDeps, type UpdaterSeam } from './updater.ts';
import { memoryStore, recordingLog } from '../test/support/electron-fakes.ts';

const HOUR = 3_600_000;

type CheckResult = Awaited<ReturnType<UpdaterSeam['checkForUpdates']>>;

/** electron-updater as the shell sees it: scripted answers, and what it was told. */
class FakeUpdater extends EventEmitter {
  autoDownload = true;
  autoInstallOnAppQuit = true;
  autoRunAppAfterInstall = true;
  allowDowngrade = false;
  forceDevUpdateConfig = false;
  disableWebInstaller = false;
  logger: unknown = console;
  #channel: string | null = null;
  feeds: unknown[] = [];
  checks = 0;
  downloads = 0;
  installs: [boolean | undefined, boolean | undefined][] = [];
  /** The next answers of checkForUpdates (the last one repeats). */
  answers: (() => Promise<CheckResult>)[] = [];
  /** The next outcomes of downloadUpdate (the last one repeats). */
  downloadOutcomes: ('ok' | Error)[] = ['ok'];
  installThrows: Error | undefined;
  isUserWithinRollout = async (_info: unknown) => true;

  get channel(): string | null { return this.#channel; }
  set channel(value: string | null) {
    this.#channel = value;
    this.allowDowngrade = true; // as electron-updater does
  }

  setFeedURL(options: unknown): void { this.feeds.push(options); }

  checkForUpdates(): Promise<CheckResult> {
    this.checks++;
    const answer = this.answers.length > 1 ? this.answers.shift() : this.answers[0];
    return answer ? answer() : Promise.resolve(null);
  }

  async downloadUpdate(): Promise<string[]> {
    this.downloads++;
    const outcome = this.downloadOutcomes.length > 1 ? this.downloadOutcomes.shift() : this.downloadOutcomes[0];
    if (outcome instanceof Error) throw outcome;
    this.emit('download-progress', { percent: 50, total: 100, transferred: 50, delta: 50, bytesPerSecond: 1 });
    this.emit('update-downloaded', { ...this.offered, downloadedFile: `/cache/pending/Device-Agent-${this.offered.version}.AppImage` });
    return ['/cache/file'];
  }

  offered = info('1.1.0');
  /** The version the app runs (electron-updater compares with it). */
  current = '1.0.0';

  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void {
    if (this.installThrows) {
      this.emit('error', this.installThrows);
      return;
    }
    this.installs.push([isSilent, isForceRunAfter]);
  }

  offer(version: string, extra: Partial<ReturnType<typeof info>> = {}): this {
    this.offered = { ...info(version), ...extra };
    this.answers = [async () => {
      const available = version !== this.current && (await this.isUserWithinRollout(this.offered)) && (this.allowDowngrade || semver.gt(version, this.current));
      return { isUpdateAvailable: available, updateInfo: this.offered, versionInfo: this.offered } as unknown as CheckResult;
    }];
    return this;
  }
}

function info(version: string) {
  return { version, files: [{ url: `Device-Agent-${version}.AppImage`, sha512: 'x', size: 1 }] as { url: string; sha512: string; size: number; isAdminRightsRequired?: boolean }[], path: '', sha512: 'x', releaseDate: '' };
}

const writable: InstallContext = { platform: 'linux', execPath: '/opt/x', appImage: '/home/a/Device-Agent-1.0.0.AppImage', canWriteIn: () => true };

function setup(options: { policy?: UpdatePolicy | 'broken'; deps?: Partial<UpdaterDeps>; fake?: FakeUpdater } = {}) {
  const fake = options.fake ?? new FakeUpdater().offer('1.1.0');
  fake.current = options.deps?.currentVersion ?? '1.0.0';
  const log = recordingLog();
  const store = memoryStore();
  let phase: 'synced' | 'syncing' = 'synced';
  const statusListeners = new Set<(s: { phase: 'synced' | 'syncing' }) => void>();
  let policy: PolicyRead = options.policy === 'broken' ? { state: 'broken', path: '/etc/device-agent/config.json' } : { state: 'ok', policy: options.policy ?? { enabled: true } };
  const load = vi.fn(async () => ({ updater: fake as unknown as UpdaterSeam, newCancellationToken: () => ({ cancelled: false, cancel() { this.cancelled = true; } }) }));
  const updater = createUpdater({
    load, policy: () => policy, currentVersion: '1.0.0', isPackaged: true, hasDevUpdateConfig: () => false, install: writable,
    host: { status: () => ({ phase }), onStatus: (l) => { statusListeners.add(l); return () => statusListeners.delete(l); } },
    store, log, random: () => 0, ...options.deps,
  });
  return {
    fake, log, store, load, updater,
    setPhase(p: 'synced' | 'syncing') { phase = p; for (const l of [...statusListeners]) l({ phase: p }); },
    setPolicy(p: PolicyRead) { policy = p; },
    /** Runs the first check (random() = 0: at the start of the first-check range) and what follows at once. */
    async firstCheck() {
      updater.start();
      await vi.advanceTimersByTimeAsync(UPDATE_TIMING.firstCheck[0]);
    },
  };
}

beforeEach(() => { vi.useFakeTimers(); vi.setSystemTime(new Date('2031-01-01T00:00:00Z')); });
afterEach(() => { vi.useRealTimers(); });

describe('when it checks', () => {
  it('first a random while after start, then after a wait drawn anew from 6–24 h each time', async () => {
    const draws = [0.5, 0, 1 - 1e-12];
    const t = setup({ deps: { random: () => draws.shift() ?? 0 } });
    t.fake.offer('1.0.0'); // nothing new
    t.updater.start();
    const start = Date.now();
    const first = UPDATE_TIMING.firstCheck[0] + Math.floor(0.5 * (UPDATE_TIMING.firstCheck[1] - UPDATE_TIMING.firstCheck[0] + 1));
    expect(t.updater.view().nextCheckAt).toBe(start + first);
    await vi.advanceTimersByTimeAsync(first - 1);
    expect(t.fake.checks).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.fake.checks).toBe(1);
    expect(t.updater.view()).toMatchObject({ state: 'idle', summary: 'Up to date.', lastCheckAt: start + first, nextCheckAt: start + first + 6 * HOUR });
    await vi.advanceTimersByTimeAsync(6 * HOUR);
    expect(t.fake.checks).toBe(2);
    expect(t.updater.view().nextCheckAt).toBe(Date.now() + 24 * HOUR);
  });

  it('never while a sync is in flight: the check waits for the sync to end', async () => {
    const t = setup();
    t.setPhase('syncing');
    await t.firstCheck();
    expect(t.fake.checks).toBe(0);
    t.setPhase('synced');
    await vi.advanceTimersByTimeAsync(0);
    expect(t.fake.checks).toBe(1);
  });
});

describe('what it takes', () => {
  it('downloads what it finds in the background and offers Restart to update once it is verified; installs on quit', async () => {
    const t = setup();
    const seen: string[] = [];
    t.updater.onChange((v) => seen.push(v.state));
    await t.firstCheck();
    expect(t.fake.autoDownload).toBe(false);
    expect(t.fake.disableWebInstaller).toBe(true);
    expect(t.fake.downloads).toBe(1);
    expect(seen).toEqual(expect.arrayContaining(['checking', 'downloading', 'ready']));
    expect(t.updater.view()).toMatchObject({ state: 'ready', version: '1.1.0', canRestart: true, currentVersion: '1.0.0' });
    expect(t.updater.view().summary).toBe('Version 1.1.0 is downloaded and verified: it is installed when Device Agent quits, or now with Restart to update.');
    expect(t.fake.autoInstallOnAppQuit).toBe(true);
    t.updater.prepareQuit();
    expect(t.store.get(INSTALL_ATTEMPT_KEY)).toMatchObject({ version: '1.1.0', from: '1.0.0' });
  });

  it('Restart to update asks electron-updater to install now and start the new version', async () => {
    const t = setup();
    await t.firstCheck();
    expect(t.updater.installAndQuit()).toBe(true);
    expect(t.fake.installs).toEqual([[false, true]]);
    expect(t.store.get(INSTALL_ATTEMPT_KEY)).toMatchObject({ version: '1.1.0' });
  });

  it('an install that cannot start is reported, not retried at quit, and remembered for the next start', async () => {
    const t = setup();
    await t.firstCheck();
    t.fake.installThrows = new Error('EACCES: permission denied, unlink \'/opt/Device-Agent.AppImage\'');
    expect(t.updater.installAndQuit()).toBe(false);
    expect(t.fake.autoInstallOnAppQuit).toBe(false);
    expect(t.updater.view()).toMatchObject({ state: 'failed', summary: expect.stringContaining('could not start: EACCES') });
    expect(t.store.get(INSTALL_ATTEMPT_KEY)).toMatchObject({ version: '1.1.0' });
  });

  it('refuses Restart to update when nothing is ready', async () => {
    const t = setup({ fake: new FakeUpdater().offer('1.0.0') });
    await t.firstCheck();
    expect(t.updater.installAndQuit()).toBe(false);
    expect(t.fake.installs).toEqual([]);
  });

  it('tells at the next start whether the install happened', async () => {
    const done = setup({ deps: { currentVersion: '1.1.0' } });
    done.store.set(INSTALL_ATTEMPT_KEY, { version: '1.1.0', from: '1.0.0', at: 1 });
    done.updater.start();
    expect(done.updater.view()).toMatchObject({ state: 'idle', summary: 'Updated from version 1.0.0 at this start.' });
    expect(done.store.get(INSTALL_ATTEMPT_KEY)).toBeUndefined();
    done.fake.offer('1.1.0');
    await vi.advanceTimersByTimeAsync(UPDATE_TIMING.firstCheck[0]);
    expect(done.updater.view().summary).toBe('Up to date. Updated from version 1.0.0 at this start.'); // said all session
    const failed = setup();
    failed.store.set(INSTALL_ATTEMPT_KEY, { version: '1.1.0', from: '1.0.0', at: 1 });
    failed.updater.start();
    expect(failed.updater.view()).toMatchObject({ state: 'failed', summary: expect.stringContaining('Installing version 1.1.0 did not complete') });
  });

  it('a check that fails while an update is ready leaves it ready', async () => {
    const t = setup();
    await t.firstCheck();
    t.fake.answers = [() => Promise.reject(new Error('net::ERR_INTERNET_DISCONNECTED'))];
    await vi.advanceTimersByTimeAsync(6 * HOUR);
    expect(t.updater.view()).toMatchObject({ state: 'ready', version: '1.1.0', canRestart: true });
    expect(t.fake.autoInstallOnAppQuit).toBe(true);
  });

  it('a newer version replacing a ready one: if it fails, nothing is left to install (electron-updater dropped both)', async () => {
    const t = setup();
    await t.firstCheck();
    t.fake.offer('1.2.0');
    t.fake.downloadOutcomes = [Object.assign(new Error('sha512 checksum mismatch'), { code: 'ERR_CHECKSUM_MISMATCH' })];
    await vi.advanceTimersByTimeAsync(6 * HOUR);
    expect(t.updater.view()).toMatchObject({ state: 'failed', version: '1.2.0', canRestart: false });
    expect(t.updater.installAndQuit()).toBe(false);
    t.updater.prepareQuit();
    expect(t.store.get(INSTALL_ATTEMPT_KEY)).toBeUndefined();
  });

  it('a version the server no longer offers is not installed at quit (a pulled release)', async () => {
    const t = setup();
    await t.firstCheck();
    t.fake.offer('1.0.0');
    await vi.advanceTimersByTimeAsync(6 * HOUR);
    expect(t.fake.autoInstallOnAppQuit).toBe(false);
    expect(t.updater.view().state).toBe('idle');
    expect(t.updater.installAndQuit()).toBe(false);
  });

  it('says when a staged rollout has not reached this computer yet', async () => {
    const fake = new FakeUpdater();
    fake.isUserWithinRollout = async () => false;
    const t = setup({ fake: fake.offer('1.1.0') });
    await t.firstCheck();
    expect(t.fake.downloads).toBe(0);
    expect(t.updater.view()).toMatchObject({ state: 'idle', summary: 'Up to date. Version 1.1.0 is being rolled out in stages and reaches this computer later.' });
  });
});

describe('IT\'s policy', () => {
  it('updates.enabled: false never loads electron-updater, and says so', async () => {
    const t = setup({ policy: { enabled: false } });
    await t.firstCheck();
    await vi.advanceTimersByTimeAsync(48 * HOUR);
    expect(t.load).not.toHaveBeenCalled();
    expect(t.updater.view()).toMatchObject({ state: 'off', summary: 'Updates are turned off by your administrator (managed configuration).' });
  });

  it('a broken managed file turns updates off until it is fixed (read again before each check)', async () => {
    const t = setup({ policy: 'broken' });
    await t.firstCheck();
    expect(t.load).not.toHaveBeenCalled();
    expect(t.updater.view().summary).toContain('until the managed configuration (/etc/device-agent/config.json) is fixed');
    t.setPolicy({ state: 'ok', policy: { enabled: true } });
    await vi.advanceTimersByTimeAsync(6 * HOUR);
    expect(t.updater.view().state).toBe('ready');
  });

  it('updates.pin: a newer version past the pin is held (not downloaded)', async () => {
    const t = setup({ policy: { enabled: true, pin: '1.0.5' } });
    await t.firstCheck();
    expect(t.fake.downloads).toBe(0);
    expect(t.fake.allowDowngrade).toBe(false);
    expect(t.updater.view()).toMatchObject({ state: 'held', version: '1.1.0', summary: 'Version 1.1.0 is available; your administrator keeps this computer at 1.0.5 or lower.' });
  });

  it('updates.pin below the running version is the only way to a downgrade', async () => {
    const lower = setup({ policy: { enabled: true, pin: '0.9.0' }, fake: new FakeUpdater().offer('0.9.0') });
    await lower.firstCheck();
    expect(lower.fake.allowDowngrade).toBe(true);
    expect(lower.updater.view()).toMatchObject({ state: 'ready', version: '0.9.0' });
    const none = setup({ fake: new FakeUpdater().offer('0.9.0') });
    await none.firstCheck();
    expect(none.fake.allowDowngrade).toBe(false);
    expect(none.updater.view().state).toBe('idle');
  });

  it('updates.channel: sets electron-updater\'s channel without the downgrade it implies', async () => {
    const t = setup({ policy: { enabled: true, channel: 'beta' } });
    await t.firstCheck();
    expect(t.fake.channel).toBe('beta');
    expect(t.fake.allowDowngrade).toBe(false);
  });

  it('updates.url: the generic provider at IT\'s server, with the channel', async () => {
    const t = setup({ policy: { enabled: true, url: 'https://mirror.example.com/agent/', channel: 'beta' } });
    await t.firstCheck();
    expect(t.fake.feeds).toEqual([{ provider: 'generic', url: 'https://mirror.example.com/agent/', channel: 'beta' }]);
    await vi.advanceTimersByTimeAsync(6 * HOUR);
    expect(t.fake.feeds).toHaveLength(1); // set once, not at every check
  });

  it('a pin lowered after the download keeps it from being installed at quit', async () => {
    const t = setup();
    await t.firstCheck();
    t.setPolicy({ state: 'ok', policy: { enabled: true, pin: '1.0.0' } });
    t.updater.prepareQuit();
    expect(t.fake.autoInstallOnAppQuit).toBe(false);
    expect(t.store.get(INSTALL_ATTEMPT_KEY)).toBeUndefined();
    expect(t.updater.installAndQuit()).toBe(false);
  });

  it('a development build updates only with a dev-app-update.yml (then electron-updater is forced to use it)', async () => {
    const off = setup({ deps: { isPackaged: false } });
    await off.firstCheck();
    expect(off.load).not.toHaveBeenCalled();
    expect(off.updater.view().summary).toBe('A development build (not installed) does not update itself.');
    const dev = setup({ deps: { isPackaged: false, hasDevUpdateConfig: () => true } });
    await dev.firstCheck();
    expect(dev.fake.forceDevUpdateConfig).toBe(true);
    expect(dev.updater.view().state).toBe('ready');
  });

  it('on Windows, a build whose app-update.yml names no publisher (not code-signed) does not update itself', async () => {
    const t = setup({ deps: { install: { ...writable, platform: 'win32' }, hasPublisherName: () => false } });
    await t.firstCheck();
    expect(t.load).not.toHaveBeenCalled();
    expect(t.updater.view().summary).toContain('not code-signed');
  });
});

describe('what installing needs', () => {
  it('a per-machine install says it needs an administrator, installs only on Restart to update, not at quit', async () => {
    const fake = new FakeUpdater().offer('1.1.0', { files: [{ url: 'Device-Agent-Setup-1.1.0.exe', sha512: 'x', size: 1, isAdminRightsRequired: true }] });
    const t = setup({ fake, deps: { install: { ...writable, platform: 'win32', execPath: 'C:\\Program Files\\Device Agent\\Device Agent.exe' } } });
    await t.firstCheck();
    expect(t.fake.autoInstallOnAppQuit).toBe(false);
    expect(t.updater.view()).toMatchObject({ state: 'ready', canRestart: true, elevation: expect.stringContaining('administrator rights') });
    expect(t.updater.view().summary).toContain('Windows asks for them');
    t.updater.prepareQuit();
    expect(t.store.get(INSTALL_ATTEMPT_KEY)).toBeUndefined();
    expect(t.updater.installAndQuit()).toBe(true);
  });

  it('an AppImage this account may not replace: says whom to ask, downloads nothing', async () => {
    const t = setup({ deps: { install: { ...writable, appImage: '/opt/apps/Device-Agent-1.0.0.AppImage', canWriteIn: (dir) => dir !== '/opt/apps' } } });
    await t.firstCheck();
    expect(t.fake.downloads).toBe(0);
    expect(t.updater.view()).toMatchObject({ state: 'available', version: '1.1.0', canRestart: false, summary: expect.stringContaining('Ask your IT support') });
  });
});

describe('when something fails', () => {
  it('an unreachable server: the status says so and when; retries back off, then recover', async () => {
    const t = setup();
    t.fake.answers = [
      () => Promise.reject(new Error('net::ERR_CONNECTION_REFUSED')),
      () => Promise.reject(new Error('net::ERR_CONNECTION_REFUSED')),
    ];
    await t.firstCheck();
    expect(t.updater.view()).toMatchObject({ state: 'failed', summary: 'Could not check for updates: the update server could not be reached (net::ERR_CONNECTION_REFUSED). Tries again in 30 min.' });
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    expect(t.fake.checks).toBe(2);
    expect(t.updater.view().summary).toContain('Tries again in 1 h'); // doubled
    t.fake.offer('1.1.0');
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(t.updater.view().state).toBe('ready');
  });

  it('a check that never answers has failed after its deadline', async () => {
    const t = setup();
    t.fake.answers = [() => new Promise(() => undefined)];
    await t.firstCheck();
    await vi.advanceTimersByTimeAsync(UPDATE_TIMING.checkTimeout);
    expect(t.updater.view()).toMatchObject({ state: 'failed', summary: expect.stringContaining('did not answer within 120 s') });
  });

  it('an interrupted download is tried again with growing waits, up to its attempts', async () => {
    const t = setup();
    t.fake.downloadOutcomes = [new Error('net::ERR_CONNECTION_RESET'), new Error('net::ERR_CONNECTION_RESET'), 'ok'];
    await t.firstCheck();
    expect(t.updater.view()).toMatchObject({ state: 'available', summary: expect.stringContaining('downloading it failed (the update server could not be reached (net::ERR_CONNECTION_RESET)). Tries again in 1 min') });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(t.fake.downloads).toBe(2);
    expect(t.updater.view().summary).toContain('Tries again in 2 min');
    await vi.advanceTimersByTimeAsync(120_000);
    expect(t.fake.downloads).toBe(3);
    expect(t.updater.view().state).toBe('ready');

    const stubborn = setup();
    stubborn.fake.downloadOutcomes = [new Error('net::ERR_CONNECTION_RESET')];
    await stubborn.firstCheck();
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(stubborn.fake.downloads).toBe(UPDATE_TIMING.downloadAttempts);
    expect(stubborn.updater.view()).toMatchObject({ state: 'failed', summary: expect.stringContaining(`failed ${UPDATE_TIMING.downloadAttempts} times`) });
  });

  it('a download that fails verification is reported as deleted and not fetched again before the next regular check', async () => {
    const t = setup();
    t.fake.downloadOutcomes = [Object.assign(new Error('sha512 checksum mismatch, expected a, got b'), { code: 'ERR_CHECKSUM_MISMATCH' })];
    await t.firstCheck();
    expect(t.updater.view()).toMatchObject({ state: 'failed', version: '1.1.0', summary: 'Version 1.1.0 failed verification (it does not match the checksum the update server published) and was deleted. Device Agent checks again in 6 h.' });
    await vi.advanceTimersByTimeAsync(6 * HOUR - 1);
    expect(t.fake.downloads).toBe(1);
  });
});

describe('describeUpdateError', () => {
  it('names the network error or the server\'s answer, never a whole reply', () => {
    expect(describeUpdateError(Object.assign(new Error('Cannot find channel "latest-linux.yml" update info: HttpError: 404'), { code: 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND' }))).toBe('the update server has no latest-linux.yml for this channel');
    expect(describeUpdateError(Object.assign(new Error('Cannot parse update info ... rawData: <html>secret'), { code: 'ERR_UPDATER_INVALID_UPDATE_INFO' }))).toBe('the update server\'s update file could not be read');
    expect(describeUpdateError(new Error('Cannot download "https://x/y", status 503: Service Unavailable'))).toBe('the update server answered HTTP 503');
    expect(describeUpdateError(new Error('weird\u001b[31m\nsecond line'))).toBe('weird\\u001b[31m');
  });
});

describe('testUpdateTiming', () => {
  it('is honoured only by an unpackaged app', () => {
    const log = recordingLog();
    expect(testUpdateTiming({ DEVICE_AGENT_TEST_UPDATE_MS: '200' }, false, log)).toEqual({ firstCheck: [200, 200], checkRetry: 200, downloadRetry: 200 });
    expect(testUpdateTiming({ DEVICE_AGENT_TEST_UPDATE_MS: '200' }, true, log)).toEqual({});
    expect(testUpdateTiming({ DEVICE_AGENT_TEST_UPDATE_MS: 'soon' }, false, log)).toEqual({});
  });
});
