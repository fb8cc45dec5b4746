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
import type { CancellationToken, ProgressInfo, UpdateDownloadedEvent, UpdateInfo } from 'electron-updater';
import type { UpdatePolicy } from '../app/config/update-policy.ts';
import { printable } from '../app/printable.ts';
import { installNeeds, type InstallNeeds } from './update-install.ts';
import { PRODUCT_NAME } from '../app/branding/index.ts';
import { INSTALL_ATTEMPT_KEY, adminRightsRequired, installAttemptOutcome, offerVerdict, pinAllows, readyView, updatesOffReason, type CheckResult, type InstallAttempt, type PolicyRead } from './update-decisions.ts';
import { describeUpdateError, isVerificationFailure, withinCheckTimeout } from './update-errors.ts';
import { MINUTE, UPDATE_TIMING, backoffWait, createSleeper, drawBetween, inWords, untilNotSyncing, type UpdateTiming } from './update-timing.ts';
import { createFeedConfigurator, updaterLogger } from './update-feed.ts';
import { createUpdateView } from './update-view.ts';
import type { LoadedUpdater, Updater, UpdaterDeps } from './updater-types.ts';

export { INSTALL_ATTEMPT_KEY, type PolicyRead } from './update-decisions.ts';
export { describeUpdateError, isVerificationFailure } from './update-errors.ts';
export { UPDATE_TIMING, inWords, testUpdateTiming, type UpdateTiming } from './update-timing.ts';
export type { LoadedUpdater, Updater, UpdaterDeps, UpdaterSeam } from './updater-types.ts';

export function createUpdater(deps: UpdaterDeps): Updater {
  const timing: UpdateTiming = { ...UPDATE_TIMING, ...deps.timing };
  const random = deps.random ?? Math.random;
  const now = deps.now ?? Date.now;
  const { log, currentVersion } = deps;
  const views = createUpdateView(currentVersion);
  const configure = createFeedConfigurator({ isPackaged: deps.isPackaged, currentVersion, log });
  let loaded: LoadedUpdater | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  let busy = false;
  let checkFailures = 0;
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

  const { set, setTimes } = views;

  const between = (range: readonly [number, number]) => drawBetween(range, random);
  const backoff = (first: number, failures: number, cap?: number) => backoffWait(first, failures, random, cap);

  const schedule = (ms: number) => {
    clearTimeout(timer);
    if (closed) return;
    timer = setTimeout(() => { timer = undefined; void check(); }, ms);
    timer.unref?.();
    setTimes({ nextCheckAt: now() + ms });
  };
  const regular = () => between(timing.interval);

  const sleeper = createSleeper();

  const offReason = (read: PolicyRead) => updatesOffReason(read, { ...deps, platform: deps.install.platform });

  const ensureLoaded = async (): Promise<LoadedUpdater> => {
    if (loaded) return loaded;
    const l = await deps.load();
    const u = l.updater;
    u.logger = updaterLogger(log);
    u.on('download-progress', (p: ProgressInfo) => {
      lastProgressAt = now();
      const percent = Math.floor(p.percent);
      const view = views.get();
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

  /** A ready update the policy no longer allows (or the server no longer offers) is not installed. */
  const withdraw = (why: string) => {
    if (!downloaded || !loaded) return;
    loaded.updater.autoInstallOnAppQuit = false;
    log.warn(`the downloaded update ${downloaded.version} will not be installed: ${why}`);
    downloaded = undefined;
  };

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
      await untilNotSyncing(deps.host, () => closed);
      if (closed) return;
      const l = await ensureLoaded();
      const u = l.updater;
      configure(u, policy);
      const wasReady = views.get().state === 'ready' ? { ...views.get() } : undefined;
      if (!wasReady) set({ state: 'checking', summary: 'Checking for updates…' });
      setTimes({ lastCheckAt: now(), nextCheckAt: undefined });
      stagedOut = undefined;
      let result: CheckResult;
      try {
        result = await withinCheckTimeout(() => u.checkForUpdates(), timing.checkTimeout);
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
      const verdict = offerVerdict(result, policy, { install: deps.install, stagedOut, updatedFrom });
      if ('view' in verdict) {
        if (verdict.withdraw) withdraw(verdict.withdraw);
        set(verdict.view);
        schedule(regular());
        return;
      }
      await download(l, verdict.download);
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
        await sleeper.sleep(wait);
      } finally {
        clearInterval(watchdog);
      }
    }
  };

  const rememberAttempt = (version: string) => deps.store.set(INSTALL_ATTEMPT_KEY, { version, from: currentVersion, at: now() } satisfies InstallAttempt);

  /** What the last start asked to install, and whether it happened. */
  const lastAttempt = (): void => {
    const outcome = installAttemptOutcome(deps.store.get(INSTALL_ATTEMPT_KEY), currentVersion);
    if (!outcome) return;
    const { attempt } = outcome;
    deps.store.delete(INSTALL_ATTEMPT_KEY);
    if (outcome.kind === 'updated') {
      log.info(`updated from ${attempt.from} to ${currentVersion}`);
      updatedFrom = ` Updated from version ${printable(attempt.from)} at this start.`;
      set({ state: 'idle', summary: updatedFrom.trim() });
    } else if (outcome.kind === 'failed') {
      log.warn(`installing update ${attempt.version} did not complete (asked at ${new Date(attempt.at).toISOString()})`);
      set({ state: 'failed', summary: `Installing version ${printable(attempt.version)} did not complete when ${PRODUCT_NAME} last quit (see the log). It is tried again.` });
    }
  };

  return {
    view: () => views.get(),
    onChange: (listener) => views.onChange(listener),
    start() {
      lastAttempt();
      const off = offReason(deps.policy());
      if (off) set({ state: 'off', summary: off });
      schedule(between(timing.firstCheck));
    },
    installAndQuit() {
      if (!loaded || !downloaded || views.get().state !== 'ready' || downloaded.needs.blocked) return false;
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
      sleeper.wake();
      views.clear();
    },
  };
}
