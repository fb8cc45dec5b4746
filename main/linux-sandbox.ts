// Chromium's sandbox on Linux needs unprivileged user namespaces (or a setuid
// chrome-sandbox). Ubuntu >= 23.10 lets AppArmor refuse them to programs without a
// profile allowing them: the .deb installs such a profile (electron-builder's
// template); an AppImage has none. electron-builder's AppImage launcher (AppRun)
// then starts the app with --no-sandbox rather than let it crash — silently. The
// app never runs without its sandbox silently: it says so, names the cause when
// it can read it, and what to do.
import { readFileSync } from 'node:fs';
import type { ShellProblem } from './shell-problems.ts';
import { PRODUCT_NAME } from '../app/branding/index.ts';

/** 1 when AppArmor refuses unprivileged user namespaces to unconfined programs. */
export const USERNS_RESTRICTION = '/proc/sys/kernel/apparmor_restrict_unprivileged_userns';

export interface SandboxInput {
  platform: NodeJS.Platform;
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  /** Reads a small /proc file; undefined when it cannot be read. */
  readProc?: (path: string) => string | undefined;
}

function readSmall(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').slice(0, 64).trim();
  } catch {
    return undefined;
  }
}

/** The problem to show when the renderer runs without Chromium's sandbox on Linux, else undefined. */
export function sandboxProblem({ platform, argv, env, readProc = readSmall }: SandboxInput): ShellProblem | undefined {
  if (platform !== 'linux' || !argv.includes('--no-sandbox')) return undefined;
  const appImage = Boolean(env.APPIMAGE);
  const restricted = readProc(USERNS_RESTRICTION) === '1';
  const cause = restricted
    ? 'this system\'s AppArmor refuses the user namespaces the sandbox needs to programs it has no profile for (Ubuntu 23.10 and later)'
    : appImage ? 'the user namespaces the sandbox needs were not available to it here' : 'it was started with --no-sandbox';
  const remedy = appImage
    ? `Install ${PRODUCT_NAME} from its .deb package instead of the AppImage: the package brings the AppArmor profile that lets the sandbox work. Or ask your IT support.`
    : `Start ${PRODUCT_NAME} without --no-sandbox (from its menu entry or the package's launcher), or ask your IT support.`;
  return {
    code: 'sandbox_off',
    headline: 'Running without the sandbox',
    summary: `${PRODUCT_NAME} is running without Chromium's sandbox${appImage ? ' (its AppImage launcher turned it off)' : ''}: ${cause}. Syncing goes on, but the status window has lost a layer of protection.`,
    remedy,
  };
}
