// What the updater needs to know about this installation, read from where
// electron-builder and electron-updater put it: app-update.yml (packaged: in the
// resources folder, written by electron-builder from `publish`) or
// dev-app-update.yml (a checkout: next to package.json, the developer's opt-in),
// the resources folder's package-type (a .deb/.rpm install), the AppImage the app
// runs from. And electron-updater itself, loaded only once updates are on.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ManagedConfigResult } from '../app/config/managed.ts';
import { DEFAULT_UPDATE_POLICY } from '../app/config/update-policy.ts';
import { readBoundedText } from '../app/files/read-bounded.ts';
import { canWriteIn, type InstallContext } from './update-install.ts';
import type { LoadedUpdater, PolicyRead, UpdaterDeps } from './updater.ts';

export interface UpdaterEnvironmentInput {
  platform: NodeJS.Platform;
  /** process.resourcesPath */
  resourcesPath: string;
  /** app.getAppPath() */
  appPath: string;
  execPath: string;
  env: NodeJS.ProcessEnv;
}

/** A small file's text, or undefined when it cannot be read (bounded, no links followed into a device). */
function smallFile(path: string): string | undefined {
  try {
    return readBoundedText(path, { maxBytes: 64 * 1024, mode: 'given' });
  } catch {
    return undefined;
  }
}

export function updaterEnvironment(input: UpdaterEnvironmentInput): Pick<UpdaterDeps, 'hasDevUpdateConfig' | 'hasPublisherName' | 'install'> {
  const install: InstallContext = {
    platform: input.platform,
    execPath: input.execPath,
    appImage: input.env.APPIMAGE || undefined,
    packageType: input.platform === 'linux' ? smallFile(join(input.resourcesPath, 'package-type'))?.trim() : undefined,
    canWriteIn,
  };
  return {
    install,
    hasDevUpdateConfig: () => existsSync(join(input.appPath, 'dev-app-update.yml')),
    // electron-builder writes publisherName (from the signing certificate, or win.signtoolOptions.publisherName).
    hasPublisherName: () => /^publisherName\s*:/m.test(smallFile(join(input.resourcesPath, 'app-update.yml')) ?? ''),
  };
}

/** The update policy in the managed file as read now (a broken file: nothing IT set can be known). */
export function updatePolicyOf(managed: ManagedConfigResult): PolicyRead {
  if (managed.state === 'broken') return { state: 'broken', path: managed.path };
  return { state: 'ok', policy: managed.state === 'ok' ? managed.managed.updates ?? DEFAULT_UPDATE_POLICY : DEFAULT_UPDATE_POLICY };
}

/** electron-updater's updater for this platform (NSIS, macOS, AppImage, or the .deb/.rpm one its package-type names). */
export async function loadElectronUpdater(): Promise<LoadedUpdater> {
  const { default: electronUpdater } = await import('electron-updater');
  return { updater: electronUpdater.autoUpdater, newCancellationToken: () => new electronUpdater.CancellationToken() };
}
