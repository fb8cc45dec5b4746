// Draws the app and tray icons with pure Node (a tiny anti-aliased rasteriser
// and a PNG/ICO writer over node:zlib) into build/. Run after changing a
// design: `node tools/with-node24.js node tools/make-icons.ts`; the output is committed.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

type RGBA = readonly [number, number, number, number];
/** A shape in unit coordinates (0..1 on both axes): true where it covers. */
type Shape = (x: number, y: number) => boolean;
interface Layer { shape: Shape; color: RGBA }

// ---------------------------------------------------------------------------
// PNG and ICO containers

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of buf) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** An RGBA PNG (colour type 6, 8 bits, no interlace). */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4) throw new Error('pixel buffer does not match the size');
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** A Windows .ico holding PNG images (Vista+ format). */
export function encodeIco(images: readonly { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  const entries: Buffer[] = [];
  let offset = 6 + 16 * images.length;
  for (const { size, png } of images) {
    const e = Buffer.alloc(16);
    e[0] = size >= 256 ? 0 : size;
    e[1] = size >= 256 ? 0 : size;
    e[2] = 0; e[3] = 0;
    e.writeUInt16LE(1, 4);
    e.writeUInt16LE(32, 6);
    e.writeUInt32LE(png.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += png.length;
    entries.push(e);
  }
  return Buffer.concat([header, ...entries, ...images.map((i) => i.png)]);
}

// ---------------------------------------------------------------------------
// Rasteriser: 4×4 supersampling, layers composited "over" in order

export function rasterise(size: number, layers: readonly Layer[]): Uint8Array {
  const px = new Uint8Array(size * size * 4);
  const n = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (const { shape, color } of layers) {
        let hits = 0;
        for (let sy = 0; sy < n; sy++) for (let sx = 0; sx < n; sx++) if (shape((x + (sx + 0.5) / n) / size, (y + (sy + 0.5) / n) / size)) hits++;
        const ca = (color[3] / 255) * (hits / (n * n));
        if (ca === 0) continue;
        const na = ca + a * (1 - ca);
        r = (color[0] * ca + r * a * (1 - ca)) / na;
        g = (color[1] * ca + g * a * (1 - ca)) / na;
        b = (color[2] * ca + b * a * (1 - ca)) / na;
        a = na;
      }
      const i = (y * size + x) * 4;
      px[i] = Math.round(r); px[i + 1] = Math.round(g); px[i + 2] = Math.round(b); px[i + 3] = Math.round(a * 255);
    }
  }
  return px;
}

const disc = (cx: number, cy: number, r: number): Shape => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ring = (cx: number, cy: number, r: number, w: number): Shape => (x, y) => {
  const d = Math.hypot(x - cx, y - cy);
  return d <= r && d >= r - w;
};
const rect = (x0: number, y0: number, x1: number, y1: number): Shape => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
function segDist(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const t = Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(px - (ax + t * (bx - ax)), py - (ay + t * (by - ay)));
}
const stroke = (points: readonly (readonly [number, number])[], w: number): Shape => (x, y) => {
  for (let i = 1; i < points.length; i++) {
    const [ax, ay] = points[i - 1] as readonly [number, number];
    const [bx, by] = points[i] as readonly [number, number];
    if (segDist(x, y, ax, ay, bx, by) <= w / 2) return true;
  }
  return false;
};
const union = (...shapes: Shape[]): Shape => (x, y) => shapes.some((s) => s(x, y));
const minus = (a: Shape, b: Shape): Shape => (x, y) => a(x, y) && !b(x, y);
const roundedSquare = (inset: number, radius: number): Shape => (x, y) => {
  const lo = inset + radius, hi = 1 - inset - radius;
  const cx = Math.min(Math.max(x, lo), hi), cy = Math.min(Math.max(y, lo), hi);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius * radius;
};

export type TrayIcon = 'synced' | 'syncing' | 'pending' | 'attention' | 'paused';
export const TRAY_ICONS: readonly TrayIcon[] = ['synced', 'syncing', 'pending', 'attention', 'paused'];

