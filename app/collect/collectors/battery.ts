// battery_pct / battery_charging via systeminformation. On Linux it reads
// /sys/class/power_supply (no process); on macOS and Windows it spawns
// ioreg / PowerShell, so there it runs with the static facts only.
import si from 'systeminformation';
import type { Collector } from './types.ts';

export interface BatteryReading {
  hasBattery: boolean;
  percent: number;
  isCharging: boolean;
}

export function createBatteryCollector(options: { platform?: NodeJS.Platform; read?: () => Promise<BatteryReading> } = {}): Collector {
  const platform = options.platform ?? process.platform;
  const read = options.read ?? (() => si.battery());
  return {
    name: 'battery',
    refresh: platform === 'linux' ? 'dynamic' : 'static',
    produces: ['battery_pct', 'battery_charging'],
    ...(platform === 'win32' ? { minTimeoutMs: 15_000 } : {}),
    async collect() {
      const battery = await read();
      if (!battery.hasBattery) return {};
      return { battery_pct: battery.percent, battery_charging: battery.isCharging };
    },
  };
}
