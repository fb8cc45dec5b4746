// The desktop app keeping itself current: electron-updater (handed in, so unit
// tests pass a fake and the stand-in runs the real one against a local server)
// under IT's policy (the managed file's `updates`: enabled, url, channel, pin).
//
// When: a first check a random while after start, then every 6–24 h (drawn anew each
// time, so a fleet does not ask at once), never while a sync is in flight. A check that
// finds a version downloads it in the background; electron-updater verifies its sha512
// (and, on Windows, that it is signed by the publisher app-update.yml names) and deletes
// it when that fails. It installs when the app quits, or at once when the person chooses
// "Restart to update" — never in the middle of a session by itself. An install that needs
// an administrator happens only on that choice (a password prompt at logout would be lost),
// and the status says so beforehand. No downgrade, unless the pin is below the running
// version. A failed check or download tries again with growing waits; the status says
// what happened and when the next try comes.
import type { AppUpdater, CancellationToken, ProgressInfo, UpdateDownloadedEvent, UpdateInfo } from 'electron-updater';
import semver from 'semver';
import type { AgentStatus } from '../app/agent-api.ts';
import type { UpdatePolicy } from '../app/config/update-policy.ts';
import { printable } from '../app/printable.ts';
import type { UpdateView } from '../preload/contract.ts';
import type { KeyValueStore, Logger } from './electron-seam.ts';
import { installNeeds, type InstallContext, type InstallNeeds } from './update-install.ts';
import { PRODUCT_NAME } from '../app/branding/index.ts';

/** The part of electron-updater's AppUpdater the shell uses. */
export type UpdaterSeam = Pick<AppUpdater,
  | 'autoDownload' | 'autoInstallOnAppQuit' | 'autoRunAppAfterInstall' | 'allowDowngrade' | 'channel' | 'forceDevUpdateConfig'
  | 'disableWebInstaller' | 'logger' | 'isUserWithinRollout' | 'setFeedURL' | 'checkForUpdates' | 'downloadUpdate' | 'quitAndInstall' | 'on'>;

export interface LoadedUpdater {
  updater: UpdaterSeam;
  /** A cancellation token electron-updater accepts (builder-util-runtime's class, from the loaded module). */
  newCancellationToken(): Pick<CancellationToken, 'cancel' | 'cancelled'>;
}

/** The managed file's update policy as read now ('broken': the file cannot be used, so nothing IT set can be known). */
export type PolicyRead = { state: 'ok'; policy: UpdatePolicy } | { state: 'broken'; path: string };

