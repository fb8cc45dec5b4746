// Tray: refuses to exist before ready, refuses images Electron cannot load,
// refuses calls once destroyed (shell/browser/api/electron_api_tray.cc), and
// records image, tooltip and menu for tests instead of drawing them.
import type { DisplayBalloonOptions, Menu as ElectronMenu, NativeImage, Point, Rectangle, TitleOptions, Tray as ElectronTray } from 'electron';
import { EventEmitter } from 'node:events';
import { createEvent } from './event.ts';
import type { OnlyElectronKeys } from './exact.ts';
import { Menu, snapshotMenu } from './menu.ts';
import { requireImage } from './native-image.ts';
import { recorder, type TraySnapshot } from './recorder.ts';
import { runtime } from './runtime.ts';

const trays: Tray[] = [];

type TrayMembers =
  | 'closeContextMenu' | 'destroy' | 'displayBalloon' | 'focus' | 'getBounds' | 'getGUID' | 'getIgnoreDoubleClickEvents' | 'getTitle'
  | 'isDestroyed' | 'popUpContextMenu' | 'removeBalloon' | 'setContextMenu' | 'setIgnoreDoubleClickEvents' | 'setImage' | 'setPressedImage' | 'setTitle' | 'setToolTip';

export class Tray extends EventEmitter implements Pick<ElectronTray, TrayMembers> {
  #image: string;
  #tooltip = '';
  #title = '';
  #menu: Menu | null = null;
  #destroyed = false;
  #ignoreDoubleClick = false;
  readonly #guid: string | null;
  readonly #index: number;

  constructor(image: NativeImage | string, guid?: string) {
    super();
    if (!runtime.ready) throw new Error('Cannot create Tray before app is ready');
    this.#image = requireImage(image);
    this.#guid = guid ?? null;
    this.#index = trays.length;
    trays.push(this);
    this.#changed();
  }

  #alive(): void {
    if (this.#destroyed) throw new Error('Tray is destroyed');
  }

  #changed(): void {
    recorder.emit('tray', Tray.snapshotOf(this));
  }

  static snapshotOf(t: Tray): TraySnapshot {
    return { index: t.#index, image: t.#image, tooltip: t.#tooltip, title: t.#title, destroyed: t.#destroyed, menu: t.#menu ? snapshotMenu(t.#menu) : null };
  }

  static contextMenuOf(t: Tray): Menu | null {
    return t.#menu;
  }

  static all(): readonly Tray[] {
    return trays;
  }

  setImage(image: NativeImage | string): void {
    this.#alive();
    this.#image = requireImage(image);
    this.#changed();
  }

  setPressedImage(image: NativeImage | string): void {
    this.#alive();
    requireImage(image);
  }

  setToolTip(toolTip: string): void {
    this.#alive();
    this.#tooltip = toolTip;
    this.#changed();
  }

  setTitle(title: string, _options?: TitleOptions): void {
    this.#alive();
    this.#title = title;
    this.#changed();
  }

  getTitle(): string {
    this.#alive();
    return this.#title;
  }

  setContextMenu(menu: ElectronMenu | null): void {
    this.#alive();
    if (menu !== null && !(menu instanceof Menu)) throw new TypeError('Error processing argument at index 0, conversion failure from menu');
    this.#menu = menu;
    this.#changed();
  }

  popUpContextMenu(_menu?: ElectronMenu, _position?: Point): void { this.#alive(); }
  closeContextMenu(): void { this.#alive(); }
  displayBalloon(_options: DisplayBalloonOptions): void { this.#alive(); /* Windows only */ }
  removeBalloon(): void { this.#alive(); }
  focus(): void { this.#alive(); }
  getBounds(): Rectangle {
    this.#alive();
    return { x: 0, y: 0, width: 22, height: 22 };
  }
  getGUID(): string | null { return this.#guid; }
  setIgnoreDoubleClickEvents(ignore: boolean): void {
    this.#alive();
    this.#ignoreDoubleClick = ignore;
  }
  getIgnoreDoubleClickEvents(): boolean {
    this.#alive();
    return this.#ignoreDoubleClick;
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#changed();
  }

  isDestroyed(): boolean { return this.#destroyed; }

  /** A left click on the icon, as the desktop would deliver it. */
  static click(t: Tray): void {
    t.#alive();
    t.emit('click', createEvent({ altKey: false, shiftKey: false, ctrlKey: false, metaKey: false, triggeredByAccelerator: false }), t.getBounds(), { x: 0, y: 0 });
  }
}

recorder.sources.trays = () => trays.map((t) => Tray.snapshotOf(t));

const exact: OnlyElectronKeys<Tray, ElectronTray> = true;
void exact;
