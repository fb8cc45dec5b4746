// Draws every app icon and tray image from the branding's icon source (one square
// PNG: branding.json's "icon") with pure Node — a PNG decoder, an area-averaging
// resampler, a tiny anti-aliased rasteriser for the tray's state badges, and a
// PNG/ICO writer over node:zlib. The default branding's output in build/ is
// committed: `node tools/with-node24.js node tools/make-icons.ts` after changing
// the icon (`--default-source` first redraws the default mark into build/brand/icon.png).
// Another branding's icons are drawn at build time (tools/brand-resources.ts).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync, inflateSync } from 'node:zlib';

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

// ---------------------------------------------------------------------------
// The icon source: decoding and resampling

export interface Image { width: number; height: number; rgba: Uint8Array }

/** Decodes an 8-bit, non-interlaced PNG (grey, grey+alpha, RGB, RGBA or palette) to RGBA; the error says what is wrong. */
export function decodePng(buf: Buffer, name = 'icon'): Image {
  const fail = (why: string): never => { throw new Error(`${name}: ${why}`); };
  if (buf.length < 8 || !buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) fail('is not a PNG file');
  let at = 8;
  let width = 0, height = 0, depth = 0, type = -1, interlace = 0;
  let palette: Buffer | undefined;
  let trns: Buffer | undefined;
  const idat: Buffer[] = [];
  while (at + 12 <= buf.length) {
    const len = buf.readUInt32BE(at);
    const kind = buf.toString('ascii', at + 4, at + 8);
    if (at + 12 + len > buf.length) fail('is truncated');
    const data = buf.subarray(at + 8, at + 8 + len);
    if (buf.readUInt32BE(at + 8 + len) !== crc32(buf.subarray(at + 4, at + 8 + len))) fail(`has a damaged ${kind} chunk (CRC mismatch)`);
    if (kind === 'IHDR') { width = data.readUInt32BE(0); height = data.readUInt32BE(4); depth = data[8] ?? 0; type = data[9] ?? -1; interlace = data[12] ?? 0; }
    else if (kind === 'PLTE') palette = Buffer.from(data);
    else if (kind === 'tRNS') trns = Buffer.from(data);
    else if (kind === 'IDAT') idat.push(Buffer.from(data));
    else if (kind === 'IEND') break;
    at += 12 + len;
  }
  if (width === 0 || height === 0) fail('has no image header');
  if (width > 4096 || height > 4096) fail(`is ${width}×${height}; at most 4096 px a side`);
  if (depth !== 8) fail(`has ${depth}-bit channels; save it as an 8-bit PNG`);
  if (interlace !== 0) fail('is interlaced; save it without interlacing');
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[type] ?? fail(`has an unknown colour type ${type}`);
  if (type === 3 && !palette) fail('has a palette colour type but no palette');
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  if (raw.length < (stride + 1) * height) fail('has too little image data');
  const px = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x] as number;
      const a = x >= channels ? px[y * stride + x - channels] as number : 0;
      const b = y > 0 ? px[(y - 1) * stride + x] as number : 0;
      const c = x >= channels && y > 0 ? px[(y - 1) * stride + x - channels] as number : 0;
      let out: number;
      switch (filter) {
        case 0: out = v; break;
        case 1: out = v + a; break;
        case 2: out = v + b; break;
        case 3: out = v + ((a + b) >> 1); break;
        case 4: {
          const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
          out = v + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default: return fail(`has an unknown row filter ${filter}`);
      }
      px[y * stride + x] = out & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const s = px.subarray(i * channels, i * channels + channels);
    let r: number, g: number, b: number, al = 255;
    if (type === 3) {
      const idx = s[0] as number;
      r = palette![idx * 3] ?? 0; g = palette![idx * 3 + 1] ?? 0; b = palette![idx * 3 + 2] ?? 0;
      al = trns && idx < trns.length ? trns[idx] as number : 255;
    } else if (channels <= 2) {
      r = g = b = s[0] as number;
      if (channels === 2) al = s[1] as number;
    } else {
      r = s[0] as number; g = s[1] as number; b = s[2] as number;
      if (channels === 4) al = s[3] as number;
    }
    rgba.set([r, g, b, al], i * 4);
  }
  return { width, height, rgba };
}