export interface UpdateTiming {
  /** The first check: a random moment in this range after start (ms). */
  firstCheck: readonly [number, number];
  /** Between regular checks: a random wait in this range, drawn each time (ms). */
  interval: readonly [number, number];
  /** The first wait after a failed check; it doubles up to the shortest regular wait. */
  checkRetry: number;
  /** The first wait after a failed download; it doubles each time. */
  downloadRetry: number;
  /** Download attempts per check before waiting for the next regular check. */
  downloadAttempts: number;
  /** A check that has not answered by then has failed (Electron's net.request has no timeout of its own). */
  checkTimeout: number;
  /** A download with no progress for this long is cancelled and tried again. */
  downloadStall: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const UPDATE_TIMING: UpdateTiming = {
  firstCheck: [2 * MINUTE, 15 * MINUTE],
  interval: [6 * HOUR, 24 * HOUR],
  checkRetry: 30 * MINUTE,
  downloadRetry: MINUTE,
  downloadAttempts: 5,
  checkTimeout: 2 * MINUTE,
  downloadStall: 15 * MINUTE,
};

/**
 * DEVICE_AGENT_TEST_UPDATE_MS (tests): the first check, and the first retry waits, after this
 * many ms. Honoured only by an unpackaged app, as the other test knobs.
 */
export function testUpdateTiming(env: NodeJS.ProcessEnv, isPackaged: boolean, log: Logger): Partial<UpdateTiming> {
  const text = env.DEVICE_AGENT_TEST_UPDATE_MS;
  if (isPackaged || text === undefined || text === '') return {};
  const ms = Number(text);
  if (!/^\d+$/.test(text.trim()) || ms > 10 * MINUTE) {
    log.warn(`DEVICE_AGENT_TEST_UPDATE_MS ignored: ${JSON.stringify(text.slice(0, 40))} is not a whole number of ms up to ${10 * MINUTE}`);
    return {};
  }
  return { firstCheck: [ms, ms], checkRetry: ms, downloadRetry: ms };
}

/** The settings-store key remembering an install that was started (to tell, at the next start, whether it happened). */
export const INSTALL_ATTEMPT_KEY = 'updateInstallAttempt';

export interface UpdaterDeps {
  /** Loads electron-updater's updater for this platform (only once updates are on). */
  load(): Promise<LoadedUpdater>;
  /** Reads the managed file's update policy (again before every check: IT's change applies without a restart). */
  policy(): PolicyRead;
  currentVersion: string;
  isPackaged: boolean;
  /**
   * An unpackaged app (a checkout) updates only when its developer asks for it with a
   * dev-app-update.yml next to package.json (electron-updater's forceDevUpdateConfig).
   */
  hasDevUpdateConfig(): boolean;
  /**
   * Windows only: whether app-update.yml names the publisher whose signature an installer
   * must carry. A build without it (not code-signed) does not update itself on Windows.
   */
  hasPublisherName?(): boolean;
  install: InstallContext;
  /** The engine's status: no check starts while a sync is in flight. */
  host: { status(): Pick<AgentStatus, 'phase'>; onStatus(listener: (status: Pick<AgentStatus, 'phase'>) => void): () => void };
  store: KeyValueStore;
  log: Logger;
  timing?: Partial<UpdateTiming>;
  random?: () => number;
  now?: () => number;
  /** The AppImage was installed under another name (electron-updater names the new file after its version). */
  onAppImageMoved?(path: string): void;
}

export interface Updater {
  view(): UpdateView;
  onChange(listener: (view: UpdateView) => void): () => void;
  /** Starts the schedule (the first check comes a random while later). */
  start(): void;
  /**
   * "Restart to update": installs the update that is ready and has electron-updater quit the
   * app (and start the new version). False when none is ready or the install could not start
   * (the next start says so): then the caller restarts the app as it is.
   */
  installAndQuit(): boolean;
  /** Before a plain quit: the update installs on quit only if the policy still allows it (and it needs no administrator). */
  prepareQuit(): void;
  close(): void;
}

type Timer = ReturnType<typeof setTimeout>;

interface InstallAttempt { version: string; from: string; at: number }

function isInstallAttempt(value: unknown): value is InstallAttempt {
  const v = value as InstallAttempt | undefined;
  return typeof v === 'object' && v !== null && typeof v.version === 'string' && typeof v.from === 'string' && typeof v.at === 'number';
}

/** In words: "in 3 h", "in 12 min", "in 40 s". */
export function inWords(ms: number): string {
  if (ms >= 10 * HOUR) return `in ${Math.round(ms / HOUR)} h`;
  if (ms >= HOUR) return `in ${Math.round((ms / HOUR) * 10) / 10} h`;
  if (ms >= MINUTE) return `in ${Math.round(ms / MINUTE)} min`;
  return `in ${Math.max(1, Math.round(ms / 1000))} s`;
}

/** What went wrong, for a person: the network error or the server's answer, never a stack or a whole reply. */
export function describeUpdateError(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown; statusCode?: unknown };
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const net = /net::ERR_[A-Z_]+/.exec(message)?.[0];
  if (net) return `the update server could not be reached (${net})`;
  if (code === 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND') return `the update server has no ${/"([^"]+)"/.exec(message)?.[1] ?? 'update file'} for this channel`;
  if (code === 'ERR_UPDATER_INVALID_UPDATE_INFO') return 'the update server\'s update file could not be read';
  if (code === 'ERR_UPDATER_INVALID_VERSION') return 'the update server names a version that is not a valid version number';
  if (code.startsWith('HTTP_ERROR_')) return `the update server answered HTTP ${code.slice('HTTP_ERROR_'.length)}`;
  const status = /status (\d{3})/.exec(message)?.[1];
  if (status) return `the update server answered HTTP ${status}`;
  const first = message.split('\n')[0] ?? '';
  return printable(first.length > 160 ? `${first.slice(0, 159)}…` : first);
}

function isVerificationFailure(error: unknown): 'checksum' | 'signature' | undefined {
  const e = error as { code?: unknown; message?: unknown };
  if (e?.code === 'ERR_CHECKSUM_MISMATCH' || (typeof e?.message === 'string' && /checksum mismatch/i.test(e.message))) return 'checksum';
  if (e?.code === 'ERR_UPDATER_INVALID_SIGNATURE') return 'signature';
  return undefined;
}

function adminRightsRequired(info: UpdateInfo): boolean {
  return (info.files ?? []).some((f) => f.isAdminRightsRequired === true);
}

class CheckTimeout extends Error {
  constructor(ms: number) {
    super(`the update server did not answer within ${Math.round(ms / 1000)} s`);
  }
}

export function createUpdater(deps: UpdaterDeps): Updater {
  const timing: UpdateTiming = { ...UPDATE_TIMING, ...deps.timing };
  const random = deps.random ?? Math.random;
  const now = deps.now ?? Date.now;
  const { log, currentVersion } = deps;
  const listeners = new Set<(view: UpdateView) => void>();
  let view: UpdateView = { currentVersion, state: 'idle', summary: 'Checks for updates in the background.', canRestart: false };
  let loaded: LoadedUpdater | undefined;
  let timer: Timer | undefined;
  let sleeper: { timer: Timer; resolve(): void } | undefined;
  let closed = false;
  let busy = false;
  let checkFailures = 0;
  let appliedFeedUrl: string | undefined;
  let appliedChannel: string | undefined;
  /** The version downloaded and verified, waiting to be installed. */
  let downloaded: { version: string; needs: InstallNeeds } | undefined;
  /** A version the staged rollout has not reached this computer with yet. */
  let stagedOut: string | undefined;
  let installing = false;
  let installError: unknown;
  let lastProgressAt = 0;
  let lastPercent = -1;
  /** Said for the rest of the session once an update was installed (" Updated from version … at this start."). */
  let updatedFrom = '';

  const set = (next: Omit<UpdateView, 'currentVersion' | 'canRestart' | 'lastCheckAt' | 'nextCheckAt'> & Partial<Pick<UpdateView, 'canRestart'>>) => {
    view = {
      currentVersion, canRestart: false, ...next,
      ...(view.lastCheckAt !== undefined ? { lastCheckAt: view.lastCheckAt } : {}),
      ...(view.nextCheckAt !== undefined ? { nextCheckAt: view.nextCheckAt } : {}),
    };
    for (const l of listeners) l(view);
  };
  const setTimes = (times: { lastCheckAt?: number; nextCheckAt?: number | undefined }) => {
    view = { ...view, ...times };
    if (times.nextCheckAt === undefined && 'nextCheckAt' in times) delete view.nextCheckAt;
    for (const l of listeners) l(view);
  };

  const between = ([min, max]: readonly [number, number]) => min + Math.floor(random() * (max - min + 1));
  /** A growing wait, drawn over [w, 2w] so that machines failing together do not retry together. */
  const backoff = (first: number, failures: number, cap = Number.POSITIVE_INFINITY) => {
    const w = Math.min(first * 2 ** Math.max(0, failures - 1), cap);
    return Math.round(w + random() * w);
  };

  const schedule = (ms: number) => {
    clearTimeout(timer);
    if (closed) return;
    timer = setTimeout(() => { timer = undefined; void check(); }, ms);
    timer.unref?.();
    setTimes({ nextCheckAt: now() + ms });
  };
  const regular = () => between(timing.interval);

  /** Waits `ms` (ends early when the updater closes). */
  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const t = setTimeout(() => { sleeper = undefined; resolve(); }, ms);
    t.unref?.();
    sleeper = { timer: t, resolve };
  });

  /** Why updates are off now, or undefined when they are on. */
  const offReason = (read: PolicyRead): string | undefined => {
    if (read.state === 'broken') return `Updates are off until the managed configuration (${read.path}) is fixed.`;
    if (!read.policy.enabled) return 'Updates are turned off by your administrator (managed configuration).';
    if (!deps.isPackaged && !deps.hasDevUpdateConfig()) return 'A development build (not installed) does not update itself.';
    if (deps.isPackaged && deps.install.platform === 'win32' && deps.hasPublisherName && !deps.hasPublisherName()) {
      return 'This build is not code-signed, so it could not check that an update comes from its publisher: it does not update itself.';
    }
    return undefined;
  };

  /** Until the engine is not syncing (no check competes with a sync for the network). */
  const notWhileSyncing = () => new Promise<void>((resolve) => {
    if (deps.host.status().phase !== 'syncing') {
      resolve();
      return;
    }
    const stop = deps.host.onStatus((s) => {
      if (s.phase === 'syncing' && !closed) return;
      stop();
      resolve();
    });
  });

  const ensureLoaded = async (): Promise<LoadedUpdater> => {
    if (loaded) return loaded;
    const l = await deps.load();
    const u = l.updater;
    u.logger = {
      info: (m?: unknown) => log.info(`updater: ${String(m)}`),
      warn: (m?: unknown) => log.warn(`updater: ${String(m)}`),
      error: (m?: unknown) => log.error(`updater: ${String(m)}`),
      debug: (m: string) => log.debug(`updater: ${m}`),
    };
    u.on('download-progress', (p: ProgressInfo) => {
      lastProgressAt = now();
      const percent = Math.floor(p.percent);
      if (percent === lastPercent || view.state !== 'downloading') return;
      lastPercent = percent;
      set({ state: 'downloading', version: view.version ?? '', percent, summary: `Downloading version ${view.version ?? ''} (${percent} %).` });
    });
    u.on('update-downloaded', (event: UpdateDownloadedEvent) => {
      const needs = installNeeds(deps.install, adminRightsRequired(event));
      downloaded = { version: event.version, needs };
      // At quit only what needs no administrator (a prompt at logout is lost, the install fails unseen).
      u.autoInstallOnAppQuit = !needs.elevation && !needs.blocked;
      log.info(`update ${event.version} downloaded and verified (${event.downloadedFile})${needs.elevation ? '; installing it needs an administrator' : ''}`);
      set(readyView(event.version, needs));
    });
    u.on('appimage-filename-updated', (path: string) => {
      log.info(`the AppImage was installed as ${path}`);
      deps.onAppImageMoved?.(path);
    });
    u.on('error', (error: Error) => {
      if (installing) installError = error;
    });
    // Tells "not for this computer yet" (a staged rollout) from "nothing new".
    const withinRollout = u.isUserWithinRollout;
    u.isUserWithinRollout = async (info: UpdateInfo) => {
      const inside = await withinRollout(info);
      if (!inside) stagedOut = info.version;
      return inside;
    };
    loaded = l;
    return l;
  };

  const readyView = (version: string, needs: InstallNeeds): Parameters<typeof set>[0] => ({
    state: 'ready', version, canRestart: !needs.blocked,
    summary: needs.elevation
      ? `Version ${version} is downloaded and verified. ${needs.elevation}`
      : `Version ${version} is downloaded and verified: it is installed when ${PRODUCT_NAME} quits, or now with Restart to update.`,
    ...(needs.elevation ? { elevation: needs.elevation } : {}),
  });

  /** Applies the policy to electron-updater before a check. */
  const configure = (u: UpdaterSeam, policy: UpdatePolicy) => {
    u.autoDownload = false; // downloads are started here, after the pin is checked
    u.autoRunAppAfterInstall = true;
    u.disableWebInstaller = true; // a web installer's package is not signature-checked; none is published
    if (!deps.isPackaged) u.forceDevUpdateConfig = true; // offReason let it through: dev-app-update.yml exists
    const channel = policy.channel ?? (appliedChannel ? 'latest' : undefined);
    if (channel && channel !== appliedChannel) {
      u.channel = channel;
      appliedChannel = channel;
    }
    if (policy.url && policy.url !== appliedFeedUrl) {
      u.setFeedURL({ provider: 'generic', url: policy.url, ...(appliedChannel ? { channel: appliedChannel } : {}) });
      appliedFeedUrl = policy.url;
    } else if (!policy.url && appliedFeedUrl) {
      log.warn('updates.url was removed from the managed configuration: the update server app-update.yml names applies from the next start');
    }
    // Setting the channel allows downgrades in electron-updater; only a pin below this version does here.
    u.allowDowngrade = policy.pin !== undefined && semver.lt(policy.pin, currentVersion);
  };

  /** A ready update the policy no longer allows (or the server no longer offers) is not installed. */
  const withdraw = (why: string) => {
    if (!downloaded || !loaded) return;
    loaded.updater.autoInstallOnAppQuit = false;
    log.warn(`the downloaded update ${downloaded.version} will not be installed: ${why}`);
    downloaded = undefined;
  };

  const pinAllows = (version: string, policy: UpdatePolicy) => policy.pin === undefined || !semver.gt(version, policy.pin);

  const check = async (): Promise<void> => {
    if (closed || busy) return;
    const read = deps.policy();
    const off = offReason(read);
    if (off) {
      withdraw('updates are off');
      set({ state: 'off', summary: off });
      schedule(regular());
      return;
    }
    const policy = (read as { policy: UpdatePolicy }).policy;
    busy = true;
    try {
      await notWhileSyncing();
      if (closed) return;
      const l = await ensureLoaded();
      const u = l.updater;
      configure(u, policy);
      const wasReady = view.state === 'ready' ? { ...view } : undefined;
      if (!wasReady) set({ state: 'checking', summary: 'Checking for updates…' });
      setTimes({ lastCheckAt: now(), nextCheckAt: undefined });
      stagedOut = undefined;
      let result: Awaited<ReturnType<UpdaterSeam['checkForUpdates']>>;
      try {
        result = await new Promise<typeof result>((resolve, reject) => {
          const t = setTimeout(() => reject(new CheckTimeout(timing.checkTimeout)), timing.checkTimeout);
          t.unref?.();
          u.checkForUpdates().then((r) => { clearTimeout(t); resolve(r); }, (e: unknown) => { clearTimeout(t); reject(e as Error); });
        });
      } catch (error) {
        checkFailures++;
        const wait = backoff(timing.checkRetry, checkFailures, timing.interval[0]);
        log.warn(`update check failed (${checkFailures} in a row): ${describeUpdateError(error)}; next try ${inWords(wait)}`);
        if (wasReady) set({ ...wasReady, canRestart: wasReady.canRestart });
        else set({ state: 'failed', summary: `Could not check for updates: ${describeUpdateError(error)}. Tries again ${inWords(wait)}.` });
        schedule(wait);
        return;
      }
      checkFailures = 0;
      if (result === null) {
        // electron-updater declined (e.g. not an AppImage, a Snap): nothing here can update.
        set({ state: 'off', summary: `This copy of ${PRODUCT_NAME} cannot update itself (see the log).` });
        schedule(regular());
        return;
      }
      const offered = result.updateInfo.version;
      if (!result.isUpdateAvailable) {
        withdraw(`the update server offers ${offered} now`);
        const staged = stagedOut ? ` Version ${stagedOut} is being rolled out in stages and reaches this computer later.` : '';
        set({ state: 'idle', summary: `Up to date.${staged}${updatedFrom}` });
        schedule(regular());
        return;
      }
      if (!pinAllows(offered, policy)) {
        withdraw(`it is past the pinned ${policy.pin}`);
        set({ state: 'held', version: offered, summary: `Version ${offered} is available; your administrator keeps this computer at ${policy.pin} or lower.` });
        schedule(regular());
        return;
      }
      const needs = installNeeds(deps.install, adminRightsRequired(result.updateInfo));
      if (needs.blocked) {
        set({ state: 'available', version: offered, summary: `Version ${offered} is available. ${needs.blocked}` });
        schedule(regular());
        return;
      }
      await download(l, offered);
    } catch (error) {
      log.error(`update check: ${describeUpdateError(error)}`);
      set({ state: 'failed', summary: `Could not check for updates: ${describeUpdateError(error)}.` });
      schedule(regular());
    } finally {
      busy = false;
    }
  };

  /** Downloads `version`, trying again with growing waits; electron-updater verifies it. */
  const download = async (l: LoadedUpdater, version: string): Promise<void> => {
    // electron-updater replaces a pending download with a new version's (and drops it if that one fails).
    if (downloaded && downloaded.version !== version) downloaded = undefined;
    for (let attempt = 1; !closed; attempt++) {
      if (downloaded?.version !== version) {
        lastPercent = -1;
        set({ state: 'downloading', version, percent: 0, summary: `Downloading version ${version}.` });
      }
      const token = l.newCancellationToken();
      lastProgressAt = now();
      const watchdog = setInterval(() => {
        if (now() - lastProgressAt > timing.downloadStall) token.cancel();
      }, Math.min(MINUTE, timing.downloadStall));
      watchdog.unref?.();
      try {
        await l.updater.downloadUpdate(token as CancellationToken);
        if (downloaded?.version === version) set(readyView(version, downloaded.needs));
        schedule(regular());
        return;
      } catch (error) {
        const verification = isVerificationFailure(error);
        if (verification) {
          const wait = regular();
          const what = verification === 'checksum'
            ? 'it does not match the checksum the update server published'
            : 'it is not signed by the publisher this app was built for';
          log.error(`update ${version} failed verification (${what}) and was deleted: ${describeUpdateError(error)}`);
          set({ state: 'failed', version, summary: `Version ${version} failed verification (${what}) and was deleted. ${PRODUCT_NAME} checks again ${inWords(wait)}.` });
          schedule(wait);
          return;
        }
        const reason = token.cancelled ? `no progress for ${Math.round(timing.downloadStall / MINUTE)} min` : describeUpdateError(error);
        if (attempt >= timing.downloadAttempts) {
          const wait = regular();
          log.warn(`downloading update ${version} failed ${attempt} times (${reason}); next check ${inWords(wait)}`);
          set({ state: 'failed', version, summary: `Downloading version ${version} failed ${attempt} times (${reason}). ${PRODUCT_NAME} checks again ${inWords(wait)}.` });
          schedule(wait);
          return;
        }
        const wait = backoff(timing.downloadRetry, attempt);
        log.warn(`downloading update ${version} failed (${reason}); trying again ${inWords(wait)}`);
        set({ state: 'available', version, summary: `Version ${version} is available; downloading it failed (${reason}). Tries again ${inWords(wait)}.` });
        setTimes({ nextCheckAt: now() + wait });
        await sleep(wait);
      } finally {
        clearInterval(watchdog);
      }
    }
  };

  const rememberAttempt = (version: string) => {
    deps.store.set(INSTALL_ATTEMPT_KEY, { version, from: currentVersion, at: now() } satisfies InstallAttempt);
  };

  /** What the last start asked to install, and whether it happened. */
  const lastAttempt = (): void => {
    const attempt = deps.store.get(INSTALL_ATTEMPT_KEY);
    if (!isInstallAttempt(attempt)) return;
    if (attempt.version === currentVersion) {
      log.info(`updated from ${attempt.from} to ${currentVersion}`);
      deps.store.delete(INSTALL_ATTEMPT_KEY);
      updatedFrom = ` Updated from version ${printable(attempt.from)} at this start.`;
      set({ state: 'idle', summary: updatedFrom.trim() });
    } else if (attempt.from === currentVersion) {
      log.warn(`installing update ${attempt.version} did not complete (asked at ${new Date(attempt.at).toISOString()})`);
      deps.store.delete(INSTALL_ATTEMPT_KEY);
      set({ state: 'failed', summary: `Installing version ${printable(attempt.version)} did not complete when ${PRODUCT_NAME} last quit (see the log). It is tried again.` });
    } else {
      deps.store.delete(INSTALL_ATTEMPT_KEY);
    }
  };

  return {
    view: () => view,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {
      lastAttempt();
      const off = offReason(deps.policy());
      if (off) set({ state: 'off', summary: off });
      schedule(between(timing.firstCheck));
    },
    installAndQuit() {
      if (!loaded || !downloaded || view.state !== 'ready' || downloaded.needs.blocked) return false;
      const read = deps.policy();
      const off = offReason(read);
      if (off || !pinAllows(downloaded.version, (read as { policy: UpdatePolicy }).policy)) {
        withdraw(off ?? 'it is past the pinned version');
        set({ state: off ? 'off' : 'held', summary: off ?? `Version ${downloaded?.version ?? ''} is past the version your administrator pinned.` });
        return false;
      }
      const version = downloaded.version;
      rememberAttempt(version);
      installing = true;
      installError = undefined;
      try {
        log.info(`installing update ${version} (Restart to update)`);
        loaded.updater.quitAndInstall(false, true);
      } catch (error) {
        installError = error;
      } finally {
        installing = false;
      }
      if (installError !== undefined) {
        // Kept: the next start says that this install did not happen.
        loaded.updater.autoInstallOnAppQuit = false;
        log.error(`installing update ${version} could not start: ${describeUpdateError(installError)}`);
        set({ state: 'failed', version, summary: `Installing version ${version} could not start: ${describeUpdateError(installError)}.` });
        return false;
      }
      return true;
    },
    prepareQuit() {
      if (!loaded || !downloaded) return;
      const read = deps.policy();
      const off = offReason(read);
      if (off) return withdraw(off);
      if (!pinAllows(downloaded.version, (read as { policy: UpdatePolicy }).policy)) return withdraw('it is past the pinned version');
      if (loaded.updater.autoInstallOnAppQuit) {
        rememberAttempt(downloaded.version);
        log.info(`update ${downloaded.version} is installed as ${PRODUCT_NAME} quits`);
      }
    },
    close() {
      closed = true;
      clearTimeout(timer);
      if (sleeper) {
        clearTimeout(sleeper.timer);
        sleeper.resolve();
      }
      listeners.clear();
    },
  };
}
