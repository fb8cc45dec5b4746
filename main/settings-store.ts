// The user's settings file (electron-store's settings.json in the user-data
// folder). A file that is not valid JSON would make electron-store throw before
// anything is logged and stop the app: it is moved aside (kept, for the person
// or IT support to look at) and the app starts with defaults and says so. A file
// that cannot be read at all is left alone; the settings then live in memory for
// this session and the window says so.
//
// The file holds the secrets' ciphertext: it is the owner's alone (0600), also
// when an earlier version or another tool left it readable by others, and so is
// a damaged copy moved aside.
import { chmodSync, renameSync } from 'node:fs';
import type { KeyValueStore, Logger } from './electron-seam.ts';
import { shellProblem, type ShellProblem } from './shell-problems.ts';
import { PRODUCT_NAME } from '../app/branding/index.ts';

export interface OpenedSettings {
  store: KeyValueStore;
  problem?: ShellProblem;
}

/** What opens the store (electron-store in the app; conf in tests) and where its file is. */
export interface SettingsFileOpener {
  path: string;
  open(): KeyValueStore;
}

function memoryStore(): KeyValueStore {
  const data = new Map<string, unknown>();
  return { get: (k) => data.get(k), set: (k, v) => { data.set(k, v); }, delete: (k) => { data.delete(k); } };
}

/** conf throws a SyntaxError for a file that is not JSON (and its own Error for one that is not an object). */
function isDamaged(error: unknown): boolean {
  return error instanceof SyntaxError || /JSON|Unexpected token|not an object/i.test(String((error as Error)?.message));
}

/** Makes the file the owner's alone; a file that is not there (yet) is fine. */
function ownerOnly(path: string, log: Logger): void {
  try {
    chmodSync(path, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log.warn(`could not make ${path} private: ${(error as Error).message}`);
  }
}

export function openSettingsStore(file: SettingsFileOpener, log: Logger, now: () => Date = () => new Date()): OpenedSettings {
  let first: unknown;
  try {
    const store = file.open();
    ownerOnly(file.path, log);
    return { store };
  } catch (error) {
    first = error;
  }
  const code = (first as NodeJS.ErrnoException).code;
  if (isDamaged(first)) {
    const aside = `${file.path}.damaged-${now().toISOString().replace(/[:.]/g, '-')}`;
    try {
      renameSync(file.path, aside);
      ownerOnly(aside, log);
      log.error(`settings file ${file.path} is damaged (${(first as Error).message}); moved it to ${aside} and started with default settings`);
      return {
        store: file.open(),
        problem: shellProblem('settings_damaged', {
          headline: { key: 'problem.settingsDamaged.headline' },
          summary: { key: 'problem.settingsDamaged.summary', params: { aside, product: PRODUCT_NAME } },
          remedy: { key: 'problem.settingsDamaged.remedy' },
        }, true),
      };
    } catch (error) {
      log.error(`settings file ${file.path} is damaged and could not be moved aside: ${(error as Error).message}`);
    }
  } else {
    log.error(`settings file ${file.path} cannot be read: ${(first as Error).message}`);
  }
  return {
    store: memoryStore(),
    problem: shellProblem('settings_unreadable', {
      headline: { key: 'problem.settingsUnreadable.headline' },
      summary: { key: 'problem.settingsUnreadable.summary', params: { path: file.path, detail: code ?? (first as Error).message, product: PRODUCT_NAME } },
      remedy: { key: 'problem.settingsUnreadable.remedy', params: { product: PRODUCT_NAME } },
    }),
  };
}
