// Quitting the desktop app (or "Restart to update": electron-updater then installs and
// quits) after the engine finished its write, never hanging: each step is guarded, the
// engine gets a grace, and a backstop exits the process whatever a step does.
import type { Logger } from './electron-seam.ts';

/** How long Quit waits for the engine to finish what it is doing. */
export const QUIT_GRACE_MS = 5000;
/** After the grace, how long the rest of quitting (windows, Chromium) may take before the process exits anyway. */
export const QUIT_BACKSTOP_MS = 5000;

export interface QuitParts {
  log: Logger;
  app: { exit(code: number): void; relaunch(): void; quit(): void };
  stopPowerEvents(): void;
  services: { close(): void };
  updater: { close(): void; installAndQuit(): boolean; prepareQuit(): void };
  runner: { close(): Promise<unknown> };
  tray: { destroy(): void };
}

export interface QuitSequence {
  quit(options?: { forUpdate?: boolean }): Promise<void>;
  quitting(): boolean;
}

export function createQuitSequence(parts: QuitParts): QuitSequence {
  const { log, app, services, updater, runner, tray } = parts;
  let quitting = false;
  return {
    quitting: () => quitting,
    async quit({ forUpdate = false } = {}): Promise<void> {
      if (quitting) return;
      quitting = true;
      // Whatever a step below does (throws, or waits on something that never ends), the app
      // ends: a quit that hangs leaves a process the person cannot see and the next start
      // hands over to it.
      setTimeout(() => {
        log.error(`quitting did not finish within ${(QUIT_GRACE_MS + QUIT_BACKSTOP_MS) / 1000} s; exiting`);
        app.exit(0);
      }, QUIT_GRACE_MS + QUIT_BACKSTOP_MS).unref();
      const step = (what: string, run: () => void) => {
        try { run(); } catch (error) { log.error(`quitting: ${what}: ${String(error)}`); }
      };
      step('power events', parts.stopPowerEvents);
      step('services', () => services.close());
      step('updater', () => updater.close());
      // Finish the write in flight, but never hang: after QUIT_GRACE_MS the app goes
      // anyway (values not yet acknowledged stay pending and are sent next time).
      const stopped = runner.close().then(() => true, (error: unknown) => {
        log.error(`stopping the agent: ${String(error)}`);
        return true;
      });
      const inTime = await Promise.race([stopped, new Promise<false>((r) => setTimeout(() => r(false), QUIT_GRACE_MS).unref())]);
      if (!inTime) log.warn(`the agent did not stop within ${QUIT_GRACE_MS / 1000} s; quitting anyway (unsent values stay pending)`);
      step('tray', () => tray.destroy());
      if (forUpdate) {
        if (updater.installAndQuit()) return; // electron-updater quits, and the new version starts
        app.relaunch(); // the person asked for a restart: they get one, without the update (the next start says why)
      }
      step('updater', () => updater.prepareQuit());
      app.quit();
    },
  };
}
