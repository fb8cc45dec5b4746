// Chromium's sandbox on Linux needs unprivileged user namespaces (or a setuid
// chrome-sandbox). Ubuntu >= 23.10 lets AppArmor refuse them to programs without a
// profile allowing them: the .deb installs such a profile (electron-builder's
// template); an AppImage has none. electron-builder's AppImage launcher (AppRun)
// then starts the app with --no-sandbox rather than let it crash — silently. The
// app never runs without its sandbox silently: it says so, names the cause when
// it can read it, and what to do.
import { readFileSync } from 'node:fs';
import { shellProblem, type ShellProblem } from './shell-problems.ts';
import type { Message } from '../locales/i18n.ts';
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
  const cause: Message = { key: restricted ? 'problem.sandboxOff.causeAppArmor' : appImage ? 'problem.sandboxOff.causeAppImage' : 'problem.sandboxOff.causeFlag' };
  const product = PRODUCT_NAME;
  return shellProblem('sandbox_off', {
    headline: { key: 'problem.sandboxOff.headline' },
    summary: { key: appImage ? 'problem.sandboxOff.summaryAppImage' : 'problem.sandboxOff.summary', params: { product, cause } },
    remedy: { key: appImage ? 'problem.sandboxOff.remedyAppImage' : 'problem.sandboxOff.remedy', params: { product } },
  });
}
