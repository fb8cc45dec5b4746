// "Export diagnostics": one text file with the status, the effective settings
// (secrets only as set/unset) and the recent log, with every secret redacted.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SettingsView, StatusView } from '../preload/contract.ts';
import { redactSecrets } from '../app/log/redact.ts';
import { CLI_NAME, PRODUCT_NAME } from '../app/branding/index.ts';

export interface DiagnosticsInput {
  status: StatusView;
  settings: SettingsView;
  appVersion: string;
  platform: string;
  /** Log files to include (their last part). */
  logFiles: readonly string[];
  /** Every secret value currently known, so that none leaks verbatim. */
  secrets: readonly (string | undefined)[];
  now?: number;
}

const LOG_TAIL_BYTES = 256 * 1024;

async function tail(file: string): Promise<string> {
  try {
    const text = await readFile(file, 'utf8');
    return text.length > LOG_TAIL_BYTES ? text.slice(-LOG_TAIL_BYTES) : text;
  } catch (error) {
    return `(could not read: ${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
}

export async function diagnosticsText(input: DiagnosticsInput): Promise<string> {
  const at = new Date(input.now ?? Date.now()).toISOString();
  const parts = [
    `${PRODUCT_NAME} diagnostics — ${at}`,
    `version ${input.appVersion} on ${input.platform}`,
    '',
    '== status ==',
    JSON.stringify(input.status, null, 2),
    '',
    '== settings (secrets shown only as set/unset) ==',
    JSON.stringify(input.settings, null, 2),
  ];
  for (const file of input.logFiles) parts.push('', `== log ${file} ==`, await tail(file));
  return redactSecrets(parts.join('\n'), input.secrets);
}

/** Writes the diagnostics file into dir; returns its path. */
export async function exportDiagnostics(dir: string, input: DiagnosticsInput): Promise<string> {
  await mkdir(dir, { recursive: true });
  const stamp = new Date(input.now ?? Date.now()).toISOString().replace(/[:.]/g, '-');
  const path = join(dir, `${CLI_NAME}-diagnostics-${stamp}.txt`);
  await writeFile(path, await diagnosticsText(input), { mode: 0o600 });
  return path;
}
