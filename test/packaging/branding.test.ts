// Packaging under another branding: the test-only "Acme Device Agent" is built and
// packed by the real electron-builder (--linux dir, offline) from an app folder of
// its own. The packaged output — file names and the text of every file, app.asar's
// contents included — carries Acme's names and none of the default branding's; the
// builder configuration, the deb's scripts and the icons are Acme's. Packed from the project
// (its production dependencies) with this test's own build folder as dist/.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../tools/build.ts';
import { loadBranding } from '../../tools/branding-file.ts';
import { brandedResources, type BrandedResources } from '../../tools/builder-config.ts';
import { decodePng } from '../../tools/make-icons.ts';
import { makeStandInElectronDist, packDir, provisionedElectronDist, type PackResult } from '../../tools/pack-dir.ts';
import { writeAcmeBranding } from '../branding/acme.ts';

const root = join(import.meta.dirname, '..', '..');
/** The default branding's names as a person or IT sees them (Acme's own "Acme Device Agent" / "acme-agent" excepted). */
const DEFAULT_NAMES = /(?<!Acme )Device Agent|(?<!acme-)\bdevice-agent\b(?!:)|DeviceAgent|com\.licensespring\.deviceagent/g;
/**
 * Internal identifiers nobody sees, kept under every branding: the IPC channel
 * namespace ("device-agent:…", matched out above), the bridge's global
 * (window.deviceAgent), the DEVICE_AGENT_* environment variables, and two fixed
 * salts whose change would orphan existing state and secrets.
 */
const INTERNAL = ['device-agent credentials v1', 'device-agent keyring probe'];

async function* files(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

/** Every match of the default names in the file names and text of a folder tree. */
async function defaultNamesIn(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const file of files(dir)) {
    const rel = relative(dir, file);
    if (DEFAULT_NAMES.test(rel)) found.push(`file name ${rel}`);
    DEFAULT_NAMES.lastIndex = 0;
    let text = (await readFile(file)).toString('latin1');
    for (const internal of INTERNAL) text = text.replaceAll(internal, '');
    for (const m of text.matchAll(DEFAULT_NAMES)) found.push(`${rel}: …${text.slice(Math.max(0, m.index - 40), m.index + 40).replace(/\s+/g, ' ')}…`);
  }
  return found;
}

