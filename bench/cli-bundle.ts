// The headless CLI as one JavaScript file, bundled the way tools/build.ts
// bundles the desktop main process (production dependencies stay external).
// Running TypeScript through Node's type stripping costs ~40 MB of RSS (the
// stripper's WebAssembly heap and the sources); a shipped agent need not pay it.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Inside the project so that the bundle resolves node_modules like an installed app. */
export const BUNDLE_FILE = join(root, 'node_modules', '.cache', 'device-agent-bench', 'device-agent.mjs');

export async function buildCliBundle(outfile: string = BUNDLE_FILE): Promise<string> {
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  await build({
    entryPoints: [join(root, 'app', 'cli', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    external: Object.keys(pkg.dependencies ?? {}).flatMap((d) => [d, `${d}/*`]),
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'error',
    absWorkingDir: root,
  });
  return outfile;
}
