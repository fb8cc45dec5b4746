// The one-line headline and phase a person sees (tray tooltip, CLI, status window). Pure.
import type { AgentErrorView, AgentPhase } from '../agent-api.ts';

export interface StatusFacts {
  now: number;
  paused: boolean;
  syncing: boolean;
  lastSuccessAt?: number | undefined;
  lastError?: AgentErrorView | undefined;
  nextSyncAt?: number | undefined;
  /** Desired values the server has not confirmed. */
  pendingCount: number;
  /** The device was deactivated from this agent (it stays paused until resumed). */
  deactivated?: boolean;
  /** Appended to the "Synced" headline, e.g. "license expires in 3 days" (the tray shows the headline). */
  licenseNotice?: string | undefined;
}

const OFFLINE_CODES = new Set(['network_error', 'dns_failure', 'timeout', 'connection_reset']);

/** "a moment", "20 s", "4 min", "1 h 30 min" (below 6 h), "7 h", "3 d". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 45) return s < 1.5 ? 'a moment' : `${Math.round(s)} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${Math.max(1, min)} min`;
  if (min < 6 * 60) {
    const rest = Math.round((min % 60) / 5) * 5;
    const hours = Math.floor(min / 60) + (rest === 60 ? 1 : 0);
    return rest === 0 || rest === 60 ? `${hours} h` : `${hours} h ${rest} min`;
  }
  const h = Math.round(min / 60);
  if (h < 48) return `${h} h`;
  return `${Math.round(h / 24)} d`;
}

function ago(now: number, at: number): string {
  return now - at < 45_000 ? 'just now' : `${formatDuration(now - at)} ago`;
}

function whenNext(facts: StatusFacts): string {
  return facts.nextSyncAt === undefined ? '' : ` — will retry in ${formatDuration(facts.nextSyncAt - facts.now)}`;
}

export function describeStatus(facts: StatusFacts): { phase: AgentPhase; headline: string } {
  const { now, lastError } = facts;
  if (facts.paused && facts.deactivated) {
    return { phase: 'paused', headline: 'Deactivated: this device no longer holds the license; syncing is paused (resume to activate it again)' };
  }
  if (facts.paused) {
    const waiting = facts.pendingCount > 0 ? ` (${facts.pendingCount} value${facts.pendingCount === 1 ? '' : 's'} waiting)` : '';
    return { phase: 'paused', headline: `Paused${waiting}` };
  }
  if (facts.syncing) return { phase: 'syncing', headline: 'Syncing…' };
  if (lastError !== undefined) {
    if (lastError.errorClass === 'retryable') {
      const label = OFFLINE_CODES.has(lastError.code) ? 'Offline' : 'Server unavailable';
      return { phase: 'pending', headline: `${label}${whenNext(facts)}` };
    }
    return { phase: 'attention', headline: `Needs attention: ${lastError.summary.replace(/\.$/, '')}` };
  }
  if (facts.lastSuccessAt === undefined) {
    const first = facts.nextSyncAt === undefined ? 'Starting…' : `Starting — first sync in ${formatDuration(facts.nextSyncAt - now)}`;
    return { phase: 'starting', headline: first };
  }
  if (facts.pendingCount > 0) {
    return { phase: 'pending', headline: `${facts.pendingCount} value${facts.pendingCount === 1 ? '' : 's'} waiting — last synced ${ago(now, facts.lastSuccessAt)}` };
  }
  const notice = facts.licenseNotice ? ` — ${facts.licenseNotice}` : '';
  return { phase: 'synced', headline: `Synced ${ago(now, facts.lastSuccessAt)}${notice}` };
}
