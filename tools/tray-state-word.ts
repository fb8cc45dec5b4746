// The tray's state from its tooltip, whichever catalogue language the app
// speaks: what `npm run desktop:headless` prints and the desktop tests read.
import { CATALOGUES } from '../locales/i18n.ts';

const PHASES = ['starting', 'synced', 'syncing', 'pending', 'attention', 'paused'] as const;
/** Each language's phase word (as the tray says it, without the window's ellipsis) → the phase. */
const PHASE_BY_WORD = new Map<string, string>(Object.values(CATALOGUES).flatMap((c) => PHASES.map((p) => [c[`phase.${p}`].replace(/…$/, ''), p] as const)));

/**
 * The tray's state from its tooltip ("<product name> — Needs attention: …" → attention), in any
 * catalogue language and under any branding; with `productName`, only a tooltip of that product
 * has one.
 */
export function trayStateOf(tooltip: string, productName?: string): string | undefined {
  if (productName !== undefined && !tooltip.startsWith(`${productName} — `)) return undefined;
  const rest = productName === undefined ? /^[^—]+ — (.*)$/s.exec(tooltip)?.[1] : tooltip.slice(productName.length + 3);
  const word = /^([^:—]+)/.exec(rest ?? '')?.[1]?.trim();
  if (word === undefined) return undefined;
  return PHASE_BY_WORD.get(word) ?? word.toLowerCase();
}
