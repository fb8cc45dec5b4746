// OS notifications when the agent needs the person (issue 15): its settings, the
// device's activation, the license's state, the license expiring in 14 and again in
// 3 days. Once per problem: not again while it stands, unless 24 h passed; a new
// problem (another code, the next expiry step) is told at once; a problem that was
// solved (the agent synced, the license renewed) is told again if it comes back.
// What was told is kept in the settings store, so a restart does not repeat it.
// Clicking a notification opens the status window. The managed file can turn them off.
import { z } from 'zod';
import type { AgentStatus } from '../app/agent-api.ts';
import type { ErrorClass } from '../app/licenseapi/error-codes.ts';
import { daysUntil, expiryNotice, expiryWarning } from '../app/sync/license-state.ts';
import type { KeyValueStore, Logger } from './electron-seam.ts';
import { PRODUCT_NAME } from '../app/branding/index.ts';

export const NOTIFIED_KEY = 'notified';
export const RENOTIFY_MS = 24 * 60 * 60_000;

export type Channel = 'attention' | 'license-expiry';

export interface NotifyProblem {
  channel: Channel;
  /** Same key, same problem: not told again within RENOTIFY_MS. */
  key: string;
  title: string;
  body: string;
}

/** The error classes a person must act on (configuration, activation, license). */
const TOLD: ReadonlySet<ErrorClass> = new Set(['needs-configuration', 'needs-activation', 'license-state']);
/** The keyring asking for its password is asking the person already. */
const NOT_TOLD_CODES = new Set(['keyring_waiting']);

const TITLES: Partial<Record<ErrorClass, string>> = {
  'needs-configuration': `${PRODUCT_NAME} needs its settings checked`,
  'needs-activation': `${PRODUCT_NAME}: this device is not activated`,
  'license-state': `${PRODUCT_NAME}: the license cannot be used`,
};

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** What the person should be told about this status, per channel (pure). */
export function problemsToNotify(status: Pick<AgentStatus, 'phase' | 'error' | 'license'>, now: number): NotifyProblem[] {
  const problems: NotifyProblem[] = [];
  const error = status.error;
  if (status.phase === 'attention' && error && TOLD.has(error.errorClass) && !NOT_TOLD_CODES.has(error.code)) {
    problems.push({ channel: 'attention', key: error.code, title: TITLES[error.errorClass]!, body: clip(`${error.summary} Click to see what to do.`, 240) });
  }
  const notice = expiryNotice(status.license, now);
  const warning = expiryWarning(status.license, now);
  if (notice !== undefined && warning !== undefined && status.license?.expiresAt !== undefined) {
    const step = daysUntil(status.license.expiresAt, now) < 3 ? 3 : 14;
    problems.push({ channel: 'license-expiry', key: `within-${step}-days:${status.license.expiresAt}`, title: `${PRODUCT_NAME}: ${notice}`, body: clip(warning, 240) });
  }
  return problems;
}

const recordSchema = z.object({ key: z.string().max(300), at: z.number() });
const recordsSchema = z.object({ attention: recordSchema.optional(), 'license-expiry': recordSchema.optional() });
type Records = z.infer<typeof recordsSchema>;

/** Whether `problem` is told now, given what was told last on its channel. */
export function shouldNotify(last: { key: string; at: number } | undefined, problem: NotifyProblem, now: number): boolean {
  return last === undefined || last.key !== problem.key || now - last.at >= RENOTIFY_MS || now < last.at;
}

/** What Electron's Notification offers the notifier. */
export interface NotificationSeam {
  on(event: 'click' | 'close', listener: () => void): unknown;
  show(): void;
}

export interface NotifierDeps {
  store: KeyValueStore;
  create(options: { title: string; body: string }): NotificationSeam;
  isSupported(): boolean;
  enabled(): boolean;
  openWindow(): void;
  log: Logger;
  now?: () => number;
}

export interface Notifier {
  /** Every status the tray and the window get. */
  update(status: Pick<AgentStatus, 'phase' | 'error' | 'license'>): void;
}

/** Notifications kept referenced until clicked or closed (one that is collected loses its click). */
const KEPT = 4;

export function createNotifier(deps: NotifierDeps): Notifier {
  const now = deps.now ?? Date.now;
  const kept: NotificationSeam[] = [];
  let unsupportedLogged = false;

  const read = (): Records => {
    const parsed = recordsSchema.safeParse(deps.store.get(NOTIFIED_KEY));
    return parsed.success ? parsed.data : {};
  };

  const show = (problem: NotifyProblem) => {
    const notification = deps.create({ title: problem.title, body: problem.body });
    const forget = () => {
      const at = kept.indexOf(notification);
      if (at >= 0) kept.splice(at, 1);
    };
    notification.on('click', () => {
      forget();
      deps.openWindow();
    });
    notification.on('close', forget);
    kept.push(notification);
    if (kept.length > KEPT) kept.shift();
    notification.show();
  };

  return {
    update(status) {
      if (!deps.enabled()) return;
      const at = now();
      const records = read();
      let changed = false;
      // Solved problems are forgotten, so that coming back is news.
      if (status.phase === 'synced' && records.attention !== undefined) {
        delete records.attention;
        changed = true;
      }
      if (status.license !== undefined && expiryNotice(status.license, at) === undefined && records['license-expiry'] !== undefined) {
        delete records['license-expiry'];
        changed = true;
      }
      for (const problem of problemsToNotify(status, at)) {
        if (!shouldNotify(records[problem.channel], problem, at)) continue;
        if (!deps.isSupported()) {
          if (!unsupportedLogged) deps.log.warn('notifications are not supported on this desktop; the tray and the window still show the problem');
          unsupportedLogged = true;
          continue;
        }
        show(problem);
        deps.log.info(`notified: ${problem.title}`);
        records[problem.channel] = { key: problem.key, at };
        changed = true;
      }
      if (changed) deps.store.set(NOTIFIED_KEY, records);
    },
  };
}
