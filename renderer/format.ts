// Words and numbers for the status window, in its language. Pure but for the
// translator, so they are unit-tested.
import type { LicenseStateView } from '../app/agent-api.ts';
import { say, translator, type Message, type Translator } from '../locales/i18n.ts';
import type { VariableValue } from '../app/variables.ts';

/** "just now", "5 minutes ago", a date for older times; "never" when there was none. */
export function timeAgo(tr: Translator, at: number | undefined, now: number): string {
  return at === undefined ? tr.t('time.never') : tr.ago(at, now);
}

/** "in 4 minutes", "due now", or "—" when nothing is scheduled. */
export function countdown(tr: Translator, at: number | undefined, now: number): string {
  return at === undefined ? tr.t('time.none') : tr.until(at, now);
}

/** The license in one short line: state, then validity ("Active · Valid until 3 Dec 2026 (4 days left)"). */
export function licenseLine(tr: Translator, license: LicenseStateView | undefined): string {
  if (!license) return tr.t('license.notChecked');
  const parts: string[] = [];
  if (license.enabled === false) parts.push(tr.t('license.disabled'));
  else if (license.active === false) parts.push(tr.t('license.inactive'));
  else if (license.expired !== true) parts.push(tr.t('license.active'));
  if (license.isTrial) parts.push(tr.t('license.trial'));
  if (license.expiresAt !== undefined) {
    const date = tr.date(license.expiresAt);
    if (license.expired) parts.push(tr.t('license.expired', { date }));
    else if (license.daysLeft === 0) parts.push(tr.t('license.expiresToday', { date }));
    else if (license.daysLeft !== undefined) parts.push(tr.plural('license.expires', license.daysLeft, { date, days: tr.number(license.daysLeft) }));
    else parts.push(tr.t('license.validUntil', { date }));
  } else if (license.expired !== true) {
    parts.push(tr.t('license.noExpiry'));
  }
  if (license.maxActivations !== undefined && license.timesActivated !== undefined) {
    parts.push(tr.t('license.activations', { used: tr.number(license.timesActivated), max: tr.number(license.maxActivations) }));
  }
  return parts.join(' · ');
}

/** The engine's license summary in the window's language (its English words when the status carries no messages). */
export function licenseSummaryIn(tr: Translator, license: LicenseStateView): string {
  return license.summaryParts ? license.summaryParts.map((part) => say(tr, part)).join(' · ') : license.summary;
}

const ENGLISH = translator('en');

/** A warning in the window's language when the engine worded it from the catalogue; the shell's and older ones as they are. */
export function warningIn(tr: Translator, warning: string, messages: readonly Message[] | undefined): string {
  const message = messages?.find((m) => say(ENGLISH, m) === warning);
  return message ? say(tr, message) : warning;
}

export function formatValue(v: VariableValue | undefined): string {
  if (v === undefined) return '—';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return String(v);
}

/** Splits a comma/space/newline separated list of names. */
export function parseNameList(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).map((x) => x.trim()).filter(Boolean))];
}
