// What the engine shows (status(), every status event): a pure snapshot of its Model at
// `now`, plus the warnings of the state store (which the model does not hold).
import type { AgentStatus, VariableRow, VariableSourceView } from '../agent-api.ts';
import { printableDeep } from '../printable.ts';
import type { Model } from './engine-model.ts';
import { pendingVariables } from './diff.ts';
import { expiryNoticeMessage, expiryWarningMessage, licenseViewAt } from './license-state.ts';
import { inEnglish, statusMessage } from './status-text.ts';
import type { Message } from '../../locales/i18n.ts';

/** One warning per drop-in file or managed source left out (the window lists them all under its own heading); its problem stays the collector's words. */
export function sourceWarningMessage(view: VariableSourceView): Message {
  const state = view.state === 'off' ? 'off' : 'skipped';
  const problem = view.problem ?? '';
  if (view.scope === 'managed file') return { key: `warning.sourceManaged.${state}`, params: { source: view.source, origin: view.origin, problem } };
  return { key: `warning.sourceFolder.${state}`, params: { origin: view.origin, scope: { key: view.scope === 'per-user folder' ? 'warning.scope.user' : 'warning.scope.machine' }, problem } };
}

/** The same warning in English (logs, the CLI, the state's readers). */
export function sourceWarning(view: VariableSourceView): string {
  return inEnglish(sourceWarningMessage(view));
}

export interface StatusExtras {
  /** The state store's own warnings (a quarantined file, a write that failed). */
  storeWarnings: readonly string[];
}

export function statusOf(model: Model, extras: StatusExtras, now: number): AgentStatus {
  const { state, options, license, paused, nextSyncAt, firstSync } = model;
  const pending = pendingVariables(state.desired, state.acknowledged);
  const variables: VariableRow[] = Object.entries(state.desired).map(([name, value]) => {
    const row: VariableRow = { name, value, pending: Object.hasOwn(pending, name) };
    if (Object.hasOwn(state.acknowledged, name)) row.acknowledged = state.acknowledged[name]!;
    return row;
  });
  const { phase, headline } = statusMessage({
    now, paused, syncing: model.syncing, lastSuccessAt: state.lastSuccessAt, lastError: state.lastError, nextSyncAt, pendingCount: Object.keys(pending).length,
    deactivated: model.deactivated, licenseNotice: expiryNoticeMessage(license, now), restored: model.restored,
  });
  const expiryMessage = expiryWarningMessage(license, now);
  const expiry = expiryMessage && inEnglish(expiryMessage);
  const sources = state.variableSources ?? [];
  const out: AgentStatus = {
    phase,
    headline: inEnglish(headline),
    headlineMessage: headline,
    hardwareId: options.identity.hardwareId,
    product: options.identity.product,
    licenseDisplay: options.display.licenseDisplay,
    apiUrl: options.display.apiUrl,
    usingSandbox: options.display.usingSandbox,
    variables,
    history: [...state.history],
    samples: [...state.samples],
    collectorFailures: [...model.collectorFailures],
    warnings: [...(options.warnings ?? []), ...extras.storeWarnings, ...(expiry ? [expiry] : []), ...sources.filter((v) => v.problem !== undefined).map(sourceWarning)],
  };
  // The messages behind some of those lines: the window finds each by its English words and says it in its language.
  const messages = [...(options.warningMessages ?? []), ...(expiryMessage ? [expiryMessage] : []), ...sources.filter((v) => v.problem !== undefined).map(sourceWarningMessage)];
  if (messages.length > 0) out.warningMessages = messages;
  if (sources.length > 0) out.variableSources = sources;
  if (options.display.hardwareIdSource) out.hardwareIdSource = options.display.hardwareIdSource;
  if (options.display.replyVerification) out.replyVerification = options.display.replyVerification;
  if (license) out.license = licenseViewAt(license, now);
  if (state.lastAttemptAt !== undefined) out.lastAttemptAt = state.lastAttemptAt;
  if (state.lastSuccessAt !== undefined) out.lastSuccessAt = state.lastSuccessAt;
  if (nextSyncAt !== undefined) out.nextSyncAt = nextSyncAt;
  if (state.lastError !== undefined) out.error = state.lastError;
  if (firstSync !== undefined && !paused) out.firstSync = firstSync;
  // The state file and the server are not trusted to hold only printable text (the window and the CLI show it).
  return printableDeep(out);
}
