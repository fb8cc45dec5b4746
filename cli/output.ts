// What the CLI prints: one line per cycle, the error line, the status report.
import { translator, type Translator } from '../locales/i18n.ts';
import type { AgentErrorView, AgentStatus, VariableSourceView } from '../app/agent-api.ts';
import { localizeError } from '../app/licenseapi/error-text.ts';
import type { SyncState } from '../app/state/sync-state.ts';
import { isInSync } from '../app/sync/diff.ts';
import { licenseSummary } from '../app/sync/license-state.ts';
import type { VariableMap } from '../app/variables.ts';
import { CLI_NAME } from '../app/branding/index.ts';

const ENGLISH = translator('en');

/** The one line of an error, in the reader's language (the code stays as it is: scripts and searches key on it). */
export function errorLine(error: Pick<AgentErrorView, 'code' | 'summary' | 'remedy'>, tr: Translator = ENGLISH): string {
  const { code, summary, remedy } = localizeError(error, tr);
  return tr.t('cli.error', { code, summary, remedy });
}

function iso(ms: number | undefined): string {
  return ms === undefined ? 'never' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** One line per finished cycle, for `run` and `demo`. */
export function cycleLine(status: AgentStatus): string {
  const last = status.history.at(-1);
  const pending = status.variables.filter((v) => v.pending).length;
  const parts = [
    iso(last?.at ?? Date.now()),
    status.phase.padEnd(9),
    last ? (last.outcome === 'ok' ? `sent ${last.sent}` : last.outcome === 'nothing-to-send' ? 'nothing to send' : `failed (${last.code ?? 'error'})`) : '',
    `${status.variables.length - pending}/${status.variables.length} on server`,
    status.nextSyncAt ? `next ${iso(status.nextSyncAt)}` : '',
  ];
  return `${parts.filter(Boolean).join(' · ')}${status.error ? ` — ${status.error.summary}` : ''}`;
}

/** One line per drop-in file or managed source left out at the last cycle (the engine's warnings say the same). */
export function sourceProblemLines(views: readonly VariableSourceView[] | undefined): string[] {
  return (views ?? []).filter((v) => v.problem !== undefined)
    .map((v) => `${v.scope === 'managed file' ? `variable source ${v.source} (${v.origin})` : `${v.origin} (${v.scope})`} ${v.state === 'off' ? 'is off' : 'is left out'}: ${v.problem}`);
}

export function variablesTable(values: VariableMap): string {
  const names = Object.keys(values).sort();
  const width = Math.max(8, ...names.map((n) => n.length));
  return names.map((name) => `${name.padEnd(width)}  ${String(values[name])}`).join('\n');
}

export interface StatusReport {
  stateDir: string;
  stateFile: string;
  inSync: boolean;
  pending: string[];
  variables: number;
  lastAttemptAt?: string;
  lastSuccessAt?: string;
  lastError?: { code: string; summary: string; remedy: string; at: string };
  recent: Array<{ at: string; outcome: string; sent: number; code?: string }>;
  /** What the server last said about the license, in words, and when. */
  license?: { summary: string; checkedAt: string };
  /** Drop-in files and managed sources at the last cycle (issue 15). */
  variableSources?: VariableSourceView[];
  warnings: string[];
}

/**
 * The report of `status`. Its words (the license summary, the last error) are said in `tr`'s
 * language: English for --json (scripts key on it), the reader's for the text.
 */
export function statusReport(state: SyncState, stateDir: string, stateFile: string, pending: VariableMap, warnings: string[], tr: Translator = ENGLISH): StatusReport {
  const lastError = state.lastError && localizeError(state.lastError, tr);
  return {
    stateDir,
    stateFile,
    inSync: isInSync(Object.keys(state.desired).length, Object.keys(pending).length),
    pending: Object.keys(pending).sort(),
    variables: Object.keys(state.desired).length,
    ...(state.lastAttemptAt ? { lastAttemptAt: iso(state.lastAttemptAt) } : {}),
    ...(state.lastSuccessAt ? { lastSuccessAt: iso(state.lastSuccessAt) } : {}),
    ...(lastError ? { lastError: { code: lastError.code, summary: lastError.summary, remedy: lastError.remedy, at: iso(lastError.at) } } : {}),
    recent: state.history.slice(-5).map((h) => ({ at: iso(h.at), outcome: h.outcome, sent: h.sent, ...(h.code ? { code: h.code } : {}) })),
    ...(state.license ? { license: { summary: licenseSummary(state.license, Date.now(), tr), checkedAt: iso(state.license.checkedAt) } } : {}),
    ...(state.variableSources ? { variableSources: state.variableSources } : {}),
    warnings,
  };
}

/** The report as text, in the reader's language (the labels line up in each). */
export function statusText(report: StatusReport, tr: Translator = ENGLISH): string {
  const label = (key: 'state' | 'inSync' | 'variables' | 'lastAttempt' | 'lastSuccess' | 'license' | 'sources' | 'lastError') => tr.t(`cli.status.${key}`);
  const width = Math.max(...(['state', 'inSync', 'variables', 'lastAttempt', 'lastSuccess', 'license', 'sources', 'lastError'] as const).map((k) => label(k).length)) + 2;
  const line = (key: Parameters<typeof label>[0], value: string) => `${`${label(key)}:`.padEnd(width)}${value}`;
  const never = tr.t('time.never');
  const pendingList = `${report.pending.slice(0, 8).join(', ')}${report.pending.length > 8 ? ', …' : ''}`;
  const inSync = report.inSync ? tr.t('cli.status.yes') : report.variables === 0 ? tr.t('cli.status.noData', { command: `${CLI_NAME} once` }) : tr.t('cli.status.pending', { count: report.pending.length, names: pendingList });
  const lines = [
    line('state', report.stateFile),
    line('inSync', inSync),
    line('variables', String(report.variables)),
    line('lastAttempt', report.lastAttemptAt ?? never),
    line('lastSuccess', report.lastSuccessAt ?? never),
  ];
  if (report.license) lines.push(line('license', tr.t('cli.status.licenseAsOf', { summary: report.license.summary, at: report.license.checkedAt })));
  if (report.variableSources?.length) {
    const sent = report.variableSources.filter((v) => v.state === 'ok');
    lines.push(line('sources', tr.t('cli.status.sourcesText', { used: sent.length, total: report.variableSources.length, variables: sent.reduce((n, v) => n + v.variables, 0), list: report.variableSources.map((v) => `${v.source} ${v.state}`).join(', ') })));
  }
  if (report.lastError) lines.push(line('lastError', tr.t('cli.status.lastErrorText', { code: report.lastError.code, at: report.lastError.at, summary: report.lastError.summary, remedy: report.lastError.remedy })));
  for (const h of report.recent) lines.push(`  ${h.at}  ${h.outcome}${h.sent ? ` (${h.sent} sent)` : ''}${h.code ? ` ${h.code}` : ''}`);
  for (const w of report.warnings) lines.push(tr.t('cli.status.warning', { warning: w }));
  return lines.join('\n');
}
