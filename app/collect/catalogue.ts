// The documented catalogue: one entry per built-in device variable. It drives
// collection (which collectors run), selection (defaults, PII), quantisation,
// and the table in docs/variables.md.
//
// Units: GB are decimal gigabytes (10^9 bytes), as disk vendors and OS
// settings pages count them; percentages are 0-100.

export type Refresh = 'static' | 'dynamic';

export interface CatalogueEntry {
  /** The variable name sent to the License API (within VARIABLE_LIMITS.namePattern). */
  name: string;
  /** Unit of the value: '' for text and booleans. */
  unit: string;
  description: string;
  /** static: collected at start and every 24 h; dynamic: every cycle. */
  refresh: Refresh;
  /** Personal data: collected only when the matching PII switch is on. */
  pii: boolean;
  /** Numbers are rounded to a multiple of this (so noise does not change them every cycle). */
  quantum?: number;
  /**
   * A static fact that moves with a reboot, a network or the battery rather than with the
   * machine: a change seen at start is not news that hurries the first sync (app/sync/schedule.ts).
   */
  restartNoise?: true;
}

export const CATALOGUE: readonly CatalogueEntry[] = [
  // Operating system and hardware (static)
  { name: 'os_platform', unit: '', refresh: 'static', pii: false, description: 'Operating system family as Node reports it: linux, darwin or win32.' },
  { name: 'os_distro', unit: '', refresh: 'static', pii: false, description: 'Operating system name, e.g. "Debian GNU/Linux", "macOS", "Microsoft Windows 11 Pro".' },
  { name: 'os_release', unit: '', refresh: 'static', pii: false, description: 'Operating system release, e.g. "12", "14.5", "10.0.22631".' },
  { name: 'os_arch', unit: '', refresh: 'static', pii: false, description: 'CPU architecture: x64, arm64, ...' },
  { name: 'kernel', unit: '', refresh: 'static', pii: false, description: 'Kernel release (os.release()).' },
  { name: 'cpu_model', unit: '', refresh: 'static', pii: false, description: 'CPU model name as the OS reports it.' },
  { name: 'cpu_cores', unit: 'count', refresh: 'static', pii: false, description: 'Logical CPU cores available to programs.' },
  { name: 'ram_total_gb', unit: 'GB', refresh: 'static', pii: false, quantum: 0.1, description: 'Installed memory visible to the OS, decimal GB.' },
  { name: 'disk_total_gb', unit: 'GB', refresh: 'static', pii: false, quantum: 0.1, description: 'Size of the system volume (/ or the Windows system drive), decimal GB.' },
  { name: 'boot_time', unit: '', refresh: 'static', restartNoise: true, pii: false, description: 'When the OS last booted, ISO-8601 UTC to the minute, e.g. "2026-11-26T08:14:00Z" (uptime = now - boot_time). A static fact: it changes only with a reboot, which restarts the agent; an uptime in hours would send a request every hour on its own.' },
  { name: 'is_vm', unit: '', refresh: 'static', pii: false, description: 'True when the machine is a virtual machine (systeminformation).' },
  { name: 'vm_type', unit: '', refresh: 'static', pii: false, description: 'The hypervisor when is_vm, as systeminformation names it (e.g. "KVM", "VMware"); absent on physical machines or when unknown. Also sent as vm_info when the agent activates the license.' },
  { name: 'timezone', unit: '', refresh: 'static', pii: false, description: 'IANA time zone of the agent process, e.g. "Europe/Berlin".' },
  { name: 'locale', unit: '', refresh: 'static', pii: false, description: 'Default locale of the agent process, e.g. "en-US".' },
  { name: 'agent_version', unit: '', refresh: 'static', pii: false, description: 'Version of this agent.' },
  { name: 'app_version', unit: '', refresh: 'static', pii: false, description: 'Version of the licensed application: the appVersion setting (the desktop app sends its own version when none is set); absent otherwise.' },
  // Personal data (static, off unless enabled)
  { name: 'hostname', unit: '', refresh: 'static', pii: true, description: 'Computer name (PII: needs `hostname` in pii).' },
  { name: 'username', unit: '', refresh: 'static', pii: true, description: 'Account the agent runs as (PII: needs `username` in pii).' },
  { name: 'ip_address', unit: '', refresh: 'static', restartNoise: true, pii: true, description: 'IPv4 address of the default-route interface (PII: needs `ip` in pii).' },
  { name: 'mac_address', unit: '', refresh: 'static', restartNoise: true, pii: true, description: 'MAC address of the default-route interface (PII: needs `mac` in pii).' },
  // Metrics (dynamic)
  { name: 'cpu_load_pct', unit: '%', refresh: 'dynamic', pii: false, quantum: 5, description: 'Average CPU load across all cores since the previous cycle (first cycle: 1-minute load average / cores), in steps of 5 %: it moves when the load moves by 3.75 points or more. An idle machine\'s load wanders by a point or two between cycles; in whole percents it changed in 79 % of cycles, each change a request (docs/performance.md).' },
  { name: 'ram_used_gb', unit: 'GB', refresh: 'dynamic', pii: false, quantum: 0.1, description: 'Memory in use: total minus available (Linux MemAvailable), decimal GB.' },
  { name: 'ram_used_pct', unit: '%', refresh: 'dynamic', pii: false, quantum: 1, description: 'Memory in use as a percentage of the total.' },
  { name: 'disk_free_gb', unit: 'GB', refresh: 'dynamic', pii: false, quantum: 0.1, description: 'Space available to programs on the system volume, decimal GB.' },
  { name: 'disk_used_pct', unit: '%', refresh: 'dynamic', pii: false, quantum: 1, description: 'Share of the system volume in use.' },
  { name: 'battery_pct', unit: '%', refresh: 'dynamic', restartNoise: true, pii: false, quantum: 1, description: 'Battery charge; absent without a battery. Linux: every cycle; Windows/macOS: with the static facts (reading it spawns a process there).' },
  { name: 'battery_charging', unit: '', refresh: 'dynamic', restartNoise: true, pii: false, description: 'True while the battery charges; absent without a battery. Refreshed like battery_pct.' },
];

const BY_NAME: ReadonlyMap<string, CatalogueEntry> = new Map(CATALOGUE.map((entry) => [entry.name, entry]));

export function catalogueEntry(name: string): CatalogueEntry | undefined {
  return BY_NAME.get(name);
}

/** The static facts whose change at start says nothing new about the machine (boot time, network address, battery). */
export const RESTART_NOISE: ReadonlySet<string> = new Set(CATALOGUE.filter((entry) => entry.restartNoise === true).map((entry) => entry.name));

/** The PII switches and the variable each one unlocks. */
export const PII_VARIABLES = {
  hostname: 'hostname',
  username: 'username',
  ip: 'ip_address',
  mac: 'mac_address',
} as const;

export type PiiSwitches = Record<keyof typeof PII_VARIABLES, boolean>;
