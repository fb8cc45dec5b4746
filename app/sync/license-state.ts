// What the server said about the license, in words and as a verdict. Pure.
// check_license answers 200 even for a disabled, inactive or expired license (the
// vendor's SDK judges the flags itself); so does the agent, here.
import type { LicenseStateView } from '../agent-api.ts';
import { ERROR_CODES } from '../licenseapi/error-codes.ts';
import { LOCAL_ERROR_CODES } from '../licenseapi/errors.ts';
import { EXPIRY_WARNING_DAYS } from '../licenseapi/license-types.ts';
import { say, translator, type Message, type MessageKey, type Translator } from '../../locales/i18n.ts';
import type { ApiErrorLike, LicenseFacts } from './ports.ts';

const DAY_MS = 24 * 60 * 60_000;
const ENGLISH = translator('en');
const inEnglish = (message: Message): string => say(ENGLISH, message);

/** Whole days from `now` until `at` (0 on the last day, negative once passed). */
export function daysUntil(at: number, now: number): number {
  return Math.floor((at - now) / DAY_MS);
}

/** The license as the status shows it; `previous` fills what an activation reply does not carry (the enabled/active flags). */
export function licenseView(facts: LicenseFacts, checkedAt: number, previous?: LicenseStateView): LicenseStateView {
  const view: LicenseStateView = { checkedAt, summary: '' };
  if (facts.licenseType !== undefined) view.type = facts.licenseType;
  if (facts.isTrial !== undefined) view.isTrial = facts.isTrial;
  const enabled = facts.licenseEnabled ?? previous?.enabled;
  const active = facts.licenseActive ?? previous?.active;
  if (enabled !== undefined) view.enabled = enabled;
  if (active !== undefined) view.active = active;
  if (facts.isExpired !== undefined) view.expired = facts.isExpired;
  if (facts.validityPeriod) {
    const at = Date.parse(facts.validityPeriod);
    if (!Number.isNaN(at)) view.expiresAt = at;
  }
  if (facts.maxActivations !== undefined) view.maxActivations = facts.maxActivations;
  if (facts.timesActivated !== undefined) view.timesActivated = facts.timesActivated;
  view.summary = licenseSummary(view, checkedAt);
  return view;
}

const KNOWN_TYPES = new Set(['perpetual', 'time-limited', 'subscription', 'consumption']);

function typeMessage(type: string | undefined, isTrial: boolean | undefined): Message {
  const group = isTrial ? 'licenseSummary.trial' : 'licenseSummary.type';
  if (type === undefined) return { key: `${group}.none` as MessageKey };
  return KNOWN_TYPES.has(type) ? { key: `${group}.${type}` as MessageKey } : { key: `${group}.unknown` as MessageKey, params: { type } };
}

/** The summary as messages, one per part (joined with " · "): the window and the CLI say them in the reader's language. */
export function licenseSummaryParts(view: Omit<LicenseStateView, 'summary'>, now: number): Message[] {
  const parts: Message[] = [typeMessage(view.type, view.isTrial)];
  if (view.enabled !== undefined) parts.push({ key: view.enabled ? 'licenseSummary.enabled' : 'licenseSummary.disabled' });
  if (view.active !== undefined) parts.push({ key: view.active ? 'licenseSummary.active' : 'licenseSummary.notActive' });
  if (view.expired) parts.push(view.expiresAt !== undefined ? { key: 'licenseSummary.expiredOn', params: { date: { day: view.expiresAt } } } : { key: 'licenseSummary.expired' });
  else if (view.expiresAt !== undefined) {
    const days = daysUntil(view.expiresAt, now);
    parts.push({ key: 'licenseSummary.expires', params: { date: { day: view.expiresAt }, left: days <= 0 ? { key: 'licenseSummary.today' } : { key: 'licenseSummary.daysLeft', params: { count: days } } } });
  } else if (view.type === 'perpetual') parts.push({ key: 'licenseSummary.noExpiry' });
  if (view.maxActivations !== undefined) {
    parts.push(view.timesActivated !== undefined
      ? { key: 'licenseSummary.activationsUsed', params: { used: view.timesActivated, max: view.maxActivations } }
      : { key: 'licenseSummary.activationsMax', params: { max: view.maxActivations } });
  }
  return parts;
}

