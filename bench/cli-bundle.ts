// The headless CLI as shipped: `npm run build`'s bundle in dist/cli (tools/build-cli.ts),
// which bin/device-agent.js runs while it is built from the current sources.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCli } from '../tools/build-cli.ts';
import type { CliBuild } from '../tools/build-cli.ts';

export const BIN = fileURLToPath(new URL('../bin/device-agent.js', import.meta.url));

/** Builds dist/cli afresh (so bin/device-agent.js runs the bundle); `bundle` is its path, `startImports` what it loads at start. */
export async function buildCliBundle(outDir: string = join(fileURLToPath(new URL('..', import.meta.url)), 'dist', 'cli')): Promise<CliBuild> {
  return buildCli(outDir);
}
