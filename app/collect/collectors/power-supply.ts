// The system battery on Linux, straight from sysfs: /sys/class/power_supply/*/uevent
// (KEY=value lines the kernel generates from memory). No process, no library.
// Peripheral batteries (a wireless mouse: POWER_SUPPLY_SCOPE=Device) are not the
// system's; several system batteries (BAT0, BAT1) are reported by the first.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BatteryReading {
  hasBattery: boolean;
  percent: number;
  isCharging: boolean;
}

export const NO_BATTERY: BatteryReading = Object.freeze({ hasBattery: false, percent: 0, isCharging: false });

/** One power supply's uevent as a map of POWER_SUPPLY_* fields (prefix dropped). */
export function parseUevent(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0 || !line.startsWith('POWER_SUPPLY_')) continue;
    fields.set(line.slice('POWER_SUPPLY_'.length, eq), line.slice(eq + 1).trim());
  }
  return fields;
}

const ratio = (now: string | undefined, full: string | undefined): number | undefined => {
  const n = Number(now);
  const f = Number(full);
  return now !== undefined && full !== undefined && Number.isFinite(n) && f > 0 ? Math.min(100, Math.max(0, (n / f) * 100)) : undefined;
};

/** The reading a uevent gives, or undefined when it is not a present system battery. */
export function batteryFromUevent(fields: ReadonlyMap<string, string>): BatteryReading | undefined {
  if (fields.get('TYPE') !== 'Battery' || fields.get('SCOPE') === 'Device' || fields.get('PRESENT') === '0') return undefined;
  const capacity = fields.get('CAPACITY');
  const percent = capacity !== undefined && capacity !== '' && Number.isFinite(Number(capacity))
    ? Math.min(100, Math.max(0, Number(capacity)))
    : ratio(fields.get('ENERGY_NOW'), fields.get('ENERGY_FULL')) ?? ratio(fields.get('CHARGE_NOW'), fields.get('CHARGE_FULL'));
  if (percent === undefined) return undefined;
  return { hasBattery: true, percent, isCharging: fields.get('STATUS')?.toLowerCase() === 'charging' };
}

/** Reads `<sysRoot>/class/power_supply`; no such directory (a desktop, a container) means no battery. */
export function readLinuxBattery(sysRoot = '/sys'): BatteryReading {
  const dir = join(sysRoot, 'class', 'power_supply');
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return NO_BATTERY;
    throw error;
  }
  for (const name of names) {
    let text: string;
    try {
      text = readFileSync(join(dir, name, 'uevent'), 'latin1');
    } catch {
      continue; // a supply without a readable uevent tells nothing
    }
    const reading = batteryFromUevent(parseUevent(text));
    if (reading) return reading;
  }
  return NO_BATTERY;
}
