// Electron's own `autoUpdater` as it is on Linux (shell/browser/auto_updater.cc:
// outside macOS and Windows its native side does nothing): an event emitter whose
// checkForUpdates/setFeedURL do nothing and getFeedURL is ''. quitAndInstall
// emits 'before-quit-for-update' and closes every window (electron_api_auto_updater.cc),
// then, with no window left, calls the native no-op — it does not quit the app.
// electron-updater emits 'before-quit-for-update' on it itself before it quits the
// app for an install (BaseUpdater.quitAndInstall); every event emitted on it is
// recorded, so a test sees that an install was asked for.
import type { AutoUpdater as ElectronAutoUpdater, FeedURLOptions } from 'electron';
import { EventEmitter } from 'node:events';
import type { OnlyElectronKeys } from './exact.ts';
import { recorder } from './recorder.ts';
import { windowRegistry } from './window-registry.ts';

type AutoUpdaterMembers = 'checkForUpdates' | 'getFeedURL' | 'setFeedURL' | 'quitAndInstall';

class StandinAutoUpdater extends EventEmitter implements Pick<ElectronAutoUpdater, AutoUpdaterMembers> {
  checkForUpdates(): void { /* Linux: no native updater */ }
  getFeedURL(): string { return ''; }
  setFeedURL(_options: FeedURLOptions): void { /* Linux: no native updater */ }

  quitAndInstall(): void {
    this.emit('before-quit-for-update');
    const open = [...windowRegistry.all];
    if (open.length === 0) return; // the native QuitAndInstall: nothing on Linux
    for (const w of open) w.requestClose();
    if (windowRegistry.all.length === 0) this.emit('before-quit-for-update'); // OnWindowAllClosed → QuitAndInstall again
  }

  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'newListener' || event === 'removeListener') return super.emit(event, ...args);
    recorder.snapshotParts.autoUpdaterEvents.push(String(event));
    recorder.emit('auto-updater', { event: String(event) });
    return super.emit(event, ...args);
  }
}

const exact: OnlyElectronKeys<StandinAutoUpdater, ElectronAutoUpdater> = true;
void exact;

export const autoUpdater = new StandinAutoUpdater();