describe('packaged under the Acme branding (electron-builder --linux dir)', () => {
  let dir = '';
  let result: PackResult;
  let resources: BrandedResources;
  let extracted = '';

  beforeAll(async () => {
    // Inside the project, so that the bundles' external imports resolve.
    dir = await mkdtemp(join(root, '.cache', 'pack-acme-'));
    const brandingFile = await writeAcmeBranding(join(dir, 'brand'));
    await buildApp(join(dir, 'dist'), { cli: false, branding: brandingFile });
    const version = JSON.parse(await readFile(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version as string;
    const electronDist = provisionedElectronDist() ?? await makeStandInElectronDist(join(dir, 'electron-dist'), version);
    result = await packDir(electronDist, join(dir, 'release'), { dist: join(dir, 'dist'), branding: brandingFile });
    resources = await brandedResources(await loadBranding(brandingFile));
    extracted = join(dir, 'asar');
    const { extractAll } = await import('@electron/asar');
    extractAll(join(result.appDir, 'resources', 'app.asar'), extracted);
  }, 180_000);
  afterAll(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

  it('holds what a default build holds: the bundles, the tray images and every production dependency', async () => {
    for (const f of ['/package.json', '/dist/main/index.js', '/dist/preload/index.cjs', '/dist/renderer/index.html', '/dist/renderer/brand.css', '/dist/assets/tray/tray-synced.png']) expect(result.asarFiles).toContain(f);
    expect(result.asarFiles.filter((f) => f.startsWith('/dist/') && (f.endsWith('.map') || f.startsWith('/dist/dev/') || f.startsWith('/dist/cli/')))).toEqual([]);
    const lock = JSON.parse(await readFile(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; optional?: boolean }> };
    const production = Object.entries(lock.packages).filter(([path, p]) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path) && !p.dev && !p.optional).map(([path]) => `/${path}/package.json`);
    expect(production.length).toBeGreaterThan(40);
    expect(production.filter((f) => !result.asarFiles.includes(f))).toEqual([]);
  });

  it('looks for updates on Acme\'s server (resources/app-update.yml)', async () => {
    const updateConfig = await readFile(join(result.appDir, 'resources', 'app-update.yml'), 'utf8');
    expect(updateConfig).toMatch(/^url: https:\/\/updates\.acme\.example\/agent\/?$/m);
    expect(updateConfig).toMatch(/^updaterCacheDirName: acme-agent-updater$/m);
  });

  it('names the program, the package manifest and the window class after Acme', async () => {
    expect(relative(result.appDir, result.executable)).toBe('acme-agent');
    expect((await stat(result.executable)).isFile()).toBe(true);
    const pkg = JSON.parse(await readFile(join(extracted, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect([pkg.name, pkg.desktopName, pkg.author]).toEqual(['acme-agent', 'acme-agent.desktop', 'Acme Corp']);
  });

  it('holds none of the default branding\'s names anywhere in the packaged output (file names, app.asar\'s files, the program folder)', async () => {
    expect(await defaultNamesIn(extracted)).toEqual([]);
    expect((await defaultNamesIn(result.appDir)).filter((m) => !m.startsWith('resources/app.asar'))).toEqual([]);
    // The grep finds them where they are: the default build's main bundle has them.
    const main = await readFile(join(extracted, 'dist', 'main', 'index.js'), 'utf8');
    expect(main).toContain('Acme Device Agent');
    expect(main).toContain('com.acme.agent');
  });

  it('gives electron-builder Acme\'s ids, names and icons, and the deb Acme\'s autostart entry', async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- electron-builder's configuration, read as data
    const c = resources.config as Record<string, any>;
    expect([c.appId, c.productName, c.executableName, c.copyright]).toEqual(['com.acme.agent', 'Acme Device Agent', 'acme-agent', 'Copyright © Acme Corp']);
    expect(c.linux.desktop.entry.StartupWMClass).toBe('acme-agent');
    expect(c.linux.synopsis).toBe('Keeps this computer registered with Acme licensing');
    for (const icon of [c.win.icon, c.mac.icon, join(c.linux.icon, '512x512.png')]) expect(icon.startsWith(resources.icons)).toBe(true);
    const postinst = await readFile(c.deb.afterInstall, 'utf8');
    expect(postinst).toContain('cat > "$autostart_dir/acme-agent.desktop"');
    expect(postinst).toMatch(/^Name=Acme Device Agent$/m);
    expect(postinst).toMatch(/^X-AcmeAgent-Autostart=true$/m);
    expect(postinst).not.toMatch(/\{\{\w+\}\}/);
    const postrm = await readFile(c.deb.afterRemove, 'utf8');
    expect(postrm).toContain("grep -q '^X-AcmeAgent-Autostart=true$'");
    for (const script of [postinst, postrm]) {
      // Only electron-builder's own template (its ${executable} macros) may remain; no default name.
      expect(script.replace(/\$\{executable\}/g, '')).not.toMatch(DEFAULT_NAMES);
      expect(spawnSync('bash', ['-n'], { input: script }).status).toBe(0);
    }
  });

  it('draws the app icon and the tray images from Acme\'s icon', async () => {
    const icon = decodePng(await readFile(join(resources.icons, 'icons', 'png', '64x64.png')));
    expect([...icon.rgba.subarray((32 * 64 + 10) * 4, (32 * 64 + 10) * 4 + 4)]).toEqual([194, 65, 12, 255]);
    const tray = decodePng(await readFile(join(extracted, 'dist', 'assets', 'tray', 'tray-synced@2x.png')));
    // Acme's orange in the icon's upper left; the synced badge's green at the lower right.
    expect([...tray.rgba.subarray((8 * 44 + 8) * 4, (8 * 44 + 8) * 4 + 3)]).toEqual([194, 65, 12]);
    expect([...tray.rgba.subarray((31 * 44 + 37) * 4, (31 * 44 + 37) * 4 + 3)]).toEqual([26, 127, 55]);
  });

  it('carries Acme\'s name and accent colour into the status window\'s page', async () => {
    const html = await readFile(join(extracted, 'dist', 'renderer', 'index.html'), 'utf8');
    expect(html).toContain('<title>Acme Device Agent</title>');
    expect(html).toContain('<h1>Acme Device Agent</h1>');
    expect(html).toContain('<meta name="product-name" content="Acme Device Agent">');
    expect(await readFile(join(extracted, 'dist', 'renderer', 'brand.css'), 'utf8')).toContain('--accent: #c2410c;');
  });
});