/** "time-limited license · enabled · active · expires 2031-06-11 (10 days left) · 3 of 100 activations used" (English unless told). */
export function licenseSummary(view: Omit<LicenseStateView, 'summary'>, now: number, tr: Translator = ENGLISH): string {
  return licenseSummaryParts(view, now).map((part) => say(tr, part)).join(' · ');
}

/** What the state keeps of the license: the facts, never its words (they are said anew in each reader's language). */
export type LicenseRecord = Omit<LicenseStateView, 'summary' | 'summaryParts' | 'daysLeft'>;

export function licenseRecord(view: LicenseRecord & Partial<LicenseStateView>): LicenseRecord {
  const { summary: _summary, summaryParts: _parts, daysLeft: _days, ...facts } = view;
  return facts;
}

/** The view as of `now` (days left and the summary move with the clock). */
export function licenseViewAt(view: LicenseRecord, now: number): LicenseStateView {
  const summaryParts = licenseSummaryParts(view, now);
  const current: LicenseStateView = { ...licenseRecord(view), summary: summaryParts.map(inEnglish).join(' · '), summaryParts };
  if (view.expiresAt !== undefined) current.daysLeft = Math.max(0, daysUntil(view.expiresAt, now));
  return current;
}

/** The error a license that cannot be used stands for (disabled, inactive, expired), or undefined when it can. */
export function licenseProblem(view: LicenseStateView): ApiErrorLike | undefined {
  const state = ` (${view.summary})`;
  if (view.enabled === false) {
    const info = ERROR_CODES.license_not_enabled;
    return { code: 'license_not_enabled', errorClass: info.errorClass, summary: `${info.summary.replace(/\.$/, '')}${state}.`, remedy: info.remedy };
  }
  if (view.active === false) {
    const info = ERROR_CODES.license_not_active;
    return { code: 'license_not_active', errorClass: info.errorClass, summary: `${info.summary.replace(/\.$/, '')}${state}.`, remedy: info.remedy };
  }
  if (view.expired === true) {
    const info = LOCAL_ERROR_CODES.license_expired;
    return { code: 'license_expired', errorClass: info.errorClass, summary: `${info.summary.replace(/\.$/, '')}${state}.`, remedy: info.remedy };
  }
  return undefined;
}

/** A warning 14 days before expiry, a stronger one 3 days before, as a message; undefined otherwise. */
export function expiryWarningMessage(view: LicenseStateView | undefined, now: number): Message | undefined {
  if (view?.expiresAt === undefined || view.expired === true) return undefined;
  const days = daysUntil(view.expiresAt, now);
  if (days < 0 || days >= EXPIRY_WARNING_DAYS[0]) return undefined;
  const when: Message = days <= 0 ? { key: 'warning.expiry.today' } : { key: 'warning.expiry.inDays', params: { count: days } };
  const what: Message = { key: view.isTrial ? 'warning.expiry.trial' : 'warning.expiry.license', params: { when, date: { day: view.expiresAt } } };
  return { key: days < EXPIRY_WARNING_DAYS[1] ? 'warning.expiry.renewNow' : 'warning.expiry.askAdmin', params: { what } };
}

/** The warning in English. */
export function expiryWarning(view: LicenseStateView | undefined, now: number): string | undefined {
  const message = expiryWarningMessage(view, now);
  return message && say(ENGLISH, message);
}

/** The short form for the headline ("license expires in 3 days"), as a message. */
export function expiryNoticeMessage(view: LicenseStateView | undefined, now: number): Message | undefined {
  if (expiryWarning(view, now) === undefined) return undefined;
  const days = daysUntil(view!.expiresAt!, now);
  return days <= 0 ? { key: 'headline.expiresToday' } : { key: 'headline.expiresIn', params: { count: days } };
}

/** The short form in English. */
export function expiryNotice(view: LicenseStateView | undefined, now: number): string | undefined {
  const message = expiryNoticeMessage(view, now);
  return message && say(ENGLISH, message);
}