const STATE_COLOR: Record<TrayIcon, RGBA> = {
  synced: [26, 127, 55, 255],
  syncing: [29, 99, 216, 255],
  pending: [191, 135, 0, 255],
  attention: [207, 34, 46, 255],
  paused: [110, 119, 129, 255],
};

/** The white (or template-black) mark inside the tray disc. */
function glyph(icon: TrayIcon): Shape {
  switch (icon) {
    case 'synced': return stroke([[0.3, 0.52], [0.45, 0.67], [0.72, 0.36]], 0.12);
    case 'syncing': return minus(ring(0.5, 0.5, 0.28, 0.1), union(rect(0.45, 0, 0.55, 0.35), rect(0.45, 0.65, 0.55, 1)));
    case 'pending': return stroke([[0.5, 0.27], [0.5, 0.52], [0.66, 0.62]], 0.11);
    case 'attention': return union(rect(0.445, 0.24, 0.555, 0.58), disc(0.5, 0.72, 0.065));
    case 'paused': return union(rect(0.33, 0.28, 0.45, 0.72), rect(0.55, 0.28, 0.67, 0.72));
  }
}

const WHITE: RGBA = [255, 255, 255, 255];
const BLACK: RGBA = [0, 0, 0, 255];

export function trayPixels(icon: TrayIcon, size: number, template: boolean): Uint8Array {
  if (template) {
    // macOS template image: black + alpha only; the system tints it for light/dark menu bars.
    return rasterise(size, [{ shape: minus(disc(0.5, 0.5, 0.47), glyph(icon)), color: BLACK }]);
  }
  return rasterise(size, [{ shape: disc(0.5, 0.5, 0.47), color: STATE_COLOR[icon] }, { shape: glyph(icon), color: WHITE }]);
}

export function appIconPixels(size: number): Uint8Array {
  return rasterise(size, [
    { shape: roundedSquare(0.06, 0.2), color: [29, 99, 216, 255] },
    { shape: ring(0.5, 0.5, 0.3, 0.07), color: WHITE },
    { shape: stroke([[0.37, 0.51], [0.47, 0.61], [0.65, 0.41]], 0.075), color: WHITE },
  ]);
}

export const APP_ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;

export async function makeIcons(buildDir: string): Promise<string[]> {
  const written: string[] = [];
  const put = async (rel: string, data: Buffer) => {
    const file = join(buildDir, rel);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, data);
    written.push(rel);
  };
  const appPngs = new Map<number, Buffer>();
  for (const size of APP_ICON_SIZES) {
    const png = encodePng(size, size, appIconPixels(size));
    appPngs.set(size, png);
    await put(`icons/png/${size}x${size}.png`, png);
  }
  await put('icon.png', appPngs.get(1024) as Buffer);
  await put('icon.ico', encodeIco([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, png: appPngs.get(size) as Buffer }))));
  for (const icon of TRAY_ICONS) {
    // Linux: 22 px and @2x; Windows: .ico with 16/20/24/32; macOS: 16 px template and @2x.
    await put(`icons/tray/tray-${icon}.png`, encodePng(22, 22, trayPixels(icon, 22, false)));
    await put(`icons/tray/tray-${icon}@2x.png`, encodePng(44, 44, trayPixels(icon, 44, false)));
    await put(`icons/tray/tray-${icon}.ico`, encodeIco([16, 20, 24, 32].map((size) => ({ size, png: encodePng(size, size, trayPixels(icon, size, false)) }))));
    await put(`icons/tray/tray-${icon}Template.png`, encodePng(16, 16, trayPixels(icon, 16, true)));
    await put(`icons/tray/tray-${icon}Template@2x.png`, encodePng(32, 32, trayPixels(icon, 32, true)));
  }
  return written;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const buildDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'build');
  const started = performance.now();
  makeIcons(buildDir).then((files) => {
    console.log(`wrote ${files.length} icon files into build/ in ${Math.round(performance.now() - started)} ms`);
  }).catch((error: unknown) => {
    console.error(`make-icons failed: ${(error as Error).message}`);
    process.exit(1);
  });
}
