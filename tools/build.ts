// Bundles the desktop app into dist/ with esbuild, in seconds:
//   dist/main/index.js      main process (ESM; electron and production dependencies stay external)
//   dist/preload/index.cjs  sandboxed preload (CommonJS, one file)
//   dist/renderer/          status window (index.html, index.js, styles.css)
//   dist/assets/tray/       tray icons
//   dist/cli/               the headless CLI (device-agent.mjs + chunks/ + inputs.json; tools/build-cli.ts)
import { build, type BuildOptions } from 'esbuild';
import { cp, mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCli } from './build-cli.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_OUT_DIR = join(root, 'dist');

/** Builds into `out` (default dist/; tests pass a temp dir). */
export async function buildApp(out: string = DEFAULT_OUT_DIR): Promise<{ ms: number; outputs: Record<string, number> }> {
  const started = performance.now();
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const externals = ['electron', ...Object.keys(pkg.dependencies ?? {}).flatMap((d) => [d, `${d}/*`])];
  await rm(out, { recursive: true, force: true });
  const common: BuildOptions = { bundle: true, sourcemap: 'linked', legalComments: 'none', logLevel: 'warning', metafile: true, absWorkingDir: root };
  const [results, cli] = await Promise.all([Promise.all([
    build({
      ...common,
      entryPoints: { index: 'main/index.ts' },
      outdir: join(out, 'main'),
      platform: 'node',
      format: 'esm',
      target: 'node22',
      external: externals,
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    }),
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
  ]), buildCli(join(out, 'cli'))]);
  await mkdir(join(out, 'renderer'), { recursive: true });
  await cp(join(root, 'renderer', 'index.html'), join(out, 'renderer', 'index.html'));
  await cp(join(root, 'renderer', 'styles.css'), join(out, 'renderer', 'styles.css'));
  await cp(join(root, 'build', 'icons', 'tray'), join(out, 'assets', 'tray'), { recursive: true });
  const outputs: Record<string, number> = {};
  for (const r of results) {
    for (const [file, meta] of Object.entries(r.metafile?.outputs ?? {})) if (!file.endsWith('.map')) outputs[relative(out, join(root, file))] = meta.bytes;
  }
  for (const [file, bytes] of Object.entries(cli.bytes)) outputs[join('cli', file)] = bytes;
  return { ms: Math.round(performance.now() - started), outputs };
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
