import { describe, expect, it } from 'vitest';
import { applicationMenuTemplate, DEVELOPER_ROLES } from './app-menu.ts';
import type { MenuItemConstructorOptions } from './electron-seam.ts';

const roles = (items: readonly MenuItemConstructorOptions[]): string[] => items.flatMap((i) => [
  ...(i.role ? [i.role] : []),
  ...(Array.isArray(i.submenu) ? roles(i.submenu) : []),
]);

describe('application menu', () => {
  it('is none on Windows and Linux (Electron\'s default would bring Reload and DevTools shortcuts)', () => {
    expect(applicationMenuTemplate('win32', 'Device Agent')).toBeNull();
    expect(applicationMenuTemplate('linux', 'Device Agent')).toBeNull();
  });

  it('is minimal on macOS: app menu with Quit, Edit (copy and paste in fields), no reload or developer tools', () => {
    const template = applicationMenuTemplate('darwin', 'Device Agent') ?? [];
    const all = roles(template);
    expect(all).toEqual(expect.arrayContaining(['quit', 'editMenu']));
    for (const role of DEVELOPER_ROLES) expect(all).not.toContain(role);
  });
});
