// The tray's state from its tooltip, whichever catalogue language the app
// speaks: what `npm run desktop:headless` prints and the desktop tests read.
import { CATALOGUES } from '../locales/i18n.ts';

const PHASES = ['starting', 'synced', 'syncing', 'pending', 'attention', 'paused'] as const;
/** Each language's phase word (as the tray says it, without the window's ellipsis) → the phase. */
const PHASE_BY_WORD = new Map<string, string>(Object.values(CATALOGUES).flatMap((c) => PHASES.map((p) => [c[`phase.${p}`].replace(/…$/, ''), p] as const)));

/** The tray's state from its tooltip, in any catalogue language ("Device Agent — Needs attention: …" → attention). */
export function trayStateOf(tooltip: string): string {
  const word = /^Device Agent — ([^:—]+)/.exec(tooltip)?.[1]?.trim() ?? 'unknown';
  return PHASE_BY_WORD.get(word) ?? word.toLowerCase();
}
