// `npm run pack:dir`: builds dist/, then runs electron-builder for an unpacked
// Linux app (`--linux dir`) — offline, from a provisioned Electron folder:
//   1. $ELECTRON_OVERRIDE_DIST_PATH, or
//   2. node_modules/electron/dist (when Electron's binary was downloaded), or
//   3. with --stand-in: a stand-in folder whose `electron` file carries only
//      Electron's fuse wire. That proves the packaging (asar contents, fuses
//      flipped) but does not make a runnable app.
// `--branding <file>` packs under another branding file than branding.json (names,
// ids, icons: tools/builder-config.ts). Prints what went into app.asar, the other files of
// the resources folder (app-update.yml: where the packaged app looks for updates) and the fuse states.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brandingArg, DEFAULT_BRANDING_FILE, loadBranding } from './branding-file.ts';
import { brandedResources } from './builder-config.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Electron's fuse sentinel (@electron/fuses), followed by wire version 1, length, then one byte per fuse. */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
export const FUSE_NAMES = [
  'runAsNode', 'enableCookieEncryption', 'enableNodeOptionsEnvironmentVariable', 'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation', 'onlyLoadAppFromAsar', 'loadBrowserProcessSpecificV8Snapshot', 'grantFileProtocolExtraPrivileges',
] as const;
/** Electron's own defaults ('1' enabled, '0' disabled), before packaging flips them. */
const ELECTRON_DEFAULT_FUSES = '10110001';

export async function makeStandInElectronDist(dir: string, version: string): Promise<string> {
  await mkdir(join(dir, 'resources'), { recursive: true });
  const body = Buffer.concat([
    Buffer.from('#!/bin/sh\necho "stand-in Electron binary for packaging checks; not runnable" >&2\nexit 1\n'),
    Buffer.from(FUSE_SENTINEL), Buffer.from([1, FUSE_NAMES.length]), Buffer.from(ELECTRON_DEFAULT_FUSES), Buffer.from('\n'),
  ]);
  await writeFile(join(dir, 'electron'), body, { mode: 0o755 });
  await writeFile(join(dir, 'version'), version);
  await writeFile(join(dir, 'LICENSE'), 'stand-in');
  await writeFile(join(dir, 'LICENSES.chromium.html'), '<!doctype html><title>stand-in</title>');
  return dir;
}

/** The fuse states in a packaged binary, by name. */
export function readFuses(binary: Buffer): Record<string, boolean> {
  const at = binary.indexOf(FUSE_SENTINEL);
  if (at < 0) throw new Error('no fuse wire found in the binary');
  const wire = at + FUSE_SENTINEL.length;
  const length = binary[wire + 1] ?? 0;
  const out: Record<string, boolean> = {};
  FUSE_NAMES.slice(0, length).forEach((name, i) => { out[name] = binary[wire + 2 + i] === 0x31; });
  return out;
}

export function provisionedElectronDist(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.ELECTRON_OVERRIDE_DIST_PATH && existsSync(env.ELECTRON_OVERRIDE_DIST_PATH)) return env.ELECTRON_OVERRIDE_DIST_PATH;
  const downloaded = join(root, 'node_modules', 'electron', 'dist');
  return existsSync(join(downloaded, 'electron')) || existsSync(join(downloaded, 'electron.exe')) ? downloaded : undefined;
}

export interface PackResult {
  appDir: string;
  /** The packaged program (linux-unpacked/<executableName>). */
  executable: string;
  asarFiles: string[];
  /** The resources folder beside app.asar (electron-builder's app-update.yml goes there). */
  resourceFiles: string[];
  fuses: Record<string, boolean>;
  ms: number;
}

/**
 * Runs `electron-builder --linux dir` into outputDir with the given Electron folder, under a
 * branding file. The app is dist/ (built with the same branding), or `options.dist`: another
 * build folder inside the project, packed as dist/ (tests build a branding of their own there
 * while dist/ stays the default's; the production dependencies still come from the project).
 */