/** Area-averaged resampling to size × size, in premultiplied alpha (no dark fringes at transparent edges). */
export function resample(src: Image, size: number): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  const sx = src.width / size, sy = src.height / size;
  for (let y = 0; y < size; y++) {
    const y0 = y * sy, y1 = (y + 1) * sy;
    for (let x = 0; x < size; x++) {
      const x0 = x * sx, x1 = (x + 1) * sx;
      let r = 0, g = 0, b = 0, a = 0, w = 0;
      for (let j = Math.floor(y0); j < Math.ceil(y1); j++) {
        const wy = Math.min(j + 1, y1) - Math.max(j, y0);
        for (let i = Math.floor(x0); i < Math.ceil(x1); i++) {
          const wx = Math.min(i + 1, x1) - Math.max(i, x0);
          const k = (j * src.width + i) * 4, al = (src.rgba[k + 3] as number) / 255, ww = wx * wy;
          r += (src.rgba[k] as number) * al * ww; g += (src.rgba[k + 1] as number) * al * ww; b += (src.rgba[k + 2] as number) * al * ww;
          a += al * ww; w += ww;
        }
      }
      const o = (y * size + x) * 4;
      if (a > 0) { out[o] = Math.round(r / a); out[o + 1] = Math.round(g / a); out[o + 2] = Math.round(b / a); }
      out[o + 3] = Math.round((a / w) * 255);
    }
  }
  return out;
}

/** `top` composited over `bottom` (both RGBA, same size). */
function over(bottom: Uint8Array, top: Uint8Array): Uint8Array {
  const out = new Uint8Array(bottom.length);
  for (let i = 0; i < bottom.length; i += 4) {
    const ta = (top[i + 3] as number) / 255, ba = (bottom[i + 3] as number) / 255;
    const a = ta + ba * (1 - ta);
    for (let c = 0; c < 3; c++) out[i + c] = a === 0 ? 0 : Math.round(((top[i + c] as number) * ta + (bottom[i + c] as number) * ba * (1 - ta)) / a);
    out[i + 3] = Math.round(a * 255);
  }
  return out;
}

/** Pixels where `shape` covers become transparent (anti-aliased). */
function cutOut(px: Uint8Array, size: number, shape: Shape): Uint8Array {
  const mask = rasterise(size, [{ shape, color: BLACK }]);
  const out = Uint8Array.from(px);
  for (let i = 3; i < out.length; i += 4) out[i] = Math.round((out[i] as number) * (1 - (mask[i] as number) / 255));
  return out;
}

// The state badge: a disc in the lower right, set apart from the icon by a transparent gap.
const BADGE = { cx: 0.7, cy: 0.7, r: 0.3, gap: 0.07 } as const;
const inBadge = (shape: Shape): Shape => (x, y) => shape((x - BADGE.cx) / (2 * BADGE.r) + 0.5, (y - BADGE.cy) / (2 * BADGE.r) + 0.5);

/** A tray image: the branding's icon with the state's badge (colours; or black + alpha for a macOS template). */
export function trayPixels(source: Image, icon: TrayIcon, size: number, template: boolean): Uint8Array {
  const base = cutOut(resample(source, size), size, disc(BADGE.cx, BADGE.cy, BADGE.r + BADGE.gap));
  if (template) {
    // macOS template image: black + alpha only; the system tints it for light/dark menu bars.
    const silhouette = Uint8Array.from(base);
    for (let i = 0; i < silhouette.length; i += 4) silhouette.fill(0, i, i + 3);
    return over(silhouette, rasterise(size, [{ shape: minus(disc(BADGE.cx, BADGE.cy, BADGE.r), inBadge(glyph(icon))), color: BLACK }]));
  }
  return over(base, rasterise(size, [{ shape: disc(BADGE.cx, BADGE.cy, BADGE.r), color: STATE_COLOR[icon] }, { shape: inBadge(glyph(icon)), color: WHITE }]));
}

