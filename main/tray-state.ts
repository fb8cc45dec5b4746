// What the tray shows for each agent phase: one switch, one place.
import type { AgentPhase } from '../app/agent-api.ts';
import type { UpdateView } from '../preload/contract.ts';
import { PRODUCT_NAME } from '../app/branding/index.ts';

export type TrayIconName = 'synced' | 'syncing' | 'pending' | 'attention' | 'paused';

export interface TrayState {
  icon: TrayIconName;
  /** Tooltip: product name, the engine's headline, and the sandbox notice when it applies. */
  tooltip: string;
  /** The first (disabled) menu line. */
  statusLine: string;
  paused: boolean;
  /** The version a "Restart to update" would install, when one is ready. */
  updateReady?: string;
}

export interface TrayStateInput {
  phase: AgentPhase;
  headline: string;
  usingSandbox: boolean;
  update?: Pick<UpdateView, 'canRestart' | 'version'> | undefined;
}

export const SANDBOX_NOTICE = 'Using the local sandbox (not configured)';

export function trayStateFor({ phase, headline, usingSandbox, update }: TrayStateInput): TrayState {
  let icon: TrayIconName;
  let word: string;
  switch (phase) {
    case 'synced': icon = 'synced'; word = 'Synced'; break;
    case 'starting': icon = 'syncing'; word = 'Starting'; break;
    case 'syncing': icon = 'syncing'; word = 'Syncing'; break;
    case 'pending': icon = 'pending'; word = 'Pending'; break;
    case 'attention': icon = 'attention'; word = 'Needs attention'; break;
    case 'paused': icon = 'paused'; word = 'Paused'; break;
  }
  const sandbox = usingSandbox ? ` — ${SANDBOX_NOTICE}` : '';
  const line = headline.trim() === '' ? word : `${word}: ${headline.trim()}`;
  // Windows truncates tray tooltips at 127 characters.
  const tooltip = truncate(`${PRODUCT_NAME} — ${line}${sandbox}`, 127);
  const updateReady = update?.canRestart && update.version ? { updateReady: update.version } : {};
  return { icon, tooltip, statusLine: truncate(line + (usingSandbox ? ' (sandbox)' : ''), 80), paused: phase === 'paused', ...updateReady };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The tray image file for an icon on a platform (macOS template images, Windows .ico, Linux PNG). */
export function trayIconFile(icon: TrayIconName, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return `tray-${icon}Template.png`;
  if (platform === 'win32') return `tray-${icon}.ico`;
  return `tray-${icon}.png`;
}
