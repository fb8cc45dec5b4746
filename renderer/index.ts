// The status window's entry point: three views (Status, What is sent, Settings)
// in the window's language; loads status and settings through the bridge,
// repaints on every status push, and ticks the clock only while visible.
import type { StatusView } from '../preload/contract.ts';
import { bridge } from './bridge.ts';
import { byId } from './dom.ts';
import { applyI18n, tr } from './i18n.ts';
import { renderSent } from './sent-view.ts';
import { fillSettings, setUpSettingsForm, wireSettingsForm } from './settings-form.ts';
import { renderStatus, renderTimes } from './status-view.ts';
import { currentView, showView, wireTabs } from './tabs.ts';

const TICK_MS = 1000;
/** While visible the window also re-reads the status (pushes still arrive when hidden). */
const VISIBLE_POLL_MS = 5000;

let status: StatusView | undefined;
let tick: ReturnType<typeof setInterval> | undefined;
let poll: ReturnType<typeof setInterval> | undefined;

function show(next: StatusView): void {
  status = next;
  const now = Date.now();
  renderStatus(next, now);
  // The variable list is only built while it is looked at (it is the largest part).
  if (currentView() === 'sent') renderSent(next, now);
}

async function refresh(): Promise<void> {
  const reply = await bridge().getStatus();
  if (reply.ok) show(reply.value);
}

function onVisibility(): void {
  const visible = document.visibilityState === 'visible';
  if (visible && !tick) {
    void refresh();
    tick = setInterval(() => { if (status) renderTimes(status, Date.now()); }, TICK_MS);
    poll = setInterval(() => void refresh(), VISIBLE_POLL_MS);
  } else if (!visible && tick) {
    clearInterval(tick);
    clearInterval(poll);
    tick = undefined;
    poll = undefined;
  }
  document.documentElement.dataset.refresh = tick ? 'fast' : 'idle';
}

function flash(text: string): void {
  byId('state-line').textContent = text;
}

/** "Deactivate this device…" asks first; only the confirmation's own button calls main. */
function wireDeactivate(): void {
  const open = byId<HTMLButtonElement>('deactivate');
  const panel = byId('deactivate-confirm');
  const message = byId('deactivate-message');
  const close = () => {
    panel.hidden = true;
    open.setAttribute('aria-expanded', 'false');
  };
  open.addEventListener('click', () => {
    panel.hidden = false;
    open.setAttribute('aria-expanded', 'true');
    message.textContent = '';
    byId('deactivate-no').focus();
  });
  byId('deactivate-no').addEventListener('click', () => {
    close();
    open.focus();
  });
  byId('deactivate-yes').addEventListener('click', () => {
    byId<HTMLButtonElement>('deactivate-yes').disabled = true;
    void bridge().deactivate().then((reply) => {
      byId<HTMLButtonElement>('deactivate-yes').disabled = false;
      close();
      if (reply.ok) {
        show(reply.value);
        message.textContent = tr.t('deactivate.done');
      } else {
        message.textContent = reply.error.message;
      }
      open.focus();
    });
  });
}

function syncNow(): void {
  void bridge().syncNow().then((reply) => {
    if (!reply.ok) flash(reply.error.message);
    return refresh();
  });
}

async function main(): Promise<void> {
  applyI18n();
  const api = bridge();
  api.onStatus(show);
  wireTabs((view) => { if (view === 'sent' && status) renderSent(status, Date.now()); });
  byId('sync-now').addEventListener('click', syncNow);
  // The one thing to do about the problem shown: fix the settings, or try again.
  byId('fix').addEventListener('click', () => {
    if (byId('fix').dataset.fix === 'settings') showView('settings', true);
    else syncNow();
  });
  byId('pause').addEventListener('click', () => {
    void api.setPaused(status?.phase !== 'paused').then((reply) => { if (reply.ok) show(reply.value); });
  });
  byId('copy-hwid').addEventListener('click', () => {
    void api.copyHardwareId().then((reply) => {
      byId('copy-hwid').textContent = tr.t(reply.ok ? 'action.copied' : 'action.copy');
      setTimeout(() => { byId('copy-hwid').textContent = tr.t('action.copy'); }, 1500);
    });
  });
  byId('restart-to-update').addEventListener('click', () => {
    byId<HTMLButtonElement>('restart-to-update').disabled = true;
    void api.restartToUpdate().then((reply) => {
      byId<HTMLButtonElement>('restart-to-update').disabled = false;
      if (!reply.ok) flash(reply.error.message);
    });
  });
  wireDeactivate();
  wireSettingsForm();
  document.addEventListener('visibilitychange', onVisibility);
  onVisibility();
  const [s, form, settings] = await Promise.all([api.getStatus(), api.getSettingsForm(), api.getSettings()]);
  if (s.ok) show(s.value);
  if (form.ok) setUpSettingsForm(form.value);
  if (form.ok && settings.ok) fillSettings(settings.value);
  document.documentElement.dataset.ready = 'true';
}

void main().catch((error: unknown) => {
  document.body.textContent = tr.t('window.startFailed', { message: (error as Error).message });
});
