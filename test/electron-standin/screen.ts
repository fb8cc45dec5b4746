// screen: like Electron's, a proxy that creates the screen on first use and
// throws before ready with Electron's message (electron_api_screen.cc). One
// 1920x1080 display.
import type { Display, Point, Rectangle, Screen as ElectronScreen } from 'electron';
import { EventEmitter } from 'node:events';
import type { OnlyElectronKeys } from './exact.ts';
import { runtime } from './runtime.ts';

const DISPLAY = {
  id: 1, label: 'Stand-in display', bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1080 },
  size: { width: 1920, height: 1080 }, workAreaSize: { width: 1920, height: 1080 }, scaleFactor: 1, rotation: 0, internal: false,
  monochrome: false, accelerometerSupport: 'unknown', touchSupport: 'unknown', colorDepth: 24, depthPerComponent: 8, displayFrequency: 60,
  colorSpace: '', detected: true, maximumCursorSize: { width: 0, height: 0 }, nativeOrigin: { x: 0, y: 0 },
} as unknown as Display;

type ScreenMembers = 'getPrimaryDisplay' | 'getAllDisplays' | 'getCursorScreenPoint' | 'getDisplayNearestPoint' | 'getDisplayMatching' | 'dipToScreenPoint' | 'screenToDipPoint';

class StandinScreen extends EventEmitter implements Pick<ElectronScreen, ScreenMembers> {
  getPrimaryDisplay(): Display { return DISPLAY; }
  getAllDisplays(): Display[] { return [DISPLAY]; }
  getCursorScreenPoint(): Point { return { x: 0, y: 0 }; }
  getDisplayNearestPoint(_point: Point): Display { return DISPLAY; }
  getDisplayMatching(_rect: Rectangle): Display { return DISPLAY; }
  dipToScreenPoint(point: Point): Point { return point; }
  screenToDipPoint(point: Point): Point { return point; }
}

const exact: OnlyElectronKeys<StandinScreen, ElectronScreen> = true;
void exact;

let instance: StandinScreen | undefined;
function screenNow(): StandinScreen {
  if (!runtime.ready) throw new Error("The 'screen' module can't be used before the app 'ready' event");
  instance ??= new StandinScreen();
  return instance;
}

export const screen = new Proxy({} as StandinScreen, {
  get: (_t, property) => {
    const s = screenNow();
    const value = Reflect.get(s, property, s) as unknown;
    return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(s) : value;
  },
  set: (_t, property, value) => Reflect.set(screenNow(), property, value),
  has: (_t, property) => property in screenNow(),
  ownKeys: () => Reflect.ownKeys(screenNow()),
  getOwnPropertyDescriptor: (_t, property) => Reflect.getOwnPropertyDescriptor(screenNow(), property),
  getPrototypeOf: () => EventEmitter.prototype,
});
