// Which hardware id this agent reports under, and why.
//   configured: an explicit id from configuration (the id another licensed program uses);
//   file:       read from a file the licensed program writes (hardwareIdFile);
//   os:         SHA-256 of the OS machine id — the vendor's SDK's id on Linux only; on
//               Windows and macOS the agent's own (the SDK fingerprints those its own way);
//   generated:  a random id persisted in <stateDir>/identity.json (containers, blank images).
// The first run's hostname is remembered with the id; a different hostname under
// the same id later suggests a cloned disk image and yields a warning.
import { randomBytes } from 'node:crypto';
import { hostname as osHostname } from 'node:os';
import { identityFilePath, readIdentityFile, writeIdentityFile } from './identity-file.ts';
import type { IdentityRecord } from './identity-file.ts';
import { readHardwareIdFile } from './hardware-id-file.ts';
import { hardwareIdFromMachineId, isUsableMachineId, osMachineId } from './machine-id.ts';
import { say, translator, type Message } from '../../locales/i18n.ts';

const ENGLISH = translator('en');

export type IdentitySource = 'configured' | 'file' | 'os' | 'generated';

export interface ResolveIdentityOptions {
  /** An explicit hardware id from configuration; wins over everything. */
  override?: string;
  /** A file the licensed program writes its hardware id to (hardwareIdFile); wins over the OS id. */
  file?: string;
  /** Where identity.json lives (created if missing). */
  stateDir: string;
  /** Defaults to os.hostname(). */
  hostname?: () => string;
  /** The raw (unhashed) OS machine id, undefined when there is none. Defaults to the OS's, read once per process. */
  machineId?: () => Promise<string | undefined>;
  /** Defaults to Date.now. */
  now?: () => number;
}

export interface Identity {
  hardwareId: string;
  source: IdentitySource;
  warnings: string[];
}

export class IdentityConfigError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'IdentityConfigError';
    this.field = field;
  }
}

const MAX_OVERRIDE_LENGTH = 256;

/** Trims and checks a configured hardware id; throws IdentityConfigError naming the field. */
export function validateHardwareIdOverride(value: string, field = 'hardwareId'): string {
  const id = value.trim();
  if (id === '') throw new IdentityConfigError(field, 'must not be empty');
  if (id.length > MAX_OVERRIDE_LENGTH) throw new IdentityConfigError(field, `must be at most ${MAX_OVERRIDE_LENGTH} characters (got ${id.length})`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(id)) throw new IdentityConfigError(field, 'must not contain control characters');
  return id;
}

/**
 * Where the id came from, in words for the status window and `device-agent status`: and
 * whether it is the id LicenseSpring's SDK computes on this OS (only on Linux, from the
 * machine id) or the agent's own, which a licensed program's device will not match.
 */
export function hardwareIdSourceMessage(source: IdentitySource, platform: NodeJS.Platform, file?: string): Message {
  switch (source) {
    case 'configured': return { key: 'hwidSource.configured' };
    case 'file': return file === undefined ? { key: 'hwidSource.fileUnnamed' } : { key: 'hwidSource.file', params: { file } };
    case 'os':
      if (platform === 'linux') return { key: 'hwidSource.linux' };
      if (platform === 'win32') return { key: 'hwidSource.windows' };
      if (platform === 'darwin') return { key: 'hwidSource.mac' };
      return { key: 'hwidSource.otherOs' };
    case 'generated': return { key: 'hwidSource.generated' };
  }
}

/** The same in English (logs, `device-agent hwid`). */
export function describeHardwareIdSource(source: IdentitySource, platform: NodeJS.Platform, file?: string): string {
  return say(ENGLISH, hardwareIdSourceMessage(source, platform, file));
}

export function clonedImageWarning(previousHostname: string, currentHostname: string): string {
  return `possible cloned image: the hostname changed from ${previousHostname} to ${currentHostname} under the same hardware id`;
}

export async function resolveIdentity(options: ResolveIdentityOptions): Promise<Identity> {
  const now = options.now ?? Date.now;
  const warnings: string[] = [];
  const read = await readIdentityFile(options.stateDir, now);
  warnings.push(...read.warnings);
  const record = read.record;

  let hardwareId: string;
  let source: IdentitySource;
  let generatedId = record?.generatedId;
  if (options.override !== undefined) {
    hardwareId = validateHardwareIdOverride(options.override);
    source = 'configured';
  } else if (options.file !== undefined) {
    hardwareId = await readHardwareIdFile(options.file);
    source = 'file';
  } else {
    let raw: string | undefined;
    try {
      raw = await (options.machineId ?? osMachineId)();
    } catch (error) {
      warnings.push(`could not read the OS machine id (${(error as Error).message}); using a generated hardware id`);
    }
    if (isUsableMachineId(raw)) {
      hardwareId = hardwareIdFromMachineId(raw);
      source = 'os';
    } else {
      generatedId ??= randomBytes(32).toString('hex');
      hardwareId = generatedId;
      source = 'generated';
    }
  }

  const hostname = (options.hostname ?? osHostname)();
  let next: IdentityRecord | undefined;
  if (record && record.hardwareId === hardwareId) {
    if (record.hostname !== hostname) warnings.push(clonedImageWarning(record.hostname, hostname));
    // The first run's hostname stays: the warning holds while the mismatch does.
    if (record.generatedId !== generatedId) next = { ...record, ...(generatedId ? { generatedId } : {}) };
  } else {
    next = { version: 1, hardwareId, hostname, firstSeenAt: now(), ...(generatedId ? { generatedId } : {}) };
  }

  if (next) {
    try {
      await writeIdentityFile(options.stateDir, next);
    } catch (error) {
      const path = identityFilePath(options.stateDir);
      warnings.push(source === 'generated'
        ? `could not save the generated hardware id to ${path} (${(error as Error).message}); it will change at the next start`
        : `could not save ${path} (${(error as Error).message}); a cloned image will not be detected`);
    }
  }
  return { hardwareId, source, warnings };
}
