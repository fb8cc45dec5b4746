// Bundles the desktop app into dist/ with esbuild, in seconds:
//   dist/main/index.js      main process (ESM; electron and production dependencies stay external)
//   dist/preload/index.cjs  sandboxed preload (CommonJS, one file)
//   dist/renderer/          status window (index.html, index.js, styles.css)
//   dist/assets/tray/       tray icons
//   dist/dev/embedded-sandbox.js  the sandbox an unpackaged app runs against (never packaged:
//                           the main bundle imports it by path, only in development)
//   dist/app-inputs.json    the sources the app bundles were built from (appBuildIsFresh)
//   dist/cli/               the headless CLI (device-agent.mjs + chunks/ + inputs.json; tools/build-cli.ts)
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCli } from './build-cli.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_OUT_DIR = join(root, 'dist');
export const APP_MANIFEST_NAME = 'app-inputs.json';
/** Copied as they are (besides the bundles' own inputs). */
const COPIED = ['renderer/index.html', 'renderer/styles.css'];
const TRAY_ICONS = join('build', 'icons', 'tray');

export interface BuildResult {
  ms: number;
  /** Output file (relative to the out dir) → bytes. */
  outputs: Record<string, number>;
}

function projectInputs(metafiles: Metafile[]): string[] {
  const inputs = new Set<string>();
  for (const m of metafiles) {
    for (const file of Object.keys(m.inputs)) if (!file.startsWith('node_modules/') && !file.includes(':')) inputs.add(file.split(sep).join('/'));
  }
  const icons = readdirSync(join(root, TRAY_ICONS)).map((f) => `${TRAY_ICONS.split(sep).join('/')}/${f}`);
  return [...inputs, 'package.json', ...COPIED, ...icons].sort();
}

/**
 * Builds into `out` (default dist/; tests pass their own folder inside the
 * project, so that the bundles' external imports resolve). `cli: false` skips
 * the CLI bundle.
 */
export async function buildApp(out: string = DEFAULT_OUT_DIR, options: { cli?: boolean } = {}): Promise<BuildResult> {
  const started = performance.now();
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const externals = ['electron', ...Object.keys(pkg.dependencies ?? {}).flatMap((d) => [d, `${d}/*`])];
  await rm(out, { recursive: true, force: true });
  const common: BuildOptions = { bundle: true, sourcemap: 'linked', legalComments: 'none', logLevel: 'warning', metafile: true, absWorkingDir: root };
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
  ]), options.cli === false ? undefined : buildCli(join(out, 'cli'))]);
  await mkdir(join(out, 'renderer'), { recursive: true });
  for (const file of COPIED) await cp(join(root, file), join(out, 'renderer', file.split('/').pop() as string));
  await cp(join(root, TRAY_ICONS), join(out, 'assets', 'tray'), { recursive: true });
  const outputs: Record<string, number> = {};
  for (const r of results) {
    for (const [file, meta] of Object.entries(r.metafile?.outputs ?? {})) if (!file.endsWith('.map')) outputs[relative(out, join(root, file))] = meta.bytes;
  }
  for (const [file, bytes] of Object.entries(cli?.bytes ?? {})) outputs[join('cli', file)] = bytes;
  // Written last: an interrupted build has no manifest and is never taken for fresh.
  const inputs = projectInputs(results.map((r) => r.metafile as Metafile));
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
  buildApp().then(({ ms, outputs }) => {
    const sizes = Object.entries(outputs).map(([f, b]) => `dist/${f} ${(b / 1024).toFixed(1)} KiB`).join(', ');
    console.log(`built dist/ in ${ms} ms: ${sizes}`);
  }).catch((error: unknown) => {
    console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
