// The status window's entry point: loads status and settings through the
// bridge, repaints on every status push, and ticks the clock only while visible.
import type { StatusView } from '../preload/contract.ts';
import { bridge } from './bridge.ts';
import { byId } from './dom.ts';
import { fillSettings, wireSettingsForm } from './settings-form.ts';
import { renderStatus, renderTimes } from './status-view.ts';

const TICK_MS = 1000;
/** While visible the window also re-reads the status (pushes still arrive when hidden). */
const VISIBLE_POLL_MS = 5000;

let status: StatusView | undefined;
let tick: ReturnType<typeof setInterval> | undefined;
let poll: ReturnType<typeof setInterval> | undefined;

function show(next: StatusView): void {
  status = next;
  renderStatus(next, Date.now());
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
  byId('headline').textContent = text;
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
        message.textContent = 'This device was deactivated; syncing is paused.';
      } else {
        message.textContent = reply.error.message;
      }
      open.focus();
    });
  });
}

async function main(): Promise<void> {
  const api = bridge();
  api.onStatus(show);
  byId('sync-now').addEventListener('click', () => {
    void api.syncNow().then((reply) => {
      if (!reply.ok) flash(reply.error.message);
      return refresh();
    });
  });
  byId('pause').addEventListener('click', () => {
    void api.setPaused(status?.phase !== 'paused').then((reply) => { if (reply.ok) show(reply.value); });
  });
  byId('copy-hwid').addEventListener('click', () => {
    void api.copyHardwareId().then((reply) => {
      byId('copy-hwid').textContent = reply.ok ? 'Copied' : 'Copy';
      setTimeout(() => { byId('copy-hwid').textContent = 'Copy'; }, 1500);
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
  const [s, settings] = await Promise.all([api.getStatus(), api.getSettings()]);
  if (s.ok) show(s.value);
  if (settings.ok) fillSettings(settings.value);
  document.documentElement.dataset.ready = 'true';
}

void main().catch((error: unknown) => {
  document.body.textContent = `The status window could not start: ${(error as Error).message}`;
});
