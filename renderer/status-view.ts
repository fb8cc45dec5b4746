// Paints the Status view (and the state header every view shares) from a StatusView.
import type { AgentPhase } from '../app/agent-api.ts';
import type { StatusView } from '../preload/contract.ts';
import { renderChart } from './chart.ts';
import { byId, h } from './dom.ts';
import { countdown, licenseLine, licenseSummaryIn, timeAgo, warningIn } from './format.ts';
import { tr } from './i18n.ts';
import { say } from '../locales/i18n.ts';

/** The state icon's glyph per phase (drawn in the phase's colour; the word beside it says the same). */
const GLYPH: Record<AgentPhase, string> = {
  starting: 'M12 7v5l3 2',
  synced: 'M7 12.5l3.2 3.2L17 9',
  syncing: 'M7 12h10M13 8l4 4-4 4',
  pending: 'M12 7v5l3 2',
  attention: 'M12 7v6M12 16.5v.5',
  paused: 'M10 8v8M14 8v8',
};

function stateLine(status: StatusView): string {
  const pending = status.variables.filter((v) => v.pending).length;
  switch (status.phase) {
    case 'starting': return tr.t('state.starting');
    // Synced, yet something was left out or wants a look (a variables.d file, an expiring license): the line points at it.
    case 'synced': return status.warnings.length === 0 ? tr.plural('state.synced', status.variables.length)
      : `${tr.plural('state.synced', status.variables.length)} ${tr.plural('state.notesBelow', status.warnings.length)}`;
    case 'syncing': return tr.t('state.syncing');
    case 'pending': return pending > 0 ? tr.plural('state.pending', pending) : tr.t('state.pendingNone');
    case 'attention': return tr.t('state.attention');
    case 'paused': return tr.t('state.paused');
  }
}

export function renderStatus(status: StatusView, now: number): void {
  const phaseWord = tr.t(`phase.${status.phase}`);
  const badge = byId('badge');
  // Only a change is written: the badge is a live region, and a rewrite of the same words would be read out again.
  const badgeText = status.usingSandbox ? tr.t('phase.sandbox', { phase: phaseWord }) : phaseWord;
  if (badge.textContent !== badgeText) badge.textContent = badgeText;
  badge.dataset.phase = status.phase;
  byId('state').dataset.phase = status.phase;
  byId('state-glyph').setAttribute('d', GLYPH[status.phase]);
  byId('state-line').textContent = stateLine(status);

  // The engine's headline and license summary come as catalogue messages; the English text only where there is none (an older main).
  byId('headline').textContent = status.headlineMessage ? say(tr, status.headlineMessage) : status.headline || '—';
  byId('hardware-id').textContent = status.hardwareId || '—';
  byId('hardware-id').title = status.hardwareId;
  byId<HTMLButtonElement>('copy-hwid').disabled = !status.hardwareId;
  const source = status.hardwareIdSource;
  byId('hardware-id-source').textContent = source ? source.message ? say(tr, source.message) : source.description : '—';
  byId('product').textContent = status.product || '—';
  byId('license').textContent = status.licenseDisplay || '—';
  byId('license-line').textContent = licenseLine(tr, status.license);
  byId('license-state').textContent = status.license ? licenseSummaryIn(tr, status.license) : tr.t('license.notChecked');
  byId('server').textContent = status.usingSandbox ? tr.t('status.serverSandbox', { url: status.apiUrl }) : status.apiUrl || '—';
  // The engine's English words (they name the key exactly), or the same fact from the catalogue by the key's source.
  const replies = status.replyVerification;
  byId('reply-verification').textContent = !replies ? '—' : tr.language === 'en' ? replies.description : tr.t(`replies.${replies.keySource}`);
  // How visible the app is (issue 15's policy): the shell's English words, or the same facts from the catalogue.
  byId('tray-policy').textContent = tr.language === 'en' ? status.appearance.trayIconText : tr.t(`policy.trayIcon.${status.appearance.trayIcon}`);
  byId('notifications-policy').textContent = tr.language === 'en' ? status.appearance.notificationsText : tr.t(status.appearance.notifications ? 'policy.notifications.on' : 'policy.notifications.off');
  byId<HTMLButtonElement>('deactivate').disabled = !status.hardwareId || !status.product;
  byId<HTMLButtonElement>('pause').textContent = tr.t(status.phase === 'paused' ? 'action.resume' : 'action.pause');
  byId<HTMLButtonElement>('sync-now').disabled = status.phase === 'paused' || status.phase === 'syncing';
  // Until the first sync after a start: why it comes when it does, in one sentence.
  const why = byId('first-sync-why');
  // The engine words it in English (with its exact splay); another language says the reason from its catalogue.
  why.textContent = !status.firstSync ? '' : tr.language === 'en' ? status.firstSync.explanation : tr.t(`firstSync.${status.firstSync.reason}`);
  why.hidden = status.firstSync === undefined;
  renderTimes(status, now);
  renderUpdate(status);

  const warnings = byId('warnings');
  warnings.replaceChildren(...status.warnings.map((w) => h('p', {}, warningIn(tr, w, status.warningMessages))));
  warnings.hidden = status.warnings.length === 0;

  const error = byId('error');
  error.hidden = !status.error;
  if (status.error) {
    byId('error-summary').textContent = status.error.summary;
    byId('error-remedy').textContent = status.error.remedy;
    byId('error-code').textContent = status.error.code;
    const fix = byId<HTMLButtonElement>('fix');
    // Main says which button cures it (main/error-fix.ts, the one place that decides); without its word, trying again is safe.
    const cure = status.errorFix ?? 'sync';
    fix.hidden = cure === 'none';
    fix.dataset.fix = cure === 'settings' ? 'settings' : 'sync';
    fix.textContent = tr.t(cure === 'settings' ? 'action.openSettings' : 'action.tryAgain');
    fix.disabled = status.phase === 'paused' || status.phase === 'syncing';
  }

  const chart = renderChart(status.history, status.samples, now);
  byId('chart').replaceChildren(chart.svg);
  // No history yet, or a first day's few dots: one sentence says the chart fills in.
  const note = byId('chart-empty');
  note.textContent = tr.t(chart.sparse ? 'chart.sparse' : 'chart.empty');
  note.hidden = !chart.empty && !chart.sparse;
}

/** The parts that change with the clock alone (called every second while visible). */
export function renderTimes(status: StatusView, now: number): void {
  setText('last-sync', timeAgo(tr, status.lastSuccessAt, now));
  setText('next-sync', status.phase === 'paused' ? tr.t('time.paused') : countdown(tr, status.nextSyncAt, now));
}

function setText(id: string, text: string): void {
  const el = byId(id);
  if (el.textContent !== text) el.textContent = text;
}

/**
 * The app's own version and update (main/updater.ts): the updater's line under Details (its
 * English words, or the state's in another language), and — when one is ready — a box on the
 * Status view with the one button for it.
 */
function renderUpdate(status: StatusView): void {
  const update = status.update;
  byId('app-version').textContent = update?.currentVersion ?? '—';
  const line = byId('update-summary');
  line.textContent = !update ? '' : tr.language === 'en' ? update.summary : tr.t(`update.${update.state}`, { version: update.version ?? '', percent: tr.number(update.percent ?? 0) });
  line.hidden = !update;
  const ready = update?.canRestart === true;
  byId('update-box').hidden = !ready;
  byId('update-ready').textContent = ready ? tr.t('update.ready', { version: update.version ?? '' }) : '';
  byId<HTMLButtonElement>('restart-to-update').hidden = !ready;
}
