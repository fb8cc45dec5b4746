import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from './electron-seam.ts';
import { createTrayController } from './tray-controller.ts';
import { trayMenuTemplate, type TrayActions } from './tray-menu.ts';
import { trayStateFor } from './tray-state.ts';

function actions(): TrayActions & Record<string, ReturnType<typeof vi.fn>> {
  return { syncNow: vi.fn(), setPaused: vi.fn(), openStatus: vi.fn(), setStartAtLogin: vi.fn(), quit: vi.fn() };
}
const click = (item: MenuItemConstructorOptions | undefined, checked = false) =>
  (item?.click as unknown as (i: { checked: boolean }) => void)({ checked });

describe('trayMenuTemplate', () => {
  it('has the status line, Sync now, Pause, Open status…, Start at login (checked) and Quit, in that order', () => {
    const a = actions();
    const t = trayMenuTemplate(trayStateFor({ phase: 'synced', headline: 'all sent', usingSandbox: false }), true, a);
    const items = t.filter((i) => i.type !== 'separator');
    expect(items.map((i) => i.label)).toEqual(['Synced: all sent', 'Sync now', 'Pause', 'Open status…', 'Start at login', 'Quit Device Agent']);
    expect(items[0]?.enabled).toBe(false);
    const login = t.find((i) => i.id === 'start-at-login');
    expect(login?.type).toBe('checkbox');
    expect(login?.checked).toBe(true);
  });

  it('wires each item to its action', () => {
    const a = actions();
    const t = trayMenuTemplate(trayStateFor({ phase: 'pending', headline: '', usingSandbox: false }), false, a);
    const byId = (id: string) => t.find((i) => i.id === id);
    click(byId('sync-now'));
    click(byId('pause'));
    click(byId('open-status'));
    click(byId('start-at-login'), true);
    click(byId('quit'));
    expect(a.syncNow).toHaveBeenCalledOnce();
    expect(a.setPaused).toHaveBeenCalledWith(true);
    expect(a.openStatus).toHaveBeenCalledOnce();
    expect(a.setStartAtLogin).toHaveBeenCalledWith(true);
    expect(a.quit).toHaveBeenCalledOnce();
  });

  it('offers Restart to update only while an update is ready (and installable)', () => {
    const a = { ...actions(), restartToUpdate: vi.fn() };
    const none = trayMenuTemplate(trayStateFor({ phase: 'synced', headline: '', usingSandbox: false, update: { canRestart: false, version: '1.1.0' } }), false, a);
    expect(none.find((i) => i.id === 'restart-to-update')).toBeUndefined();
    const ready = trayMenuTemplate(trayStateFor({ phase: 'synced', headline: '', usingSandbox: false, update: { canRestart: true, version: '1.1.0' } }), false, a);
    const item = ready.find((i) => i.id === 'restart-to-update');
    expect(item?.label).toBe('Restart to update (version 1.1.0)');
    click(item);
    expect(a.restartToUpdate).toHaveBeenCalledOnce();
  });

  it('offers Resume and disables Sync now while paused', () => {
    const a = actions();
    const t = trayMenuTemplate(trayStateFor({ phase: 'paused', headline: '', usingSandbox: false }), false, a);
    const pause = t.find((i) => i.id === 'pause');
    expect(pause?.label).toBe('Resume');
    click(pause);
    expect(a.setPaused).toHaveBeenCalledWith(false);
    expect(t.find((i) => i.id === 'sync-now')?.enabled).toBe(false);
  });
});

describe('createTrayController', () => {
  function fakes() {
    const tray = { setImage: vi.fn(), setToolTip: vi.fn(), setContextMenu: vi.fn(), on: vi.fn(), destroy: vi.fn() };
    const menu = { buildFromTemplate: vi.fn((t: MenuItemConstructorOptions[]) => ({ t }) as never) };
    const createTray = vi.fn(() => tray as never);
    return { tray, menu, createTray };
  }

  it('changes icon, tooltip and menu with the phase, and only when something changed', () => {
    const f = fakes();
    const c = createTrayController({ createTray: f.createTray, menu: f.menu, iconDir: '/icons', platform: 'linux', actions: actions(), isStartAtLogin: () => false });
    c.update({ phase: 'pending', headline: '1 value waiting', usingSandbox: false });
    c.update({ phase: 'attention', headline: 'License disabled', usingSandbox: false });
    expect(f.tray.setImage).toHaveBeenLastCalledWith('/icons/tray-attention.png');
    expect(f.tray.setToolTip).toHaveBeenLastCalledWith('Device Agent — Needs attention: License disabled');
    const calls = f.menu.buildFromTemplate.mock.calls.length;
    c.update({ phase: 'attention', headline: 'License disabled', usingSandbox: false });
    expect(f.menu.buildFromTemplate.mock.calls.length).toBe(calls);
    c.update({ phase: 'synced', headline: 'ok', usingSandbox: false });
    expect(f.tray.setImage).toHaveBeenLastCalledWith('/icons/tray-synced.png');
  });

  it('uses macOS template images', () => {
    const f = fakes();
    createTrayController({ createTray: f.createTray, menu: f.menu, iconDir: '/i', platform: 'darwin', actions: actions(), isStartAtLogin: () => true }).update({ phase: 'syncing', headline: '', usingSandbox: false });
    expect(f.createTray).toHaveBeenCalledWith('/i/tray-syncingTemplate.png');
  });

  it('appears with the first status it is given (the last known state), never with a "starting" placeholder', () => {
    const f = fakes();
    const c = createTrayController({ createTray: f.createTray, menu: f.menu, iconDir: '/icons', platform: 'linux', actions: actions(), isStartAtLogin: () => false });
    c.refresh(); // e.g. Start at login changed before the engine said anything
    expect(f.createTray).not.toHaveBeenCalled();
    c.update({ phase: 'synced', headline: 'Synced 3 h ago — next sync in 8 min', usingSandbox: false });
    expect(f.createTray).toHaveBeenCalledExactlyOnceWith('/icons/tray-synced.png');
    expect(f.tray.setToolTip.mock.calls).toEqual([['Device Agent — Synced: Synced 3 h ago — next sync in 8 min']]);
    expect(f.tray.on).toHaveBeenCalledWith('click', expect.any(Function));
    c.destroy();
    c.update({ phase: 'pending', headline: 'x', usingSandbox: false });
    expect(f.tray.destroy).toHaveBeenCalledOnce();
    expect(f.tray.setToolTip).toHaveBeenCalledTimes(1); // nothing after destroy
  });
});
