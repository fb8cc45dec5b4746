// battery_pct / battery_charging. Linux: sysfs read directly every cycle (no
// process, power-supply.ts). macOS and Windows: systeminformation in the static
// worker (it spawns ioreg / PowerShell there), so only with the static facts.
import { z } from 'zod';
import { readLinuxBattery } from './power-supply.ts';
import type { BatteryReading } from './power-supply.ts';
import { runInSiWorker } from './si-worker.ts';
import type { Collector } from './types.ts';

export type { BatteryReading } from './power-supply.ts';

const readingSchema = z.object({ hasBattery: z.boolean(), percent: z.number(), isCharging: z.boolean() });

/** systeminformation's battery() in the static helper (macOS, Windows). */
export function readBatteryInWorker(signal?: AbortSignal): Promise<BatteryReading> {
  return runInSiWorker('battery', readingSchema, 'battery', signal);
}

export interface BatteryOptions {
  platform?: NodeJS.Platform;
  /** Linux: the sysfs root (tests point it at a temp directory). */
  sysRoot?: string;
  read?: (signal?: AbortSignal) => Promise<BatteryReading>;
}

export function createBatteryCollector(options: BatteryOptions = {}): Collector {
  const platform = options.platform ?? process.platform;
  const read = options.read ?? (platform === 'linux' ? async () => readLinuxBattery(options.sysRoot) : readBatteryInWorker);
  return {
    name: 'battery',
    refresh: platform === 'linux' ? 'dynamic' : 'static',
    produces: ['battery_pct', 'battery_charging'],
    ...(platform === 'win32' ? { minTimeoutMs: 15_000 } : {}),
    async collect(signal) {
      const battery = await read(signal);
      if (!battery.hasBattery) return {};
      return { battery_pct: battery.percent, battery_charging: battery.isCharging };
    },
  };
}
