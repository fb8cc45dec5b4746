import { describe, expect, it, vi } from 'vitest';
import type { AgentStatus } from '../app/agent-api.ts';
import { translator } from '../locales/i18n.ts';
import { createNotifier, NOTIFIED_KEY, problemsToNotify, type NotificationSeam } from './notifications.ts';
import { memoryStore } from '../test/support/electron-fakes.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2031, 5, 1, 9);
type S = Pick<AgentStatus, 'phase' | 'error' | 'license'>;
const attention = (code: string, errorClass: NonNullable<AgentStatus['error']>['errorClass'] = 'needs-activation'): S => ({
  phase: 'attention', error: { code, errorClass, summary: `Problem ${code}.`, remedy: 'Do something.', at: T0 },
});
const synced: S = { phase: 'synced' };
const expiring = (days: number, expiresAt = T0 + days * DAY + 3_600_000): S => ({ phase: 'synced', license: { checkedAt: T0, summary: '', expiresAt } });

function setUp(store = memoryStore(), enabled = true, supported = () => true) {
  let now = T0;
  const log = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const shown: Array<{ title: string; body: string; n: NotificationSeam & { click(): void } }> = [];
  const openWindow = vi.fn();
  const notifier = createNotifier({
    store, enabled: () => enabled, isSupported: supported, openWindow, now: () => now, log,
    create: ({ title, body }) => {
      const handlers = new Map<string, () => void>();
      const n = { on: (e: string, l: () => void) => { handlers.set(e, l); }, show: () => shown.push({ title, body, n }), click: () => handlers.get('click')?.() };
      return n;
    },
  });
  return { notifier, shown, openWindow, store, log, advance: (ms: number) => { now += ms; } };
}

describe('what is told', () => {
  it('settings, activation and license problems, and the license expiring within 14 and within 3 days; not network trouble or the keyring asking', () => {
    expect(problemsToNotify(attention('device_not_found'), T0)).toEqual([{ channel: 'attention', key: 'device_not_found', title: 'Device Agent: this device is not activated', body: 'Problem device_not_found. Click to see what to do.' }]);
    expect(problemsToNotify(attention('license_not_enabled', 'license-state'), T0)[0]?.title).toBe('Device Agent: the license cannot be used');
    expect(problemsToNotify(attention('not_configured', 'needs-configuration'), T0)[0]?.title).toBe('Device Agent needs its settings checked');
    expect(problemsToNotify({ phase: 'pending', error: { ...attention('network_error').error!, errorClass: 'retryable' } }, T0)).toEqual([]);
    expect(problemsToNotify(attention('keyring_waiting', 'needs-configuration'), T0)).toEqual([]);
    expect(problemsToNotify(expiring(20), T0)).toEqual([]);
    expect(problemsToNotify(expiring(10), T0)).toEqual([expect.objectContaining({ channel: 'license-expiry', title: 'Device Agent: license expires in 10 days', body: expect.stringMatching(/^The license expires in 10 days/) })]);
    expect(problemsToNotify(expiring(2), T0)[0]?.key).toMatch(/^within-3-days:/);
  });
});

describe('what is told, in German (app.getLocale() = de)', () => {
  const de = translator('de');
  it('titles, the click hint and the expiry from the German catalogue; the summary is the status\'s (the shell localised it)', () => {
    expect(problemsToNotify(attention('device_not_found'), T0, de)).toEqual([{ channel: 'attention', key: 'device_not_found', title: 'Device Agent: Dieses Gerät ist nicht aktiviert', body: 'Problem device_not_found. Klicken Sie, um zu sehen, was zu tun ist.' }]);
    expect(problemsToNotify(attention('not_configured', 'needs-configuration'), T0, de)[0]?.title).toBe('Device Agent: Einstellungen prüfen');
    expect(problemsToNotify(expiring(10), T0, de)).toEqual([expect.objectContaining({ title: 'Device Agent: Lizenz läuft in 10 Tagen ab', body: 'Die Lizenz läuft in 10 Tagen ab (11.06.2031). Bitten Sie Ihre Lizenzverwaltung, sie zu verlängern.' })]);
    expect(problemsToNotify(expiring(1), T0, de)[0]?.body).toMatch(/^Die Lizenz läuft in 1 Tag ab \(02\.06\.2031\)\. Verlängern Sie sie jetzt/);
  });

  it("the expiry's edges: today, a trial, the step at 3 days; a long summary is clipped to 240 characters", () => {
    const today: S = { phase: 'synced', license: { checkedAt: T0, summary: '', expiresAt: T0 + 3_600_000, isTrial: true } };
    expect(problemsToNotify(today, T0, de)[0]).toMatchObject({ title: 'Device Agent: Lizenz läuft heute ab', body: expect.stringMatching(/^Die Testlizenz läuft heute ab \(01\.06\.2031\)\. Verlängern Sie sie jetzt/) });
    // Three days out is the 14-day step's words; under three the urgent ones.
    expect(problemsToNotify(expiring(3), T0, de)[0]).toMatchObject({ key: expect.stringMatching(/^within-14-days:/), body: expect.stringMatching(/Bitten Sie Ihre Lizenzverwaltung/) });
    expect(problemsToNotify(expiring(2), T0, de)[0]).toMatchObject({ key: expect.stringMatching(/^within-3-days:/), body: expect.stringMatching(/Verlängern Sie sie jetzt/) });
    const long: S = { phase: 'attention', error: { code: 'device_not_found', errorClass: 'needs-activation', summary: 'x'.repeat(300), remedy: '', at: T0 } };
    const body = problemsToNotify(long, T0)[0]!.body;
    expect(body).toHaveLength(240);
    expect(body.endsWith('x…')).toBe(true);
    const fits = 'y'.repeat(240 - ' Click to see what to do.'.length);
    expect(problemsToNotify({ ...long, error: { ...long.error!, summary: fits } }, T0)[0]!.body).toBe(`${fits} Click to see what to do.`);
    // An error the person must act on, while the phase is not attention (a sync running): not told yet.
    expect(problemsToNotify({ ...long, phase: 'syncing' }, T0)).toEqual([]);
  });
});

