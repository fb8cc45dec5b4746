// How visible the app is, as IT decides in the managed file (issue 15): the tray icon
// always (default), only while the person must act, or never (the window then opens
// from the app's launcher: a second launch, or macOS's activate); notifications on
// (default) or off. A broken managed file keeps the defaults: its problem must be seen.
// Pure functions over plain data.
import type { AgentStatus } from '../app/agent-api.ts';
import type { ManagedConfigResult } from '../app/config/managed.ts';
import { TRAY_ICON_POLICIES, type TrayIconPolicy } from '../app/config/schema.ts';
import { expiryNotice } from '../app/sync/license-state.ts';
import type { AppearanceView } from '../preload/contract.ts';
import { PRODUCT_NAME } from '../app/branding/index.ts';

export interface DesktopPolicy {
  trayIcon: TrayIconPolicy;
  notifications: boolean;
  /** Which of the two the managed file sets. */
  managed: { trayIcon: boolean; notifications: boolean };
}

export const DEFAULT_POLICY: DesktopPolicy = { trayIcon: 'always', notifications: true, managed: { trayIcon: false, notifications: false } };

/** The policy a managed file sets (validated with it: app/config/managed.ts), else the defaults. */
export function desktopPolicy(managed: ManagedConfigResult): DesktopPolicy {
  if (managed.state !== 'ok') return DEFAULT_POLICY;
  const values = managed.managed.layer.values;
  const tray = values.trayIcon;
  const notify = values.notifications;
  const trayIcon = typeof tray === 'string' && (TRAY_ICON_POLICIES as readonly string[]).includes(tray) ? tray as TrayIconPolicy : undefined;
  return {
    trayIcon: trayIcon ?? 'always',
    notifications: typeof notify === 'boolean' ? notify : true,
    managed: { trayIcon: trayIcon !== undefined, notifications: typeof notify === 'boolean' },
  };
}

/** Problems that wait for a person: a sync that runs meanwhile (Sync now) does not solve them by itself. */
const WAITING_FOR_A_PERSON: ReadonlySet<string> = new Set(['needs-configuration', 'needs-activation', 'license-state', 'fatal']);

/**
 * Whether the person must act: a problem only they (or IT) can solve — also while a sync
 * tries again (the icon must not blink away during Sync now) — or a license about to expire.
 */
export function needsThePerson(status: Pick<AgentStatus, 'phase' | 'license' | 'error'>, now: number): boolean {
  if (status.phase === 'attention') return true;
  if (status.phase === 'syncing' && status.error !== undefined && WAITING_FOR_A_PERSON.has(status.error.errorClass)) return true;
  return expiryNotice(status.license, now) !== undefined;
}

/** Whether the tray icon is shown for this status under this policy. */
export function trayWanted(policy: TrayIconPolicy, status: Pick<AgentStatus, 'phase' | 'license' | 'error'>, now: number): boolean {
  if (policy === 'always') return true;
  if (policy === 'never') return false;
  return needsThePerson(status, now);
}

const TRAY_TEXT: Record<TrayIconPolicy, string> = {
  always: 'Always shown.',
  attention: 'Shown only while you need to act (settings, activation, the license).',
  never: `Not shown. To see this window, open ${PRODUCT_NAME} again from your applications (Start menu, Finder, the app launcher).`,
};

/** What the window's Overview says about the tray icon and notifications. */
export function appearanceView(policy: DesktopPolicy): AppearanceView {
  const by = (managed: boolean) => (managed ? ' Set by your administrator.' : '');
  return {
    trayIcon: policy.trayIcon,
    notifications: policy.notifications,
    trayIconText: `${TRAY_TEXT[policy.trayIcon]}${by(policy.managed.trayIcon)}`,
    notificationsText: `${policy.notifications ? 'On: you are told when you need to act, once per problem (again after a day if it stands).' : 'Off.'}${by(policy.managed.notifications)}`,
  };
}
