// Boots an Electron main script on the stand-in: Electron's process shape
// (process.type, versions.electron, argv), its default handling of uncaught
// errors and of SIGTERM, then the app's module, then "ready" once Chromium runs.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, appInternals } from './app.ts';
import { enableControl } from './control.ts';
import { dialog } from './desktop-services.ts';
import { readOptions } from './options.ts';
import { recorder } from './recorder.ts';
import { runtime } from './runtime.ts';

export const ELECTRON_VERSION = '45.5.0';

function electronProcessShape(appPath: string, isPackaged: boolean, resourcesPath: string, appArgs: readonly string[]): void {
  // `electron . --hidden` gives [exe, '.', '--hidden']; a packaged app [exe, '--hidden'].
  process.argv = isPackaged ? [process.execPath, ...appArgs] : [process.execPath, appPath, ...appArgs];
  Object.defineProperty(process, 'type', { value: 'browser', configurable: true, enumerable: true });
  Object.defineProperty(process, 'resourcesPath', { value: resourcesPath, configurable: true, enumerable: true });
  for (const [k, v] of Object.entries({ electron: ELECTRON_VERSION, chrome: '140.0.0.0' })) {
    Object.defineProperty(process.versions, k, { value: v, enumerable: true, configurable: true });
  }
}

/** Electron's default: an uncaught error in the main process shows a dialog and the app goes on (lib/browser/init.ts). */
function electronUncaughtHandler(error: unknown): void {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  recorder.snapshotParts.mainErrors.push(text);
  recorder.emit('main-error', text);
  if (process.listenerCount('uncaughtException') > 1) return; // the app handles it
  dialog.showErrorBox('A JavaScript error occurred in the main process', `Uncaught Exception:\n${text}`);
}

export async function startApp(mainScript: string, appArgs: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const options = readOptions(env, mainScript);
  runtime.configure(options);
  electronProcessShape(options.appPath, options.isPackaged, options.resourcesPath, appArgs);
  process.on('uncaughtException', electronUncaughtHandler);
  // lib/browser/init.ts: "Emit 'exit' event on quit" (first among the quit listeners).
  app.on('quit', (_event: unknown, exitCode: number) => process.emit('exit', exitCode));
  // Chromium's shutdown signal handlers quit the app (an app may replace them).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => app.quit());
  enableControl();
  process.on('disconnect', () => app.quit()); // the test that started us is gone

  try {
    await import(pathToFileURL(resolve(mainScript)).href);
  } catch (error) {
    // Electron reports a main script that fails to load as an uncaught exception and goes on.
    process.emit('uncaughtException', error as Error);
  }
  if (appInternals.isQuitting()) return; // quit before ready: the quit sequence ends the process
  try {
    await runtime.startBrowser();
  } catch (error) {
    process.stderr.write(`[electron-standin] Chromium could not start (${options.browserWsEndpoint ? `connecting to ${options.browserWsEndpoint}` : options.chromiumPath}): ${(error as Error).message.split('\n')[0]}\n`);
    await runtime.exit(1);
    return;
  }
  if (appInternals.isQuitting()) return;
  appInternals.becomeReady();
}
