// What the server said about the license, in words and as a verdict. Pure.
// check_license answers 200 even for a disabled, inactive or expired license (the
// vendor's SDK judges the flags itself); so does the agent, here.
import type { LicenseStateView } from '../agent-api.ts';
import { ERROR_CODES } from '../licenseapi/error-codes.ts';
import { LOCAL_ERROR_CODES } from '../licenseapi/errors.ts';
import { EXPIRY_WARNING_DAYS, describeLicenseType } from '../licenseapi/license-types.ts';
import type { ApiErrorLike, LicenseFacts } from './ports.ts';

const DAY_MS = 24 * 60 * 60_000;

function dateOnly(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

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

/** "time-limited license · enabled · active · expires 2031-06-11 (10 days left) · 3 of 100 activations used". */
export function licenseSummary(view: LicenseStateView, now: number): string {
  const parts = [`${describeLicenseType(view.type, view.isTrial)} license`];
  if (view.enabled !== undefined) parts.push(view.enabled ? 'enabled' : 'disabled');
  if (view.active !== undefined) parts.push(view.active ? 'active' : 'not active');
  if (view.expired) parts.push(view.expiresAt !== undefined ? `expired on ${dateOnly(view.expiresAt)}` : 'expired');
  else if (view.expiresAt !== undefined) {
    const days = daysUntil(view.expiresAt, now);
    parts.push(`expires ${dateOnly(view.expiresAt)} (${days <= 0 ? 'today' : `${days} day${days === 1 ? '' : 's'} left`})`);
  } else if (view.type === 'perpetual') parts.push('does not expire');
  if (view.maxActivations !== undefined) {
    parts.push(view.timesActivated !== undefined ? `${view.timesActivated} of ${view.maxActivations} activations used` : `up to ${view.maxActivations} activations`);
  }
  return parts.join(' · ');
}

/** The view as of `now` (days left and the summary move with the clock). */
export function licenseViewAt(view: LicenseStateView, now: number): LicenseStateView {
  const current: LicenseStateView = { ...view, summary: licenseSummary(view, now) };
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

/** A warning 14 days before expiry, a stronger one 3 days before; undefined otherwise. */
export function expiryWarning(view: LicenseStateView | undefined, now: number): string | undefined {
  if (view?.expiresAt === undefined || view.expired === true) return undefined;
  const days = daysUntil(view.expiresAt, now);
  if (days < 0 || days >= EXPIRY_WARNING_DAYS[0]) return undefined;
  const when = days <= 0 ? 'today' : `in ${days} day${days === 1 ? '' : 's'}`;
  const what = `${view.isTrial ? 'The trial license' : 'The license'} expires ${when} (${dateOnly(view.expiresAt)}).`;
  return days < EXPIRY_WARNING_DAYS[1]
    ? `${what} Renew it now: the licensed program may stop working when it expires.`
    : `${what} Ask your license administrator to renew it.`;
}

/** The short form for the tray's headline ("license expires in 3 days"). */
export function expiryNotice(view: LicenseStateView | undefined, now: number): string | undefined {
  if (expiryWarning(view, now) === undefined) return undefined;
  const days = daysUntil(view!.expiresAt!, now);
  return days <= 0 ? 'license expires today' : `license expires in ${days} day${days === 1 ? '' : 's'}`;
}
