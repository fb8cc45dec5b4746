// The updater's pure decisions: whether updates are off and why, whether IT's pin allows
// a version, what the window says about a ready update, and what the last start's install
// attempt turned out to be. No timers, no electron-updater: the updater (updater.ts) asks.
import semver from 'semver';
import type { UpdateInfo } from 'electron-updater';
import type { UpdatePolicy } from '../app/config/update-policy.ts';
import { PRODUCT_NAME } from '../app/branding/index.ts';
import type { UpdateView } from '../preload/contract.ts';
import { installNeeds, type InstallContext, type InstallNeeds } from './update-install.ts';
import type { UpdaterSeam } from './updater-types.ts';

/** The managed file's update policy as read now ('broken': the file cannot be used, so nothing IT set can be known). */
export type PolicyRead = { state: 'ok'; policy: UpdatePolicy } | { state: 'broken'; path: string };

/** What decides whether this build may update itself at all. */
export interface UpdateBuild {
  isPackaged: boolean;
  platform: NodeJS.Platform;
  hasDevUpdateConfig(): boolean;
  hasPublisherName?(): boolean;
}

/** Why updates are off now, or undefined when they are on. */
export function updatesOffReason(read: PolicyRead, build: UpdateBuild): string | undefined {
  if (read.state === 'broken') return `Updates are off until the managed configuration (${read.path}) is fixed.`;
  if (!read.policy.enabled) return 'Updates are turned off by your administrator (managed configuration).';
  if (!build.isPackaged && !build.hasDevUpdateConfig()) return 'A development build (not installed) does not update itself.';
  if (build.isPackaged && build.platform === 'win32' && build.hasPublisherName && !build.hasPublisherName()) {
    return 'This build is not code-signed, so it could not check that an update comes from its publisher: it does not update itself.';
  }
  return undefined;
}

export const pinAllows = (version: string, policy: UpdatePolicy): boolean => policy.pin === undefined || !semver.gt(version, policy.pin);

export function adminRightsRequired(info: UpdateInfo): boolean {
  return (info.files ?? []).some((f) => f.isAdminRightsRequired === true);
}

/** A view as the updater sets it (the times and the version running are kept by the updater). */
export type ViewChange = Omit<UpdateView, 'currentVersion' | 'canRestart' | 'lastCheckAt' | 'nextCheckAt'> & Partial<Pick<UpdateView, 'canRestart'>>;

export function readyView(version: string, needs: InstallNeeds): ViewChange {
  return {
    state: 'ready', version, canRestart: !needs.blocked,
    summary: needs.elevation
      ? `Version ${version} is downloaded and verified. ${needs.elevation}`
      : `Version ${version} is downloaded and verified: it is installed when ${PRODUCT_NAME} quits, or now with Restart to update.`,
    ...(needs.elevation ? { elevation: needs.elevation } : {}),
  };
}

/** The settings-store key remembering an install that was started (to tell, at the next start, whether it happened). */
export const INSTALL_ATTEMPT_KEY = 'updateInstallAttempt';

export interface InstallAttempt { version: string; from: string; at: number }

/**
 * What the remembered install attempt means for this start: it happened ('updated'), it did
 * not ('failed'), it is from another version's life ('stale'), or nothing was remembered.
 */
export function installAttemptOutcome(stored: unknown, currentVersion: string):
  | { kind: 'updated' | 'failed' | 'stale'; attempt: InstallAttempt } | undefined {
  const v = stored as InstallAttempt | undefined;
  if (typeof v !== 'object' || v === null || typeof v.version !== 'string' || typeof v.from !== 'string' || typeof v.at !== 'number') return undefined;
  if (v.version === currentVersion) return { kind: 'updated', attempt: v };
  if (v.from === currentVersion) return { kind: 'failed', attempt: v };
  return { kind: 'stale', attempt: v };
}

/** What a check answered (null: electron-updater declined to check, e.g. not an AppImage). */
export type CheckResult = Awaited<ReturnType<UpdaterSeam['checkForUpdates']>>;

/**
 * What a check's answer means: download the offered version, or show a view (and withdraw a
 * ready update the answer or the policy no longer allows, saying why).
 */
export type OfferVerdict = { download: string } | { view: ViewChange; withdraw?: string };

export function offerVerdict(result: CheckResult, policy: UpdatePolicy, ctx: { install: InstallContext; stagedOut: string | undefined; updatedFrom: string }): OfferVerdict {
  // electron-updater declined (e.g. not an AppImage, a Snap): nothing here can update.
  if (result === null) return { view: { state: 'off', summary: `This copy of ${PRODUCT_NAME} cannot update itself (see the log).` } };
  const offered = result.updateInfo.version;
  if (!result.isUpdateAvailable) {
    const staged = ctx.stagedOut ? ` Version ${ctx.stagedOut} is being rolled out in stages and reaches this computer later.` : '';
    return { withdraw: `the update server offers ${offered} now`, view: { state: 'idle', summary: `Up to date.${staged}${ctx.updatedFrom}` } };
  }
  if (!pinAllows(offered, policy)) {
    return {
      withdraw: `it is past the pinned ${policy.pin}`,
      view: { state: 'held', version: offered, summary: `Version ${offered} is available; your administrator keeps this computer at ${policy.pin} or lower.` },
    };
  }
  const needs = installNeeds(ctx.install, adminRightsRequired(result.updateInfo));
  if (needs.blocked) return { view: { state: 'available', version: offered, summary: `Version ${offered} is available. ${needs.blocked}` } };
  return { download: offered };
}
