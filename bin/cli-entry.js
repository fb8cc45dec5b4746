// Which file `device-agent` runs: the bundle dist/cli/device-agent.mjs (built by
// `npm run build`, ~30-40 MB less memory than type-stripping the sources) when
// it is fresh, else the TypeScript source, so a developer never runs a stale
// bundle. Fresh = dist/cli/inputs.json is there (it is written after the bundle)
// and no file it lists is newer than the bundle or gone. Without the sources
// (an install that ships only dist/) the bundle is all there is.
// Plain JavaScript: it runs on whatever Node starts the command.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const SOURCE_ENTRY = ['cli', 'main.ts'];
export const BUNDLE_ENTRY = ['dist', 'cli', 'device-agent.mjs'];
export const MANIFEST = ['dist', 'cli', 'inputs.json'];

/**
 * @param {string} root the project root
 * @returns {{ kind: 'bundle' | 'source', path: string, reason: string }}
 */
export function chooseCliEntry(root) {
  const source = join(root, ...SOURCE_ENTRY);
  const bundle = join(root, ...BUNDLE_ENTRY);
  const useSource = (reason) => ({ kind: 'source', path: source, reason });
  let bundleTime;
  let inputs;
  try {
    bundleTime = statSync(bundle).mtimeMs;
    inputs = JSON.parse(readFileSync(join(root, ...MANIFEST), 'utf8')).inputs;
  } catch {
    return useSource('no built bundle (npm run build)');
  }
  if (!Array.isArray(inputs) || inputs.length === 0 || !inputs.every((i) => typeof i === 'string')) return useSource('dist/cli/inputs.json is not a list of inputs');
  if (!existsSync(source)) return { kind: 'bundle', path: bundle, reason: 'no sources next to the bundle' };
  for (const input of inputs) {
    let time;
    try {
      time = statSync(join(root, input)).mtimeMs;
    } catch {
      return useSource(`${input} is gone since the build`);
    }
    if (time > bundleTime) return useSource(`${input} changed since the build`);
  }
  return { kind: 'bundle', path: bundle, reason: 'built from the current sources' };
}
