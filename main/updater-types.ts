// What the desktop updater takes and offers: the part of electron-updater it drives, its
// dependencies from the shell (main/updater-environment.ts builds them) and its face.
import type { AppUpdater, CancellationToken } from 'electron-updater';
import type { AgentStatus } from '../app/agent-api.ts';
import type { UpdateView } from '../preload/contract.ts';
import type { KeyValueStore, Logger } from './electron-seam.ts';
import type { PolicyRead } from './update-decisions.ts';
import type { InstallContext } from './update-install.ts';
import type { UpdateTiming } from './update-timing.ts';

/** The part of electron-updater's AppUpdater the shell uses. */
export type UpdaterSeam = Pick<AppUpdater,
  | 'autoDownload' | 'autoInstallOnAppQuit' | 'autoRunAppAfterInstall' | 'allowDowngrade' | 'channel' | 'forceDevUpdateConfig'
  | 'disableWebInstaller' | 'logger' | 'isUserWithinRollout' | 'setFeedURL' | 'checkForUpdates' | 'downloadUpdate' | 'quitAndInstall' | 'on'>;

export interface LoadedUpdater {
  updater: UpdaterSeam;
  /** A cancellation token electron-updater accepts (builder-util-runtime's class, from the loaded module). */
  newCancellationToken(): Pick<CancellationToken, 'cancel' | 'cancelled'>;
}

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

