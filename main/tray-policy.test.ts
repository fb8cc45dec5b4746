import { describe, expect, it, vi } from 'vitest';
import type { AgentStatus } from '../app/agent-api.ts';
import { layerFromObject } from '../app/config/load.ts';
import type { ManagedConfigResult } from '../app/config/managed.ts';
import type { MenuItemConstructorOptions, TraySeam } from './electron-seam.ts';
import { createTrayController } from './tray-controller.ts';
import { appearanceView, desktopPolicy, trayWanted } from './tray-policy.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2031, 5, 1);
const managedWith = (values: Record<string, unknown>): ManagedConfigResult => ({ state: 'ok', managed: { path: '/etc/device-agent/config.json', layer: layerFromObject(values, 'managed', { managed: true }), locked: Object.keys(values) } });
const status = (phase: AgentStatus['phase'], expiresInDays?: number): Pick<AgentStatus, 'phase' | 'license' | 'error'> => ({
  phase, ...(expiresInDays === undefined ? {} : { license: { checkedAt: NOW, summary: '', expiresAt: NOW + expiresInDays * DAY + 1000 } }),
});

describe('the managed trayIcon and notifications policy', () => {
  it('is always/on by default, and when the managed file is broken (its problem must be seen)', () => {
    expect(desktopPolicy({ state: 'none', path: '/etc/device-agent/config.json' })).toMatchObject({ trayIcon: 'always', notifications: true });
    expect(desktopPolicy({ state: 'broken', path: '/x', problems: [] })).toMatchObject({ trayIcon: 'always', notifications: true });
    expect(desktopPolicy(managedWith({ trayIcon: 'attention', notifications: false }))).toEqual({ trayIcon: 'attention', notifications: false, managed: { trayIcon: true, notifications: true } });
  });

  it('is exactly the defaults without a managed file, and takes only what the managed file sets (a wrong type is not a setting)', () => {
    const defaults = { trayIcon: 'always', notifications: true, managed: { trayIcon: false, notifications: false } };
    expect(desktopPolicy({ state: 'none', path: '/x' })).toEqual(defaults);
    expect(desktopPolicy(managedWith({ apiUrl: 'https://api.example.com/api/v4/' }))).toEqual(defaults);
    expect(desktopPolicy(managedWith({ notifications: false }))).toEqual({ trayIcon: 'always', notifications: false, managed: { trayIcon: false, notifications: true } });
    expect(desktopPolicy(managedWith({ trayIcon: 'never' }))).toEqual({ trayIcon: 'never', notifications: true, managed: { trayIcon: true, notifications: false } });
    // Layers are validated before this reads them; a value that slipped through is ignored, never trusted.
    const odd = (values: Record<string, unknown>): ManagedConfigResult => ({ state: 'ok', managed: { path: '/x', layer: { source: 'managed', values } as never, locked: [] } });
    expect(desktopPolicy(odd({ trayIcon: 'sometimes', notifications: 'yes' }))).toEqual(defaults);
    expect(desktopPolicy(odd({ trayIcon: 3 }))).toEqual(defaults);
  });

  it.each([
    ['always', 'synced', undefined, true], ['always', 'attention', undefined, true],
    ['never', 'attention', undefined, false], ['never', 'synced', 5, false],
    ['attention', 'synced', undefined, false], ['attention', 'pending', undefined, false], ['attention', 'paused', undefined, false],
    ['attention', 'attention', undefined, true], ['attention', 'synced', 13, true], ['attention', 'synced', 2, true], ['attention', 'synced', 30, false],
  ] as const)('trayIcon %s, phase %s, license expiring in %s days: shown %s', (policy, phase, days, shown) => {
    expect(trayWanted(policy, status(phase, days), NOW)).toBe(shown);
  });

  it('keeps the icon while a sync runs over a problem that waits for the person (Sync now must not make it blink away), not over a network retry', () => {
    const error = (errorClass: NonNullable<AgentStatus['error']>['errorClass']) => ({ code: 'x', errorClass, summary: '', remedy: '', at: NOW });
    expect(trayWanted('attention', { phase: 'syncing', error: error('needs-activation') }, NOW)).toBe(true);
    expect(trayWanted('attention', { phase: 'syncing', error: error('retryable') }, NOW)).toBe(false);
    expect(trayWanted('attention', { phase: 'syncing' }, NOW)).toBe(false);
    for (const waits of ['needs-configuration', 'license-state', 'fatal'] as const) expect(trayWanted('attention', { phase: 'syncing', error: error(waits) }, NOW)).toBe(true);
    // A problem that waits for the person, but no sync running: what the phase says counts.
    expect(trayWanted('attention', { phase: 'pending', error: error('needs-activation') }, NOW)).toBe(false);
  });

  it('says in the window which policy applies and who set it', () => {
    expect(appearanceView(desktopPolicy(managedWith({ trayIcon: 'attention' })))).toEqual({
      trayIcon: 'attention', notifications: true,
      trayIconText: 'Shown only while you need to act (settings, activation, the license). Set by your administrator.',
      notificationsText: 'On: you are told when you need to act, once per problem (again after a day if it stands).',
    });
    expect(appearanceView(desktopPolicy(managedWith({ trayIcon: 'never', notifications: false }))).trayIconText).toMatch(/^Not shown\. To see this window, open Device Agent again/);
    expect(appearanceView(desktopPolicy({ state: 'none', path: '/x' }))).toMatchObject({ trayIconText: 'Always shown.', notificationsText: 'On: you are told when you need to act, once per problem (again after a day if it stands).' });
    expect(appearanceView(desktopPolicy(managedWith({ notifications: false }))).notificationsText).toBe('Off. Set by your administrator.');
  });
});

describe('the tray controller under a policy', () => {
  it('removes the icon while it is not wanted and makes it again when it is', () => {
    const trays: Array<TraySeam & { destroyed: boolean }> = [];
    const controller = createTrayController({
      createTray: () => {
        const t = { destroyed: false, setImage: vi.fn(), setToolTip: vi.fn(), setContextMenu: vi.fn(), on: vi.fn(), destroy() { this.destroyed = true; } };
        trays.push(t as unknown as TraySeam & { destroyed: boolean });
        return t as unknown as TraySeam;
      },
      menu: { buildFromTemplate: (t: MenuItemConstructorOptions[]) => t as never },
      iconDir: '/icons', platform: 'linux', isStartAtLogin: () => false,
      actions: { syncNow: vi.fn(), setPaused: vi.fn(), openStatus: vi.fn(), setStartAtLogin: vi.fn(), quit: vi.fn() },
    });
    controller.update({ phase: 'synced', headline: '', usingSandbox: false }, false);
    expect(trays).toHaveLength(0);
    controller.update({ phase: 'attention', headline: 'device not activated', usingSandbox: false }, true);
    expect(trays.map((t) => t.destroyed)).toEqual([false]);
    controller.update({ phase: 'synced', headline: '', usingSandbox: false }, false);
    expect(trays.map((t) => t.destroyed)).toEqual([true]);
    controller.refresh(); // e.g. Start at login changed: no icon comes back while hidden
    expect(trays).toHaveLength(1);
    controller.update({ phase: 'attention', headline: 'again', usingSandbox: false }, true);
    expect(trays.map((t) => t.destroyed)).toEqual([true, false]);
  });
});
