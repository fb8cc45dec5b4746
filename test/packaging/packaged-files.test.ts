// The packaged file set: electron-builder (real, offline) packs dist/ into an
// unpacked Linux app; app.asar must hold main, preload, renderer and the
// production dependencies only, and the security fuses must be flipped.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../tools/build.ts';
import { makeStandInElectronDist, packDir, provisionedElectronDist, type PackResult } from '../../tools/pack-dir.ts';

const root = join(import.meta.dirname, '..', '..');
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

/**
 * Packages that are production dependencies per package-lock.json, by name: top-level ones, and
 * nested ones too (electron-builder hoists a production package nested under another, e.g.
 * electron-updater's own builder-util-runtime, to the top of app.asar).
 */
async function productionPackages(): Promise<Set<string>> {
  const lock = JSON.parse(await readFile(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  return new Set(Object.entries(lock.packages).filter(([path, p]) => path.startsWith('node_modules/') && !p.dev).map(([path]) => path.split('node_modules/').at(-1)?.replace(/\/$/, '') as string));
}

describe('packaged app (electron-builder --linux dir)', () => {
  let dir = '';
  let result: PackResult;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'da-pack-'));
    await buildApp();
    const version = JSON.parse(await readFile(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version as string;
    const electronDist = provisionedElectronDist() ?? await makeStandInElectronDist(join(dir, 'electron-dist'), version);
    result = await packDir(electronDist, join(dir, 'release'));
  }, 120_000);
  afterAll(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

  it('holds the three bundles and the tray icons', () => {
    for (const f of ['/package.json', '/dist/main/index.js', '/dist/preload/index.cjs', '/dist/renderer/index.html', '/dist/renderer/index.js', '/dist/renderer/styles.css', '/dist/assets/tray/tray-synced.png', '/dist/assets/tray/tray-syncedTemplate.png', '/dist/assets/tray/tray-synced.ico']) {
      expect(result.asarFiles).toContain(f);
    }
  });

  it('holds the main bundle alone: no development sandbox (dist/dev/) and no lazy chunks', () => {
    expect(result.asarFiles.filter((f) => f.startsWith('/dist/dev/'))).toEqual([]);
    expect(result.asarFiles.filter((f) => f.startsWith('/dist/main/'))).toEqual(['/dist/main/index.js']);
  });

  it('holds no sources, tests, source maps or development dependencies', async () => {
    const prod = await productionPackages();
    const appFiles = result.asarFiles.filter((f) => !f.startsWith('/node_modules/'));
    expect(appFiles.filter((f) => /\.(ts|map)$/.test(f) || /^\/(app|cli|main|preload|renderer|sandbox|test|tools|bench|build)\//.test(f))).toEqual([]);
    const modules = new Set(result.asarFiles.filter((f) => f.startsWith('/node_modules/')).map((f) => {
      const parts = f.split('/');
      return parts[2]?.startsWith('@') ? `${parts[2]}/${parts[3]}` : parts[2];
    }).filter((m): m is string => Boolean(m) && !m?.endsWith('/undefined')));
    const notProduction = [...modules].filter((m) => !prod.has(m));
    expect(notProduction).toEqual([]);
    for (const dev of ['electron', 'electron-builder', 'vitest', 'esbuild', 'typescript', 'playwright-core', 'eslint']) expect(modules.has(dev)).toBe(false);
    for (const dep of ['axios', 'zod', 'electron-store', 'electron-log', 'systeminformation', 'conf', 'electron-updater']) expect(modules.has(dep)).toBe(true);
  });

  it('ships the builder-util-runtime electron-updater was built with, not electron-builder\'s (a development dependency)', async () => {
    const { extractFile } = await import('@electron/asar');
    const shipped = JSON.parse(extractFile(join(result.appDir, 'resources', 'app.asar'), 'node_modules/builder-util-runtime/package.json').toString('utf8')) as { version: string };
    const wanted = JSON.parse(await readFile(join(root, 'node_modules', 'electron-updater', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(shipped.version).toBe(wanted.dependencies['builder-util-runtime']);
  });

  it('flips the hardening fuses', () => {
    expect(result.fuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('carries desktopName, which Electron makes the window class (WM_CLASS) and the Linux desktop entry StartupWMClass names', async () => {
    const { extractFile } = await import('@electron/asar');
    const packaged = JSON.parse(extractFile(join(result.appDir, 'resources', 'app.asar'), 'package.json').toString('utf8')) as { desktopName?: string };
    expect(packaged.desktopName).toBe('device-agent.desktop');
  });

  it('carries app-update.yml beside app.asar: where the packaged app looks for updates (electron-builder.yml\'s publish)', async () => {
    expect(result.resourceFiles).toContain('app-update.yml');
    const builder = yaml.load(await readFile(join(root, 'electron-builder.yml'), 'utf8')) as { publish: { provider: string; url: string } };
    const written = yaml.load(await readFile(join(result.appDir, 'resources', 'app-update.yml'), 'utf8'));
    expect(builder.publish.url).toMatch(/^https:\/\//);
    // electron-updater reads provider and url, and keeps its downloads in ~/.cache/<updaterCacheDirName>.
    expect(written).toEqual({ provider: 'generic', url: builder.publish.url, updaterCacheDirName: 'device-agent-updater' });
  });

  it('names the entry point package.json points at', async () => {
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { main: string };
    expect(result.asarFiles).toContain(`/${pkg.main}`);
  });
});
