// Bundles the desktop app into dist/ with esbuild, in seconds:
//   dist/main/index.js      main process (ESM; electron and production dependencies stay external)
//   dist/preload/index.cjs  sandboxed preload (CommonJS, one file)
//   dist/renderer/          status window (index.html and brand.css carry the branding's name and colours; index.js, styles.css)
//   dist/assets/tray/       tray icons (the branding's: build/icons/tray, or drawn for another branding)
//   dist/dev/embedded-sandbox.js  the sandbox an unpackaged app runs against (never packaged:
//                           the main bundle imports it by path, only in development)
//   dist/app-inputs.json    the sources the app bundles were built from (appBuildIsFresh)
//   dist/cli/               the headless CLI (device-agent.mjs + chunks/ + inputs.json; tools/build-cli.ts)
// `--branding <file>` builds with another branding file than branding.json: it is
// bundled in its place (app/branding/index.ts imports it), validated first.
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { accentDark, textOn, type Branding } from '../app/branding/schema.ts';
import { brandingArg, DEFAULT_BRANDING_FILE, loadBranding } from './branding-file.ts';
import { brandedResources } from './builder-config.ts';
import { buildCli } from './build-cli.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_OUT_DIR = join(root, 'dist');
export const APP_MANIFEST_NAME = 'app-inputs.json';
/** Copied as they are (besides the bundles' own inputs); index.html with the branding's {{tokens}} filled in. */
const COPIED = ['renderer/index.html', 'renderer/styles.css'];
const TRAY_ICONS = join('icons', 'tray');

/** Bundles `file` wherever the sources import the top-level branding.json. */
export function brandingPlugin(file: string): Plugin {
  return {
    name: 'branding',
    setup(b) {
      b.onResolve({ filter: /(^|\/)branding\.json$/ }, (args) => (join(args.resolveDir, args.path) === DEFAULT_BRANDING_FILE ? { path: file } : undefined));
    },
  };
}