describe('the notifier', () => {
  it('tells a problem once while it stands, again after 24 h, and a new problem at once', () => {
    const { notifier, shown, advance } = setUp();
    notifier.update(attention('device_not_found'));
    advance(60_000);
    notifier.update(attention('device_not_found'));
    advance(23 * 3_600_000);
    notifier.update(attention('device_not_found'));
    expect(shown).toHaveLength(1);
    advance(3_600_000);
    notifier.update(attention('device_not_found'));
    expect(shown).toHaveLength(2);
    notifier.update(attention('license_not_active', 'license-state'));
    expect(shown.map((s) => s.title)).toEqual(['Device Agent: this device is not activated', 'Device Agent: this device is not activated', 'Device Agent: the license cannot be used']);
  });

  it('does not tell it again after a restart (what was told is kept in the store)', () => {
    const store = memoryStore();
    const first = setUp(store);
    first.notifier.update(attention('device_not_found'));
    const second = setUp(store);
    second.advance(3_600_000);
    second.notifier.update(attention('device_not_found'));
    expect([first.shown.length, second.shown.length]).toEqual([1, 0]);
    expect(store.data.get(NOTIFIED_KEY)).toEqual({ attention: { key: 'device_not_found', at: T0 } });
  });

  it('tells a solved problem again when it comes back; statuses on the way (syncing, pending) do not count as solved', () => {
    const { notifier, shown } = setUp();
    notifier.update(attention('device_not_found'));
    notifier.update({ phase: 'syncing' });
    notifier.update(attention('device_not_found'));
    expect(shown).toHaveLength(1);
    notifier.update(synced);
    notifier.update(attention('device_not_found'));
    expect(shown).toHaveLength(2);
  });

  it('tells the license expiring within 14 days (again each day it stands) and the step to 3 days at once', () => {
    const { notifier, shown, advance } = setUp();
    const expiresAt = T0 + 13 * DAY + 3_600_000;
    const toldAt: string[] = [];
    for (let halfDay = 0; halfDay < 26; halfDay++) {
      const before = shown.length;
      notifier.update(expiring(0, expiresAt));
      if (shown.length > before) toldAt.push(`${halfDay / 2}: ${shown.at(-1)!.title.replace('Device Agent: license expires ', '')}`);
      advance(DAY / 2);
    }
    expect(toldAt).toEqual([
      '0: in 13 days', '1: in 12 days', '2: in 11 days', '3: in 10 days', '4: in 9 days', '5: in 8 days', '6: in 7 days', '7: in 6 days', '8: in 5 days', '9: in 4 days', '10: in 3 days',
      '10.5: in 2 days', '11.5: in 1 day', '12.5: today',
    ]);
  });

  it('a click opens the window; nothing is shown when the managed file turns notifications off', () => {
    const on = setUp();
    on.notifier.update(attention('device_not_found'));
    on.shown[0]!.n.click();
    expect(on.openWindow).toHaveBeenCalledOnce();
    const off = setUp(memoryStore(), false);
    off.notifier.update(attention('device_not_found'));
    expect(off.shown).toEqual([]);
  });

  it('a store holding something else is read as nothing told (it is a file the person can edit)', () => {
    const store = memoryStore();
    store.set(NOTIFIED_KEY, { attention: { key: 42 } });
    const { notifier, shown } = setUp(store);
    notifier.update(attention('device_not_found'));
    expect(shown).toHaveLength(1);
  });

  it('a license renewed and later about to expire again is told again (the renewal forgot the old warning)', () => {
    const { notifier, shown, advance } = setUp();
    notifier.update(expiring(10));
    notifier.update(expiring(0, T0 + 400 * DAY)); // renewed for a year
    advance(60_000);
    notifier.update(expiring(10));
    expect(shown.map((s) => s.title)).toEqual(['Device Agent: license expires in 10 days', 'Device Agent: license expires in 10 days']);
  });

  it('a clock set back before the last notification does not silence the problem for a day', () => {
    const { notifier, shown, advance } = setUp();
    notifier.update(attention('device_not_found'));
    advance(-3_600_000);
    notifier.update(attention('device_not_found'));
    expect(shown).toHaveLength(2);
  });

  it('a desktop without notifications: said once in the log, nothing recorded, so the problem is told when they work', () => {
    let supported = false;
    const { notifier, shown, log, store } = setUp(memoryStore(), true, () => supported);
    notifier.update(attention('device_not_found'));
    notifier.update(attention('device_not_found'));
    expect(shown).toEqual([]);
    expect(log.warn).toHaveBeenCalledOnce();
    expect(store.data.get(NOTIFIED_KEY)).toBeUndefined();
    supported = true;
    notifier.update(attention('device_not_found'));
    expect(shown).toHaveLength(1);
  });
});
