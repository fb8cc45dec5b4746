// What installing an update needs on this machine, found out before anyone asks
// for it: nothing special (a per-user install), an administrator (a per-machine
// install: the Windows installer "for all users", a .deb/.rpm package), or it
// cannot be done by this account at all (an AppImage in a folder it may not
// change). The updater says so in the status instead of failing at quit.
import { closeSync, openSync, unlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { PRODUCT_NAME } from '../app/branding/index.ts';

/** The Linux packages electron-updater installs through the package manager (resources/package-type). */
const PACKAGE_TYPES = new Set(['deb', 'rpm', 'pacman']);

export interface InstallContext {
  platform: NodeJS.Platform;
  /** process.execPath: the installed program. */
  execPath: string;
  /** process.env.APPIMAGE: the AppImage file the app runs from (Linux). */
  appImage?: string | undefined;
  /** The resources folder's package-type file: how a Linux package was installed (deb, rpm, pacman). */
  packageType?: string | undefined;
  /** Whether this account can create a file in `dir` (tried, not read from modes: Windows ACLs). */
  canWriteIn(dir: string): boolean;
}

export interface InstallNeeds {
  /**
   * Installing asks for an administrator. Only the person's "Restart to update" does it
   * then — never quitting or logging out, where the password prompt would be lost and
   * the update would fail unseen.
   */
  elevation?: string;
  /** This account cannot install it at all (nothing is downloaded; the status says whom to ask). */
  blocked?: string;
}

/** Whether this account can create (and remove) a file in `dir`. */
export function canWriteIn(dir: string): boolean {
  const probe = join(dir, `.write-test-${randomBytes(4).toString('hex')}`);
  try {
    closeSync(openSync(probe, 'wx', 0o600));
    unlinkSync(probe);
    return true;
  } catch {
    return false;
  }
}

/** The .app bundle holding `execPath` on macOS (…/Device Agent.app/Contents/MacOS/Device Agent). */
function macBundle(execPath: string): string | undefined {
  const at = execPath.indexOf('.app/');
  return at < 0 ? undefined : execPath.slice(0, at + 4);
}

/**
 * What installing needs here. `adminRightsRequired` is what the update's own metadata says
 * (electron-builder marks a per-machine NSIS installer so).
 */
export function installNeeds(ctx: InstallContext, adminRightsRequired = false): InstallNeeds {
  switch (ctx.platform) {
    case 'win32': {
      if (adminRightsRequired || !ctx.canWriteIn(dirname(ctx.execPath))) {
        return { elevation: `Installing it needs administrator rights (${PRODUCT_NAME} is installed for all users of this computer): choose Restart to update and Windows asks for them.` };
      }
      return {};
    }
    case 'darwin': {
      const bundle = macBundle(ctx.execPath);
      if (bundle && !ctx.canWriteIn(dirname(bundle))) {
        return { blocked: `This account may not replace ${bundle}. Ask your IT support to install the update.` };
      }
      return {};
    }
    default: {
      if (ctx.packageType && PACKAGE_TYPES.has(ctx.packageType)) {
        return { elevation: `Installing it needs an administrator's password (${PRODUCT_NAME} was installed as a .${ctx.packageType} package): choose Restart to update and the system asks for it.` };
      }
      if (!ctx.appImage) return { blocked: `This copy of ${PRODUCT_NAME} was not installed from an AppImage or a package, so it cannot update itself. Install the new version the way this one was installed.` };
      if (!ctx.canWriteIn(dirname(ctx.appImage))) {
        return { blocked: `This account may not replace ${basename(ctx.appImage)} in ${dirname(ctx.appImage)}. Ask your IT support to install the update.` };
      }
      return {};
    }
  }
}