/** The bundles take only the version from package.json (app/version.ts): not its names, scripts or dependencies. */
export const packageVersionPlugin: Plugin = {
  name: 'package-version',
  setup(b) {
    b.onLoad({ filter: /(^|[\\/])package\.json$/ }, async (args) => (args.path === join(root, 'package.json')
      ? { contents: JSON.stringify({ version: (JSON.parse(await readFile(args.path, 'utf8')) as { version: string }).version }), loader: 'json' }
      : undefined));
  },
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The status window's page with the branding's name and support line. */
export function renderIndexHtml(template: string, branding: Branding): string {
  const { url, email } = branding.support ?? {};
  const ways = [email, url].filter((w): w is string => Boolean(w)).map(escapeHtml);
  const tokens: Record<string, string> = {
    productName: escapeHtml(branding.productName),
    support: ways.length ? `<footer class="support muted">Help from ${escapeHtml(branding.publisher)}: ${ways.join(' · ')}</footer>` : '',
  };
  // Only {{branding.*}} is the build's: other double-braced text is left to its owner.
  return template.replace(/\{\{branding\.(\w+)\}\}/g, (_m, name: string) => {
    const value = tokens[name];
    if (value === undefined) throw new Error(`renderer/index.html: unknown branding token {{branding.${name}}}`);
    return value;
  });
}

/** The accent colours (light and dark) as CSS custom properties, after styles.css. */
export function brandCss(branding: Branding): string {
  const light = branding.accentColor, dark = accentDark(branding);
  return `/* Generated from the branding file by tools/build.ts. */\n:root { --accent: ${light}; --accent-fg: ${textOn(light)}; --focus: ${light}; }\n`
    + `@media (prefers-color-scheme: dark) { :root { --accent: ${dark}; --accent-fg: ${textOn(dark)}; --focus: ${dark}; } }\n`
    // Check boxes and other form controls in the accent too, not the system's.
    + ':root { accent-color: var(--accent); }\n';
}

export interface BuildResult {
  ms: number;
  /** Output file (relative to the out dir) → bytes. */
  outputs: Record<string, number>;
}

function projectInputs(metafiles: Metafile[], trayIcons: string, brandingFile: string): string[] {
  const inputs = new Set<string>();
  for (const m of metafiles) {
    for (const file of Object.keys(m.inputs)) if (!file.startsWith('node_modules/') && !file.includes(':')) inputs.add(file.split(sep).join('/'));
  }
  const rel = (p: string) => relative(root, p).split(sep).join('/');
  const icons = readdirSync(trayIcons).map((f) => rel(join(trayIcons, f)));
  return [...new Set([...inputs, 'package.json', ...COPIED, ...icons, rel(brandingFile)])].sort();
}

/**
 * Builds into `out` (default dist/; tests pass their own folder inside the
 * project, so that the bundles' external imports resolve). `cli: false` skips
 * the CLI bundle.
 */
export async function buildApp(out: string = DEFAULT_OUT_DIR, options: { cli?: boolean; branding?: string } = {}): Promise<BuildResult> {
  const started = performance.now();
  const loaded = await loadBranding(options.branding ?? DEFAULT_BRANDING_FILE);
  const trayIcons = join((await brandedResources(loaded)).icons, TRAY_ICONS);
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const externals = ['electron', ...Object.keys(pkg.dependencies ?? {}).flatMap((d) => [d, `${d}/*`])];
  await rm(out, { recursive: true, force: true });
  const common: BuildOptions = { bundle: true, sourcemap: 'linked', legalComments: 'none', logLevel: 'warning', metafile: true, absWorkingDir: root, plugins: [brandingPlugin(loaded.file), packageVersionPlugin] };
  const nodeEsm: BuildOptions = {
    ...common,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: externals,
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  };
  const [results, cli] = await Promise.all([Promise.all([
    build({ ...nodeEsm, entryPoints: { index: 'main/index.ts' }, outdir: join(out, 'main') }),
    build({ ...nodeEsm, entryPoints: { 'embedded-sandbox': 'sandbox/embedded.ts' }, outdir: join(out, 'dev') }),
    build({
      ...common,
      entryPoints: { index: 'preload/index.ts' },
      outdir: join(out, 'preload'),
      outExtension: { '.js': '.cjs' },
      platform: 'node',
      format: 'cjs',
      target: 'chrome140',
      external: ['electron'],
    }),
    build({
      ...common,
      entryPoints: { index: 'renderer/index.ts' },
      outdir: join(out, 'renderer'),
      platform: 'browser',
      format: 'esm',
      target: 'chrome120',
      minify: true,
    }),
  ]), options.cli === false ? undefined : buildCli(join(out, 'cli'), [brandingPlugin(loaded.file), packageVersionPlugin])]);
  await mkdir(join(out, 'renderer'), { recursive: true });
  await writeFile(join(out, 'renderer', 'index.html'), renderIndexHtml(await readFile(join(root, 'renderer', 'index.html'), 'utf8'), loaded.branding));
  await cp(join(root, 'renderer', 'styles.css'), join(out, 'renderer', 'styles.css'));
  await writeFile(join(out, 'renderer', 'brand.css'), brandCss(loaded.branding));
  await cp(trayIcons, join(out, 'assets', 'tray'), { recursive: true });
  const outputs: Record<string, number> = {};
  for (const r of results) {
    for (const [file, meta] of Object.entries(r.metafile?.outputs ?? {})) if (!file.endsWith('.map')) outputs[relative(out, join(root, file))] = meta.bytes;
  }
  for (const [file, bytes] of Object.entries(cli?.bytes ?? {})) outputs[join('cli', file)] = bytes;
  // Written last: an interrupted build has no manifest and is never taken for fresh.
  const inputs = projectInputs(results.map((r) => r.metafile as Metafile), trayIcons, loaded.file);
  await writeFile(join(out, APP_MANIFEST_NAME), `${JSON.stringify({ inputs }, null, 2)}\n`);
  return { ms: Math.round(performance.now() - started), outputs };
}

/** Why the app bundles in `out` are not built from the current sources, or undefined when they are. */
export function appBuildStaleness(out: string = DEFAULT_OUT_DIR): string | undefined {
  let manifest: { inputs?: unknown };
  let builtAt: number;
  try {
    manifest = JSON.parse(readFileSync(join(out, APP_MANIFEST_NAME), 'utf8')) as typeof manifest;
    builtAt = statSync(join(out, APP_MANIFEST_NAME)).mtimeMs;
  } catch {
    return `${relative(root, out) || out} has no complete build`;
  }
  if (!Array.isArray(manifest.inputs) || !manifest.inputs.every((i) => typeof i === 'string')) return `${APP_MANIFEST_NAME} is not a list of inputs`;
  for (const input of manifest.inputs as string[]) {
    let time: number;
    try {
      time = statSync(join(root, input)).mtimeMs;
    } catch {
      return `${input} is gone since the build`;
    }
    if (time > builtAt) return `${input} changed since the build`;
  }
  return undefined;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  Promise.resolve().then(() => brandingArg(process.argv.slice(2))).then((branding) => buildApp(DEFAULT_OUT_DIR, branding ? { branding } : {})).then(({ ms, outputs }) => {
    const sizes = Object.entries(outputs).map(([f, b]) => `dist/${f} ${(b / 1024).toFixed(1)} KiB`).join(', ');
    console.log(`built dist/ in ${ms} ms: ${sizes}`);
  }).catch((error: unknown) => {
    console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
