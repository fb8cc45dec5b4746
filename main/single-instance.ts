// One Device Agent per user session: a second launch shows the first one's
// status window and exits.
import type { AppSeam } from './electron-seam.ts';

/** Returns false when another instance holds the lock (the caller quits). */
export function enableSingleInstance(app: Pick<AppSeam, 'requestSingleInstanceLock' | 'on'>, onSecondLaunch: () => void): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', () => onSecondLaunch());
  return true;
}
