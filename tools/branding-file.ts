// Loads a branding file for the build tools: branding.json at the top level, or
// the one `--branding <file>` names (npm run build / pack:dir / builder-config).
// It is validated with the agent's own schema before anything is built, and its
// icon source is checked; every error names the file and the field.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBranding, type Branding } from '../app/branding/schema.ts';
import { readIconSource, type Image } from './make-icons.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_BRANDING_FILE = join(ROOT, 'branding.json');

export interface LoadedBranding {
  /** Absolute path of the branding file. */
  file: string;
  branding: Branding;
  /** The icon source, decoded (the path is relative to the branding file). */
  icon: Image;
  /** True for the top-level branding.json (its icons are the committed ones in build/). */
  isDefault: boolean;
  /** Changes with the branding file and its icon: names generated folders. */
  hash: string;
}

export async function loadBranding(file: string = DEFAULT_BRANDING_FILE): Promise<LoadedBranding> {
  const path = resolve(file);
  const rel = relative(process.cwd(), path);
  const name = rel && !rel.startsWith('..') ? rel : path;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`branding file ${name} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`branding file ${name} is not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const branding = parseBranding(data, `branding file ${name}`);
  const iconPath = join(dirname(path), branding.icon);
  let png: Buffer;
  try {
    png = await readFile(iconPath);
  } catch (error) {
    throw new Error(`branding file ${name}: icon ${branding.icon} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
  }
  const icon = readIconSource(png, `branding file ${name}: icon ${branding.icon}`);
  const hash = createHash('sha256').update(text).update('\0').update(png).digest('hex').slice(0, 16);
  return { file: path, branding, icon, isDefault: path === DEFAULT_BRANDING_FILE, hash };
}

/** The value of `--branding <file>` (or `--branding=<file>`) in argv, if given. */
export function brandingArg(argv: readonly string[]): string | undefined {
  const at = argv.indexOf('--branding');
  if (at >= 0) {
    const value = argv[at + 1];
    if (!value || value.startsWith('--')) throw new Error('--branding needs a file: --branding <branding.json>');
    return value;
  }
  return argv.find((a) => a.startsWith('--branding='))?.slice('--branding='.length);
}
