// Applying IT's update policy (channel, feed url, pin) to electron-updater before each
// check, remembering what was applied so that a change takes effect without a restart.
import semver from 'semver';
import type { UpdatePolicy } from '../app/config/update-policy.ts';
import type { Logger } from './electron-seam.ts';
import type { UpdaterSeam } from './updater-types.ts';

export function createFeedConfigurator(ctx: { isPackaged: boolean; currentVersion: string; log: Logger }): (u: UpdaterSeam, policy: UpdatePolicy) => void {
  let appliedFeedUrl: string | undefined;
  let appliedChannel: string | undefined;
  return (u, policy) => {
    u.autoDownload = false; // downloads are started by the updater, after the pin is checked
    u.autoRunAppAfterInstall = true;
    u.disableWebInstaller = true; // a web installer's package is not signature-checked; none is published
    if (!ctx.isPackaged) u.forceDevUpdateConfig = true; // updatesOffReason let it through: dev-app-update.yml exists
    const channel = policy.channel ?? (appliedChannel ? 'latest' : undefined);
    if (channel && channel !== appliedChannel) {
      u.channel = channel;
      appliedChannel = channel;
    }
    if (policy.url && policy.url !== appliedFeedUrl) {
      u.setFeedURL({ provider: 'generic', url: policy.url, ...(appliedChannel ? { channel: appliedChannel } : {}) });
      appliedFeedUrl = policy.url;
    } else if (!policy.url && appliedFeedUrl) {
      ctx.log.warn('updates.url was removed from the managed configuration: the update server app-update.yml names applies from the next start');
    }
    // Setting the channel allows downgrades in electron-updater; only a pin below this version does here.
    u.allowDowngrade = policy.pin !== undefined && semver.lt(policy.pin, ctx.currentVersion);
  };
}

/** electron-updater's log lines, into the app's log with an "updater:" prefix. */
export function updaterLogger(log: Logger): UpdaterSeam['logger'] {
  return {
    info: (m?: unknown) => log.info(`updater: ${String(m)}`),
    warn: (m?: unknown) => log.warn(`updater: ${String(m)}`),
    error: (m?: unknown) => log.error(`updater: ${String(m)}`),
    debug: (m: string) => log.debug(`updater: ${m}`),
  };
}
