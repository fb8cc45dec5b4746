// What the tray shows for each agent phase: one switch, one place.
import type { AgentPhase } from '../app/agent-api.ts';
import { say, translator, type Message, type Translator } from '../locales/i18n.ts';
import type { UpdateView } from '../preload/contract.ts';
import { PRODUCT_NAME } from '../app/branding/index.ts';

const ENGLISH = translator('en');

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
  /** The engine's one line, in English: shown as it is only where there is no message. */
  headline: string;
  /** The same line as a catalogue message (StatusView's, with the problem in the app's language). */
  headlineMessage?: Message | undefined;
  usingSandbox: boolean;
  /** The problem in the app's language (StatusView's error, localised by the shell). */
  errorSummary?: string;
  update?: Pick<UpdateView, 'canRestart' | 'version'> | undefined;
}

/** The sandbox notice in English (the status view's warning; the tray says it in the app's language). */
export const SANDBOX_NOTICE = ENGLISH.t('tray.sandbox');

const ICON: Record<AgentPhase, TrayIconName> = { synced: 'synced', starting: 'syncing', syncing: 'syncing', pending: 'pending', attention: 'attention', paused: 'paused' };

/** The phase's word without the window's ellipsis ("Syncing", not "Syncing…"). */
export function phaseWord(tr: Translator, phase: AgentPhase): string {
  return tr.t(`phase.${phase}`).replace(/…$/, '');
}

export function trayStateFor({ phase, headline, headlineMessage, usingSandbox, errorSummary, update }: TrayStateInput, tr: Translator = ENGLISH): TrayState {
  const word = phaseWord(tr, phase);
  const sandbox = usingSandbox ? ` — ${tr.t('tray.sandbox')}` : '';
  // The headline in the app's language; without a message (a status the shell made) the English text is
  // shown in English only, and another language says the state word, and the problem when there is one.
  const detail = (headlineMessage ? say(tr, headlineMessage) : tr.language === 'en' ? headline : phase === 'attention' ? errorSummary ?? '' : '').trim();
  const line = detail === '' ? word : `${word}: ${detail}`;
  // Windows truncates tray tooltips at 127 characters.
  const tooltip = truncate(tr.t('tray.tooltip', { app: PRODUCT_NAME, line }) + sandbox, 127);
  const updateReady = update?.canRestart && update.version ? { updateReady: update.version } : {};
  return { icon: ICON[phase], tooltip, statusLine: truncate(line + (usingSandbox ? ` ${tr.t('tray.sandboxShort')}` : ''), 80), paused: phase === 'paused', ...updateReady };
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
