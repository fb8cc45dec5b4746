// What to send: the desired values the server has not confirmed. Pure.
import type { VariableMap, VariableValue } from '../variables.ts';
import { isRefreshDue } from './refresh-due.ts';

/** Strict, type-aware equality: 5 and "5" differ, as do true and "true". */
export function sameValue(a: VariableValue | undefined, b: VariableValue | undefined): boolean {
  return a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b));
}

/** Desired entries whose value differs from the acknowledged one (or was never acknowledged). */
export function pendingVariables(desired: VariableMap, acknowledged: VariableMap): VariableMap {
  const out: VariableMap = {};
  for (const [name, value] of Object.entries(desired)) {
    if (!Object.hasOwn(acknowledged, name) || !sameValue(acknowledged[name], value)) out[name] = value;
  }
  return out;
}

export type SendReason = 'identity-changed' | 'full-refresh' | 'changed' | 'nothing';

export interface SendPlanInput {
  desired: VariableMap;
  acknowledged: VariableMap;
  /** The identity the acknowledged values belong to differs from the current one (or there is none). */
  identityChanged: boolean;
  lastFullRefreshAt: number | undefined;
  now: number;
  fullRefreshMs: number;
}

export interface SendPlan {
  /** What to send; empty means no request at all. */
  variables: VariableMap;
  reason: SendReason;
  /** True when this send re-asserts every desired value (identity change or the daily refresh). */
  full: boolean;
}

export function isFullRefreshDue(lastFullRefreshAt: number | undefined, now: number, fullRefreshMs: number): boolean {
  return isRefreshDue({ forced: false, lastAt: lastFullRefreshAt, now, everyMs: fullRefreshMs });
}

export function planSend(input: SendPlanInput): SendPlan {
  const count = Object.keys(input.desired).length;
  if (count > 0 && input.identityChanged) return { variables: { ...input.desired }, reason: 'identity-changed', full: true };
  if (count > 0 && isFullRefreshDue(input.lastFullRefreshAt, input.now, input.fullRefreshMs)) {
    return { variables: { ...input.desired }, reason: 'full-refresh', full: true };
  }
  const variables = pendingVariables(input.desired, input.acknowledged);
  return Object.keys(variables).length > 0 ? { variables, reason: 'changed', full: false } : { variables, reason: 'nothing', full: false };
}

export interface CyclePlanInput extends SendPlanInput {
  /** This cycle read every value the server holds (after an identity change): as good as the daily full refresh. */
  reconciledEveryValue: boolean;
}

export interface CyclePlan {
  variables: VariableMap;
  /** `reconciled`: what differs from what the server was just read to hold. */
  reason: SendReason | 'reconciled';
  /** True when the cycle, once it succeeds, counts as the daily full refresh (even with nothing to send). */
  full: boolean;
}

/**
 * What a cycle sends after the reconciliation step: when every value was just compared with
 * what the server holds, only what differs is sent (no identity-change resend) and the
 * cycle counts as the daily full refresh.
 */
export function planCycle(input: CyclePlanInput): CyclePlan {
  const fromServer = input.reconciledEveryValue;
  const plan = planSend({
    desired: input.desired, acknowledged: input.acknowledged, identityChanged: input.identityChanged && !fromServer,
    lastFullRefreshAt: fromServer ? input.now : input.lastFullRefreshAt, now: input.now, fullRefreshMs: input.fullRefreshMs,
  });
  const reason = plan.reason !== 'nothing' && fromServer ? 'reconciled' : plan.reason;
  return { variables: plan.variables, reason, full: plan.full || fromServer };
}

/** Acknowledged values after the server confirmed `sent` (what WE sent, not the server's string echo). */
export function acknowledge(acknowledged: VariableMap, sent: VariableMap): VariableMap {
  return { ...acknowledged, ...sent };
}

/**
 * In sync, the one definition: there are values, and the server is known to hold every one
 * (`device-agent status`, `once`'s exit code). Counted from the desired values and those pending.
 */
export function isInSync(values: number, pending: number): boolean {
  return values > 0 && pending === 0;
}
