// The one-line headline and phase a person sees (tray tooltip, CLI, status window). Pure.
import type { AgentErrorView, AgentPhase, FirstSyncReason } from '../agent-api.ts';
import { say, translator, type Message } from '../../locales/i18n.ts';
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
  licenseNotice?: Message | string | undefined;
  /**
   * No cycle has run since this start: the facts are what the last run left (state.json).
   * The headline then says when the next sync comes, since nothing else will change it before.
   */
  restored?: boolean | undefined;
}

const OFFLINE_CODES = new Set(['network_error', 'dns_failure', 'timeout', 'connection_reset']);
const ENGLISH = translator('en');

/** A duration as a message: "a moment", "20 s", "4 min", "1 h 30 min" (below 6 h), "7 h", "3 d". */
export function durationMessage(ms: number): Message {
  const s = Math.max(0, ms) / 1000;
  if (s < 45) return s < 1.5 ? { key: 'duration.moment' } : { key: 'duration.s', params: { n: Math.round(s) } };
  const min = Math.round(s / 60);
  if (min < 60) return { key: 'duration.min', params: { n: Math.max(1, min) } };
  if (min < 6 * 60) {
    const rest = Math.round((min % 60) / 5) * 5;
    const hours = Math.floor(min / 60) + (rest === 60 ? 1 : 0);
    return rest === 0 || rest === 60 ? { key: 'duration.h', params: { n: hours } } : { key: 'duration.hMin', params: { h: hours, min: rest } };
  }
  const h = Math.round(min / 60);
  if (h < 48) return { key: 'duration.h', params: { n: h } };
  return { key: 'duration.d', params: { n: Math.round(h / 24) } };
}

/** A message in English: the engine's texts for logs and for readers that know no catalogue. */
export function inEnglish(message: Message): string {
  return say(ENGLISH, message);
}

/** The duration in English ("4 min"), for logs and the engine's own sentences. */
export function formatDuration(ms: number): string {
  return say(ENGLISH, durationMessage(ms));
}

function ago(now: number, at: number): Message {
  return now - at < 45_000 ? { key: 'time.justNow' } : { key: 'headline.ago', params: { duration: durationMessage(now - at) } };
}

function values(count: number): Message {
  return { key: 'headline.values', params: { count } };
}

/**
 * The headline as a message (catalogue key and parameters): the window, the tray and the
 * CLI say it in their reader's language; describeStatus() says it in English.
 */
export function statusMessage(facts: StatusFacts): { phase: AgentPhase; headline: Message } {
  const { now, lastError } = facts;
  const next = facts.nextSyncAt === undefined ? undefined : durationMessage(facts.nextSyncAt - now);
  if (facts.paused && facts.deactivated) return { phase: 'paused', headline: { key: 'headline.deactivated' } };
  if (facts.paused) {
    return { phase: 'paused', headline: facts.pendingCount > 0 ? { key: 'headline.pausedWaiting', params: { count: facts.pendingCount } } : { key: 'headline.paused' } };
  }
  if (facts.syncing) return { phase: 'syncing', headline: { key: 'headline.syncing' } };
  if (lastError !== undefined) {
    if (lastError.errorClass === 'retryable') {
      const label: Message = { key: OFFLINE_CODES.has(lastError.code) ? 'headline.offline' : 'headline.unavailable' };
      const when = facts.restored === true ? ago(now, lastError.at) : undefined;
      const key = when ? (next ? 'headline.retryRestoredNext' : 'headline.retryRestored') : next ? 'headline.retryNext' : 'headline.retry';
      return { phase: 'pending', headline: { key, params: { label, ...(when ? { ago: when } : {}), ...(next ? { in: next } : {}) } } };
    }
    // The summary is the error's (its code's words in the reader's language, see localizeError); the code lets a reader look it up.
    return { phase: 'attention', headline: { key: 'headline.attention', params: { summary: lastError.summary.replace(/\.$/, ''), code: lastError.code } } };
  }
  if (facts.lastSuccessAt === undefined) {
    // Values collected by an earlier run that never got them to the server (e.g. stopped mid-request).
    if (facts.pendingCount > 0) {
      return { phase: 'pending', headline: next ? { key: 'headline.waitingFirstNext', params: { values: values(facts.pendingCount), in: next } } : { key: 'headline.waitingFirst', params: { values: values(facts.pendingCount) } } };
    }
    return { phase: 'starting', headline: next ? { key: 'headline.startingNext', params: { in: next } } : { key: 'headline.starting' } };
  }
  const restoredNext = facts.restored === true ? next : undefined;
  const last = ago(now, facts.lastSuccessAt);
  if (facts.pendingCount > 0) {
    const params = { values: values(facts.pendingCount), ago: last };
    return { phase: 'pending', headline: restoredNext ? { key: 'headline.pendingNext', params: { ...params, in: restoredNext } } : { key: 'headline.pending', params } };
  }
  const notice = facts.licenseNotice;
  if (notice) {
    const params = { ago: last, notice };
    return { phase: 'synced', headline: restoredNext ? { key: 'headline.syncedNoticeNext', params: { ...params, in: restoredNext } } : { key: 'headline.syncedNotice', params } };
  }
  return { phase: 'synced', headline: restoredNext ? { key: 'headline.syncedNext', params: { ago: last, in: restoredNext } } : { key: 'headline.synced', params: { ago: last } } };
}

/** The headline in English (logs, the engine's `headline` text for readers that know no keys). */
export function describeStatus(facts: StatusFacts): { phase: AgentPhase; headline: string } {
  const { phase, headline } = statusMessage(facts);
  return { phase, headline: say(ENGLISH, headline) };
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
