// The status window's renderer loaded in Chromium (Debian's, driven by
// playwright-core): navigation timings and JS heap. Optional: skipped when
// dist/renderer is not built or no Chromium is installed. Electron itself
// cannot run here; docs/performance.md shows how to measure the whole app
// with app.getAppMetrics() where it does.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const RENDERER_HTML = join(root, 'dist', 'renderer', 'index.html');
export const CHROMIUM = '/usr/bin/chromium';

export interface RendererFigures {
  domContentLoadedMs: number;
  loadMs: number;
  jsHeapUsedMb: number;
  /** Errors the page threw (the preload bridge is absent outside Electron). */
  pageErrors: number;
}

/** `html`: another build's index.html (to compare two builds in one run). */
export async function measureRendererLoad(html = RENDERER_HTML): Promise<RendererFigures | { skipped: string }> {
  if (!existsSync(html)) return { skipped: 'dist/renderer not built (npm run build)' };
  if (!existsSync(CHROMIUM)) return { skipped: `${CHROMIUM} not installed` };
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking'], timeout: 20_000 });
  try {
    const page = await browser.newPage();
    let pageErrors = 0;
    page.on('pageerror', () => { pageErrors += 1; });
    await page.goto(pathToFileURL(html).href, { waitUntil: 'load', timeout: 20_000 });
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      return { dcl: nav?.domContentLoadedEventEnd ?? Number.NaN, load: nav?.loadEventEnd ?? Number.NaN };
    });
    const session = await page.context().newCDPSession(page);
    await session.send('Performance.enable');
    await session.send('HeapProfiler.collectGarbage');
    const { metrics } = await session.send('Performance.getMetrics') as { metrics: { name: string; value: number }[] };
    const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? Number.NaN;
    return { domContentLoadedMs: timing.dcl, loadMs: timing.load, jsHeapUsedMb: heap / 1048576, pageErrors };
  } finally {
    await browser.close();
  }
}
