// The one-line headline and phase a person sees (tray tooltip, CLI, status window). Pure.
import type { AgentErrorView, AgentPhase, FirstSyncReason } from '../agent-api.ts';
import { SHORT_SPLAY_MS, SOON_SPLAY_MS, type StartSplay } from './schedule.ts';

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
  /**
   * No cycle has run since this start: the facts are what the last run left (state.json).
   * The headline then says when the next sync comes, since nothing else will change it before.
   */
  restored?: boolean | undefined;
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

/** "next sync in 40 s" when the headline is the last run's (restored) and the next sync is known. */
function restoredNext(facts: StatusFacts, separator: string): string {
  return facts.restored === true && facts.nextSyncAt !== undefined ? `${separator}next sync in ${formatDuration(facts.nextSyncAt - facts.now)}` : '';
}

function values(count: number): string {
  return `${count} value${count === 1 ? '' : 's'}`;
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
      const when = facts.restored === true ? ` at the last try (${ago(now, lastError.at)})` : '';
      return { phase: 'pending', headline: `${label}${when}${whenNext(facts)}` };
    }
    return { phase: 'attention', headline: `Needs attention: ${lastError.summary.replace(/\.$/, '')}` };
  }
  if (facts.lastSuccessAt === undefined) {
    // Values collected by an earlier run that never got them to the server (e.g. stopped mid-request).
    if (facts.pendingCount > 0) {
      const next = facts.nextSyncAt === undefined ? '' : ` — first sync in ${formatDuration(facts.nextSyncAt - now)}`;
      return { phase: 'pending', headline: `${values(facts.pendingCount)} waiting to be sent${next}` };
    }
    const first = facts.nextSyncAt === undefined ? 'Starting…' : `Starting — first sync in ${formatDuration(facts.nextSyncAt - now)}`;
    return { phase: 'starting', headline: first };
  }
  if (facts.pendingCount > 0) {
    return { phase: 'pending', headline: `${values(facts.pendingCount)} waiting — last synced ${ago(now, facts.lastSuccessAt)}${restoredNext(facts, '; ')}` };
  }
  const notice = facts.licenseNotice ? ` — ${facts.licenseNotice}` : '';
  return { phase: 'synced', headline: `Synced ${ago(now, facts.lastSuccessAt)}${notice}${restoredNext(facts, notice ? '; ' : ' — ')}` };
}

/** "kernel", "kernel and os_release", "kernel, os_release and 2 more". */
function factList(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? 'unnamed';
  if (names.length === 2) return `${names[0]} and ${names[1]}`;
  return names.length === 3 ? `${names[0]}, ${names[1]} and ${names[2]}` : `${names[0]}, ${names[1]} and ${names.length - 2} more`;
}

/**
 * Why the first sync after a start comes when it does, in one sentence: the window shows
 * it beside the next sync time, `run` prints it. Pure.
 */
export function firstSyncExplanation(reason: FirstSyncReason, splay: StartSplay, changedStatic: readonly string[] = []): string {
  const within = (ms: number) => formatDuration(Math.min(ms, splay.intervalMs));
  const spread = `at a random moment within ${within(splay.intervalMs)}, so that computers starting together do not reach the server at once`;
  switch (reason) {
    case 'asked': return 'The first sync runs at once.';
    case 'first-start': return `Nothing has been sent from this computer yet: the first sync comes within ${within(splay.soonMs ?? SOON_SPLAY_MS)}.`;
    case 'configuration': return `The configuration changed since the last sync (server, credentials, license or hardware id): the first sync comes within ${within(splay.soonMs ?? SOON_SPLAY_MS)}.`;
    case 'pending': return `Values were left waiting to be sent: the first sync comes within ${within(splay.shortMs ?? SHORT_SPLAY_MS)}.`;
    case 'static-changed': return `A fact about this computer changed while the agent was off (${factList(changedStatic)}): the first sync comes within ${within(splay.shortMs ?? SHORT_SPLAY_MS)}.`;
    case 'attention': return `The last sync needs attention: the agent tries again ${spread}.`;
    case 'drift': return `Everything was in sync when the agent stopped: the first sync comes ${spread}.`;
  }
}
