// Paints the status part of the window from a StatusView.
import type { StatusView } from '../preload/contract.ts';
import { renderChart } from './chart.ts';
import { byId, h } from './dom.ts';
import { PHASE_LABEL, countdown, formatValue, timeAgo } from './format.ts';

export function renderStatus(status: StatusView, now: number): void {
  const badge = byId('badge');
  badge.dataset.phase = status.phase;
  badge.textContent = PHASE_LABEL[status.phase] + (status.usingSandbox ? ' · sandbox' : '');
  byId('headline').textContent = status.headline || '—';
  byId('hardware-id').textContent = status.hardwareId || '—';
  byId<HTMLButtonElement>('copy-hwid').disabled = !status.hardwareId;
  byId('hardware-id-source').textContent = status.hardwareIdSource?.description ?? '—';
  byId('product').textContent = status.product || '—';
  byId('license').textContent = status.licenseDisplay || '—';
  byId('license-state').textContent = status.license?.summary ?? 'not checked yet';
  byId('server').textContent = status.usingSandbox ? `${status.apiUrl} (local sandbox)` : status.apiUrl || '—';
  byId('reply-verification').textContent = status.replyVerification?.description ?? '—';
  byId('tray-policy').textContent = status.appearance.trayIconText;
  byId('notifications-policy').textContent = status.appearance.notificationsText;
  byId<HTMLButtonElement>('deactivate').disabled = !status.hardwareId || !status.product;
  byId<HTMLButtonElement>('pause').textContent = status.phase === 'paused' ? 'Resume' : 'Pause';
  byId<HTMLButtonElement>('sync-now').disabled = status.phase === 'paused' || status.phase === 'syncing';
  // Until the first sync after a start: why it comes when it does, in one sentence.
  const why = byId('first-sync-why');
  why.textContent = status.firstSync?.explanation ?? '';
  why.hidden = status.firstSync === undefined;
  renderTimes(status, now);
  // The app's own version and update (main/updater.ts): one line, and the button when one is ready.
  byId('app-version').textContent = status.update?.currentVersion ?? '—';
  const update = byId('update-summary');
  update.textContent = status.update?.summary ?? '';
  update.hidden = !status.update;
  byId<HTMLButtonElement>('restart-to-update').hidden = !status.update?.canRestart;

  const warnings = byId('warnings');
  warnings.replaceChildren(...status.warnings.map((w) => h('p', {}, w)));
  warnings.hidden = status.warnings.length === 0;

  const error = byId('error');
  error.hidden = !status.error;
  if (status.error) {
    byId('error-summary').textContent = status.error.summary;
    byId('error-remedy').textContent = status.error.remedy;
    byId('error-code').textContent = status.error.code;
  }

  const tbody = byId('variables').querySelector('tbody');
  tbody?.replaceChildren(...(status.variables.length === 0
    ? [h('tr', {}, h('td', { colspan: 4, class: 'muted' }, 'No variables collected yet.'))]
    : status.variables.map((v) => h('tr', { 'data-name': v.name },
      h('th', { scope: 'row' }, h('code', {}, v.name)),
      h('td', {}, formatValue(v.value)),
      h('td', {}, formatValue(v.acknowledged)),
      h('td', { class: v.pending ? 'pending-yes' : '' }, v.pending ? 'yes' : 'no'),
    ))));

  renderSources(status);
  byId('chart').replaceChildren(renderChart(status.history, status.samples, now));
}

const SOURCE_STATE: Record<NonNullable<StatusView['variableSources']>[number]['state'], string> = { ok: 'sent', skipped: 'not sent', off: 'off' };

/** Drop-in files and managed sources: each with where it is, how many variables it gave, and why it was left out. */
function renderSources(status: StatusView): void {
  const sources = status.variableSources ?? [];
  byId('sources').hidden = sources.length === 0;
  byId('sources-table').querySelector('tbody')?.replaceChildren(...sources.map((v) => h('tr', { 'data-source': v.source, 'data-state': v.state },
    h('th', { scope: 'row' }, h('code', {}, v.source)),
    h('td', {}, h('span', {}, v.origin), h('br'), h('small', { class: 'muted' }, v.scope)),
    h('td', {}, v.variables),
    h('td', { class: v.state === 'ok' ? '' : 'source-problem' }, SOURCE_STATE[v.state], v.problem ? h('br') : null, v.problem ? h('small', {}, v.problem) : null),
  )));
}

/** The parts that change with the clock alone (called every second while visible). */
export function renderTimes(status: StatusView, now: number): void {
  byId('last-sync').textContent = timeAgo(status.lastSuccessAt, now);
  byId('next-sync').textContent = status.phase === 'paused' ? 'paused' : countdown(status.nextSyncAt, now);
}
