// The headless CLI as a bundle: dist/cli/device-agent.mjs (+ chunks/ for what it
// imports lazily: the sandbox with node:sqlite, only for `sandbox` and `demo`).
// Node runs it without type stripping, which costs the agent ~30-40 MB of RSS
// (docs/performance.md). Production dependencies stay external and resolve from
// the project's node_modules, as in an installed app; package.json (the version)
// is inlined. dist/cli/inputs.json lists the source files the bundle was built
// from, so bin/device-agent.js can tell a stale bundle (bin/cli-entry.js). The build
// refuses to run when app/licenseapi/track-body-validator.generated.js no longer matches
// the seed's schema (tools/gen-validators.ts).
import { build } from 'esbuild';
import type { Metafile, Plugin } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { staleValidatorProblem } from './gen-validators.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const CLI_ENTRY = 'cli/main.ts';
export const CLI_BUNDLE_NAME = 'device-agent.mjs';
export const CLI_MANIFEST_NAME = 'inputs.json';

export interface CliManifest {
  /** The entry point, relative to the project root (posix separators). */
  entry: string;
  /** Every project file the bundle holds code or data from (package.json included), relative to the root. */
  inputs: string[];
}

/**
 * Builds the CLI into `outDir` (default dist/cli). The manifest is written last,
 * so a bundle without one (a build in progress, or one that failed) is never run.
 */
export interface CliBuild {
  bundle: string;
  manifest: CliManifest;
  bytes: Record<string, number>;
  /** Modules outside the bundle (built-ins, production dependencies) that `device-agent` loads at start (see startImports below). */
  startImports: string[];
}

/** `plugins`: the build's branding (tools/build.ts); without, the sources' branding.json. */
export async function buildCli(outDir: string = join(root, 'dist', 'cli'), plugins: Plugin[] = []): Promise<CliBuild> {
  // The agent checks every track body with the validator compiled ahead of time: never ship one older than its schema.
  const stale = staleValidatorProblem();
  if (stale) throw new Error(stale);
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const result = await build({
    entryPoints: { 'device-agent': CLI_ENTRY },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    external: Object.keys(pkg.dependencies ?? {}).flatMap((d) => [d, `${d}/*`]),
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
    absWorkingDir: root,
    plugins,
  });
  const inputs = Object.keys(result.metafile.inputs)
    .filter((file) => !file.startsWith('node_modules/') && !file.includes(':'))
    .map((file) => file.split(sep).join('/'))
    .sort();
  const manifest: CliManifest = { entry: CLI_ENTRY, inputs };
  await writeFile(join(outDir, CLI_MANIFEST_NAME), `${JSON.stringify(manifest, null, 2)}\n`);
  const bytes: Record<string, number> = {};
  for (const [file, meta] of Object.entries(result.metafile.outputs)) if (!file.endsWith('.map')) bytes[relative(outDir, join(root, file))] = meta.bytes;
  return { bundle: join(outDir, CLI_BUNDLE_NAME), manifest, bytes, startImports: startImports(result.metafile, join(outDir, CLI_BUNDLE_NAME)) };
}

/** External modules loaded at start: reached from the entry by static imports (import() chunks — the sandbox, axios — load later, if ever). */
function startImports(metafile: Metafile, bundle: string): string[] {
  const outputs = metafile.outputs;
  const entry = Object.keys(outputs).find((file) => join(root, file) === bundle);
  const external = new Set<string>();
  const queue = entry ? [entry] : [];
  const seen = new Set(queue);
  while (queue.length > 0) {
    for (const imported of outputs[queue.shift()!]?.imports ?? []) {
      if (imported.kind !== 'import-statement') continue;
      if (imported.external) external.add(imported.path);
      else if (!seen.has(imported.path)) {
        seen.add(imported.path);
        queue.push(imported.path);
      }
    }
  }
  return [...external].sort();
}
