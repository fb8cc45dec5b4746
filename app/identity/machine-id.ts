// The operating system's machine id, and the hardware id the vendor's SDK
// derives from it: the lowercase SHA-256 hex of the raw id.
//
// Linux: read /etc/machine-id (fallback /var/lib/dbus/machine-id) directly, in
// the SDK's order, without spawning a shell. Elsewhere: node-machine-id (one
// short-lived process: the Windows registry / macOS IOPlatformUUID), once per
// process start; imported only there (on Linux it would be memory spent on nothing).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

export const LINUX_MACHINE_ID_PATHS = ['/etc/machine-id', '/var/lib/dbus/machine-id'] as const;

/** True when a raw OS id identifies a machine: not empty, not a placeholder (all zeros / all F, systemd's "uninitialized"). */
export function isUsableMachineId(raw: string | undefined): raw is string {
  if (raw === undefined) return false;
  const id = raw.trim();
  if (id === '' || id.toLowerCase() === 'uninitialized') return false;
  const digits = id.replace(/[-{}\s]/g, '');
  return !/^0+$/.test(digits) && !/^f+$/i.test(digits);
}

/** The hardware id for a raw OS machine id: lowercase SHA-256 hex of the trimmed id. */
export function hardwareIdFromMachineId(raw: string): string {
  return createHash('sha256').update(raw.trim()).digest('hex');
}

/** The first usable id among the files, trimmed; undefined when none exists or all are placeholders. */
export async function readLinuxMachineId(paths: readonly string[] = LINUX_MACHINE_ID_PATHS): Promise<string | undefined> {
  for (const path of paths) {
    let content: string;
    try {
      content = await readFile(path, 'utf8');
    } catch {
      continue;
    }
    if (isUsableMachineId(content)) return content.trim();
  }
  return undefined;
}

/**
 * The raw machine id from node-machine-id (already lowercased and stripped of
 * whitespace by the package, so its SHA-256 equals the package's hashed id).
 * On Linux the package falls back to the hostname when no id file exists;
 * that is why Linux reads the files itself.
 */
async function readPackageMachineId(): Promise<string | undefined> {
  const { default: machineIdPackage } = await import('node-machine-id');
  const raw = await machineIdPackage.machineId(true);
  return isUsableMachineId(raw) ? raw : undefined;
}

let cached: Promise<string | undefined> | undefined;

/** The raw OS machine id, read once per process (later calls share the first read). */
export function osMachineId(): Promise<string | undefined> {
  cached ??= process.platform === 'linux' ? readLinuxMachineId() : readPackageMachineId();
  const pending = cached;
  // A failed read is not cached: the next start of the agent may succeed.
  pending.catch(() => { if (cached === pending) cached = undefined; });
  return pending;
}
