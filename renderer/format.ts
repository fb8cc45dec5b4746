// Words and numbers for the status window. Pure, so they are unit-tested.
import type { AgentPhase } from '../app/agent-api.ts';
import type { VariableValue } from '../app/variables.ts';

export const PHASE_LABEL: Record<AgentPhase, string> = {
  starting: 'Starting',
  synced: 'Synced',
  syncing: 'Syncing…',
  pending: 'Pending',
  attention: 'Needs attention',
  paused: 'Paused',
};

/** "just now", "5 min ago", "3 h ago", or a date for older times. */
export function timeAgo(at: number | undefined, now: number): string {
  if (at === undefined) return 'never';
  const s = Math.round((now - at) / 1000);
  if (s < 0) return 'just now';
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.max(1, Math.round(s / 60))} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return new Date(at).toLocaleString();
}

/** "in 4:05", "in 1 h 02 min", "due now", or "—" when nothing is scheduled. */
export function countdown(at: number | undefined, now: number): string {
  if (at === undefined) return '—';
  const s = Math.ceil((at - now) / 1000);
  if (s <= 0) return 'due now';
  if (s < 3600) return `in ${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  const h = Math.floor(s / 3600);
  return `in ${h} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
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
