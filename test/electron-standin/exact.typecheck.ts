// Checked by `npm run typecheck` (no test runs it): the stand-in's typing bites.
// If either check stopped refusing, its @ts-expect-error would be unused and the
// typecheck would fail.
import type * as ElectronModule from 'electron';
import type { Tray as ElectronTray } from 'electron';
import type { OnlyElectronKeys } from './exact.ts';
import type { Tray } from './tray.ts';

const sameAsElectron: OnlyElectronKeys<Tray, ElectronTray> = true;

// @ts-expect-error a member that Electron's Tray lacks is refused
const withExtraMember: OnlyElectronKeys<Tray & { setBadgeCount(count: number): void }, ElectronTray> = true;

const moduleShape = {
  app: {},
  // @ts-expect-error an export that the electron module lacks is refused
  tray: {},
} satisfies { [K in keyof typeof ElectronModule]?: unknown };

void sameAsElectron; void withExtraMember; void moduleShape;