export async function packDir(electronDist: string, outputDir: string, options: { appRoot?: string; branding?: string; dist?: string } = {}): Promise<PackResult> {
  const started = performance.now();
  const appRoot = options.appRoot ?? root;
  const loaded = await loadBranding(options.branding ?? DEFAULT_BRANDING_FILE);
  let { configFile } = await brandedResources(loaded);
  if (options.dist) {
    const from = relative(appRoot, options.dist);
    if (from.startsWith('..') || isAbsolute(from)) throw new Error(`packDir: ${options.dist} is not inside ${appRoot}`);
    const config = JSON.parse(await readFile(configFile, 'utf8')) as { files: (string | object)[] };
    // The same file set, taken from `from` and put at dist/.
    const isDist = (f: string | object): f is string => typeof f === 'string' && /^!?dist\//.test(f);
    const filter = config.files.filter(isDist).map((f) => f.replace(/^(!?)dist\//, '$1'));
    config.files = [...config.files.filter((f) => !isDist(f)), { from, to: 'dist', filter }];
    await mkdir(outputDir, { recursive: true });
    configFile = join(outputDir, 'electron-builder.json');
    await writeFile(configFile, `${JSON.stringify(config, null, 2)}\n`);
  }
  const electronVersion = JSON.parse(await readFile(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version as string;
  const cli = join(root, 'node_modules', 'electron-builder', 'cli.js');
  const args = [cli, '--linux', 'dir', '--projectDir', appRoot, '--config', configFile, '--publish', 'never',
    `-c.electronDist=${electronDist}`, `-c.electronVersion=${electronVersion}`, `-c.directories.output=${outputDir}`];
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: appRoot, env: { ...process.env, ELECTRON_BUILDER_OFFLINE: 'true', CSC_IDENTITY_AUTO_DISCOVERY: 'false' } });
    let text = '';
    child.stdout.on('data', (d: Buffer) => { text += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { text += d.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`electron-builder exited ${code}:\n${text.slice(-3000)}`))));
  });
  void output;
  const appDir = join(outputDir, 'linux-unpacked');
  const { listPackage } = await import('@electron/asar');
  const asarFiles = listPackage(join(appDir, 'resources', 'app.asar'), { isPack: false }).map((f: string) => f.replace(/\\/g, '/'));
  const executable = join(appDir, loaded.branding.executableName);
  const fuses = readFuses(await readFile(executable));
  const resourceFiles = (await readdir(join(appDir, 'resources'))).sort();
  return { appDir, executable, asarFiles, resourceFiles, fuses, ms: Math.round(performance.now() - started) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const standIn = process.argv.includes('--stand-in');
  const branding = brandingArg(process.argv.slice(2));
  const { buildApp } = await import('./build.ts');
  await buildApp(undefined, branding ? { branding } : {});
  let electronDist = provisionedElectronDist();
  if (!electronDist && standIn) {
    electronDist = await makeStandInElectronDist(join(root, '.cache', 'electron-stand-in'), JSON.parse(await readFile(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version);
    console.log(`using a stand-in Electron folder (${electronDist}): the package is checkable, not runnable`);
  }
  if (!electronDist) {
    console.error('No Electron binary here: set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron 45 folder, or run with --stand-in to check the packaging only.');
    process.exit(1);
  }
  const r = await packDir(electronDist, join(root, 'release'), branding ? { branding } : {});
  const top = [...new Set(r.asarFiles.map((f) => f.split('/').slice(0, f.startsWith('/node_modules/@') ? 4 : 3).join('/')))];
  console.log(`packed ${r.appDir} in ${r.ms} ms; app.asar holds ${r.asarFiles.length} entries:\n  ${top.join('\n  ')}`);
  console.log(`resources/: ${r.resourceFiles.join(', ')}`);
  console.log(`fuses: ${Object.entries(r.fuses).map(([k, v]) => `${k}=${v ? 'on' : 'off'}`).join(', ')}`);
}
