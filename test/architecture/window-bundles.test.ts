// The window's side stays small and zod-free: the preload and the renderer bundle
// neither zod nor the settings table (app/config/fields.ts, which loads the branding
// and its schema). The renderer learns its form from main (getSettingsForm); main
// checks a save with the table's schema (main/settings-input.ts).
import { build } from 'esbuild';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

async function bundledInputs(entry: string, platform: 'node' | 'browser'): Promise<string[]> {
  const result = await build({
    entryPoints: [join(root, entry)], bundle: true, write: false, metafile: true, logLevel: 'silent',
    platform, format: platform === 'node' ? 'cjs' : 'esm', external: ['electron'], absWorkingDir: root,
  });
  const output = Object.values(result.metafile.outputs)[0];
  return Object.entries(output?.inputs ?? {}).filter(([, input]) => input.bytesInOutput > 0).map(([file]) => file);
}

describe('the window\'s bundles', () => {
  it.each([['preload/index.ts', 'node'], ['renderer/index.ts', 'browser']] as const)('%s has no zod and no settings table', async (entry, platform) => {
    const inputs = await bundledInputs(entry, platform);
    expect(inputs).toContain(entry);
    expect(inputs.filter((f) => /node_modules\/zod\/|app\/config\/fields\.ts|app\/branding\//.test(f))).toEqual([]);
  });
});