/** The default branding's mark (build/brand/icon.png is drawn from it with --default-source). */
export function defaultMarkPixels(size: number): Uint8Array {
  return rasterise(size, [
    { shape: roundedSquare(0.06, 0.2), color: [29, 99, 216, 255] },
    { shape: ring(0.5, 0.5, 0.3, 0.07), color: WHITE },
    { shape: stroke([[0.37, 0.51], [0.47, 0.61], [0.65, 0.41]], 0.075), color: WHITE },
  ]);
}

export const APP_ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
/** The smallest icon source accepted: the largest icon drawn from it at full detail is 512 px. */
export const MIN_SOURCE_SIZE = 512;

/** Decodes and checks an icon source: square, at least MIN_SOURCE_SIZE px. */
export function readIconSource(png: Buffer, name: string): Image {
  const image = decodePng(png, name);
  if (image.width !== image.height) throw new Error(`${name}: is ${image.width}×${image.height}; the icon must be square`);
  if (image.width < MIN_SOURCE_SIZE) throw new Error(`${name}: is ${image.width} px; the icon must be at least ${MIN_SOURCE_SIZE}×${MIN_SOURCE_SIZE}`);
  return image;
}

/** Writes every app icon and tray image drawn from `source` into buildDir (icon.png, icon.ico, icons/png/, icons/tray/). */
export async function makeIcons(buildDir: string, source: Image): Promise<string[]> {
  const written: string[] = [];
  const put = async (rel: string, data: Buffer) => {
    const file = join(buildDir, rel);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, data);
    written.push(rel);
  };
  const appPngs = new Map<number, Buffer>();
  for (const size of APP_ICON_SIZES) {
    const png = encodePng(size, size, resample(source, size));
    appPngs.set(size, png);
    await put(`icons/png/${size}x${size}.png`, png);
  }
  await put('icon.png', appPngs.get(1024) as Buffer);
  await put('icon.ico', encodeIco([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, png: appPngs.get(size) as Buffer }))));
  for (const icon of TRAY_ICONS) {
    // Linux: 22 px and @2x; Windows: .ico with 16/20/24/32; macOS: 16 px template and @2x.
    await put(`icons/tray/tray-${icon}.png`, encodePng(22, 22, trayPixels(source, icon, 22, false)));
    await put(`icons/tray/tray-${icon}@2x.png`, encodePng(44, 44, trayPixels(source, icon, 44, false)));
    await put(`icons/tray/tray-${icon}.ico`, encodeIco([16, 20, 24, 32].map((size) => ({ size, png: encodePng(size, size, trayPixels(source, icon, size, false)) }))));
    await put(`icons/tray/tray-${icon}Template.png`, encodePng(16, 16, trayPixels(source, icon, 16, true)));
    await put(`icons/tray/tray-${icon}Template@2x.png`, encodePng(32, 32, trayPixels(source, icon, 32, true)));
  }
  return written;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const started = performance.now();
  (async () => {
    const { BRANDING } = await import('../app/branding/index.ts');
    const sourcePath = join(root, BRANDING.icon);
    if (process.argv.includes('--default-source')) {
      await mkdir(dirname(sourcePath), { recursive: true });
      await writeFile(sourcePath, encodePng(1024, 1024, defaultMarkPixels(1024)));
    }
    const files = await makeIcons(join(root, 'build'), readIconSource(await readFile(sourcePath), BRANDING.icon));
    console.log(`wrote ${files.length} icon files into build/ from ${BRANDING.icon} in ${Math.round(performance.now() - started)} ms`);
  })().catch((error: unknown) => {
    console.error(`make-icons failed: ${(error as Error).message}`);
    process.exit(1);
  });
}
