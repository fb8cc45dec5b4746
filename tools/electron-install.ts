// Gets Electron's binary where it can: Electron 45's npm package has no install
// script, so nothing downloads the binary at `npm ci`. This runs the package's
// own installer (its `install-electron` bin, install.js: @electron/get with the
// package's checksums) when neither node_modules/electron/dist nor
// ELECTRON_OVERRIDE_DIST_PATH provides one. Its progress goes to stderr; a
// failure becomes one reason, not a stack trace. The installer is bounded: it is
// stopped when it shows no sign of life for `stallMs` (its progress bar appears
// after 30 s of downloading) or runs longer than `totalMs`.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary, type ElectronLookup } from './electron-binary.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** What to tell a person to run later when the download failed. */
export const INSTALL_LATER = 'node node_modules/electron/install.js';

export interface EnsureElectronOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** node_modules/electron (tests use a copy). */
  moduleDir?: string;
  /** The installer command; default: this Node running the package's install.js. */
  installer?: readonly string[];
  /** Stop the installer after this long without any output (default 60 s). */
  stallMs?: number;
  /** …or after this long in all (default 15 min). */
  totalMs?: number;
  /** Where the installer's progress goes (default process.stderr). */
  progress?: (chunk: string) => void;
}

export type EnsureResult = (ElectronLookup & { found: true }) | { found: false; why: string; installed: boolean };

interface InstallerOutcome { ok: boolean; reason: string }

function runInstaller(command: readonly string[], env: NodeJS.ProcessEnv, stallMs: number, totalMs: number, progress: (chunk: string) => void): Promise<InstallerOutcome> {
  return new Promise((resolve) => {
    const child = spawn(command[0] as string, command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env });
    let held = '';
    let settled = false;
    let stopped: string | undefined;
    const stop = (why: string) => {
      if (stopped || settled) return;
      stopped = why;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    };
    const stallText = `no sign of progress for ${stallMs < 1000 ? `${stallMs} ms` : `${Math.round(stallMs / 1000)} s`}`;
    let stall = setTimeout(() => stop(stallText), stallMs);
    const total = setTimeout(() => stop(`it ran longer than ${Math.round(totalMs / 60_000)} min`), totalMs);
    const onData = (chunk: string) => {
      clearTimeout(stall);
      stall = setTimeout(() => stop(stallText), stallMs);
      // The progress bar redraws one line (\r, no newline): show it as it comes. Whole
      // lines are kept back: on success they are shown, on failure the first is the reason.
      if (!chunk.includes('\n')) progress(chunk);
      else held += chunk;
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    const finish = (outcome: InstallerOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(stall);
      clearTimeout(total);
      resolve(outcome);
    };
    child.on('error', (error) => finish({ ok: false, reason: `the installer could not run (${error.message})` }));
    child.on('close', (code, signal) => {
      if (code === 0 && !stopped) {
        if (held) progress(held);
        finish({ ok: true, reason: '' });
        return;
      }
      const firstLine = held.split('\n').map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('at '));
      finish({ ok: false, reason: stopped ?? firstLine ?? `the installer ended with ${signal ?? `exit code ${code}`}` });
    });
  });
}

export async function ensureElectron(options: EnsureElectronOptions = {}): Promise<EnsureResult> {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const moduleDir = options.moduleDir ?? join(root, 'node_modules', 'electron');
  const found = findElectronBinary(env, platform, moduleDir);
  if (found.found) return found;
  // An explicit ELECTRON_OVERRIDE_DIST_PATH is the developer's choice: never download over it.
  if (env.ELECTRON_OVERRIDE_DIST_PATH) return { found: false, why: found.why, installed: false };
  const drawBar = process.stderr.isTTY ? ['--require', join(root, 'tools', 'electron-install-progress.cjs')] : [];
  const command = options.installer ?? [process.execPath, ...drawBar, join(moduleDir, 'install.js')];
  const progress = options.progress ?? ((chunk: string) => { process.stderr.write(chunk); });
  progress(`Electron's binary is not downloaded yet; fetching it with Electron's own installer (${INSTALL_LATER})…\n`);
  const outcome = await runInstaller(command, env, options.stallMs ?? 60_000, options.totalMs ?? 15 * 60_000, progress);
  if (!outcome.ok) return { found: false, why: `Electron could not be downloaded: ${outcome.reason}`, installed: false };
  const after = findElectronBinary(env, platform, moduleDir);
  return after.found ? after : { found: false, why: `Electron's installer finished but ${after.why}`, installed: true };
}

/** The one line `npm start` prints when it runs the headless demo instead: why, and what to run later. */
export function fallbackLine(result: Extract<EnsureResult, { found: false }>, env: NodeJS.ProcessEnv = process.env): string {
  const later = result.installed || env.ELECTRON_OVERRIDE_DIST_PATH
    ? 'fix that, then run npm start again'
    : `run ${INSTALL_LATER} (or npm start again) once this machine can reach Electron's downloads`;
  return `Not starting the desktop app: ${result.why}. Running the headless demo instead; for the desktop app, ${later}.`;
}
