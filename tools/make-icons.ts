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
import { decodePng, encodeIco, encodePng, resample, type Image } from './png.ts';
import { BLACK, WHITE, cutOut, disc, minus, over, rasterise, rect, ring, roundedSquare, stroke, union, type RGBA, type Shape } from './raster.ts';

export { crc32, decodePng, encodeIco, encodePng, resample, type Image } from './png.ts';
export { rasterise } from './raster.ts';

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
