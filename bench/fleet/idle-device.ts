// An idle workstation as the sync engine's collector port. Its raw metrics are
// smooth noise fixed by (seed, agent, time) — so the device reads the same
// whether or not an outage moved its agent's cycles — and go through the real
// quantiser (with its hysteresis) at the catalogue's quanta, as the real
// collector does. Static facts come from a small spread of machine profiles.
import { catalogueEntry } from '../../app/collect/catalogue.ts';
import { bootTimeText } from '../../app/collect/collectors/boot-time.ts';
import { createQuantiser } from '../../app/collect/quantise.ts';
import type { CollectionResult, CollectorPort } from '../../app/sync/ports.ts';
import type { VariableMap } from '../../app/variables.ts';
import { hashUnit } from './random.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Signal channels: each has its own noise. */
const CPU_SLOW = 1;
const CPU_FAST = 2;
const RAM_SLOW = 3;
const RAM_FAST = 4;
const DISK_TEMP = 5;
const PROFILE = 6;

/**
 * Value noise in [-1, 1]: random lattice values every `periodMs`, smoothly interpolated.
 * Each (agent, channel) has its own lattice offset, so devices do not change in step.
 */
export function smoothNoise(seed: number, agent: number, channel: number, t: number, periodMs: number): number {
  const x = t / periodMs + hashUnit(seed, agent, channel, -1);
  const k = Math.floor(x);
  const f = x - k;
  const a = 2 * hashUnit(seed, agent, channel, k) - 1;
  const b = 2 * hashUnit(seed, agent, channel, k + 1) - 1;
  return a + (b - a) * f * f * (3 - 2 * f);
}

function pick<T>(items: readonly T[], unit: number): T {
  return items[Math.min(items.length - 1, Math.floor(unit * items.length))]!;
}

const PLATFORMS = [
  { os_platform: 'win32', os_distro: 'Microsoft Windows 11 Pro', os_release: '10.0.22631', kernel: '10.0.22631' },
  { os_platform: 'win32', os_distro: 'Microsoft Windows 11 Enterprise', os_release: '10.0.26100', kernel: '10.0.26100' },
  { os_platform: 'win32', os_distro: 'Microsoft Windows 10 Pro', os_release: '10.0.19045', kernel: '10.0.19045' },
  { os_platform: 'darwin', os_distro: 'macOS', os_release: '14.5', kernel: '23.5.0' },
  { os_platform: 'linux', os_distro: 'Ubuntu', os_release: '24.04', kernel: '6.8.0-45-generic' },
] as const;

export interface IdleDeviceModel {
  /** Raw (unquantised) readings at virtual time `t`. */
  raw(t: number): { cpu_load_pct: number; ram_used_gb: number; ram_used_pct: number; disk_free_gb: number; disk_used_pct: number };
  staticFacts: VariableMap;
}

/** The machine agent `agent` of fleet `seed` runs on; `start` is when the simulation begins. */
export function idleDeviceModel(seed: number, agent: number, start: number): IdleDeviceModel {
  const u = (i: number) => hashUnit(seed, agent, PROFILE, i);
  const platform = pick(PLATFORMS, u(0));
  const cores = pick([4, 8, 8, 12, 16], u(1));
  const ramTotalGb = pick([8, 16, 16, 32], u(2));
  const diskTotalGb = pick([256, 512, 512, 1000], u(3));
  const bootAt = start - u(4) * 14 * DAY;
  const cpuBase = 0.8 + 3 * u(5); // % of all cores, idle background
  const ramBaseGb = ramTotalGb * (0.3 + 0.2 * u(6));
  const diskFreeGb = diskTotalGb * (0.3 + 0.4 * u(7));
  const diskGrowthGbPerDay = 0.1 + 0.3 * u(8); // logs, caches, updates

  const staticFacts: VariableMap = {
    ...platform,
    os_arch: platform.os_platform === 'darwin' ? 'arm64' : 'x64',
    cpu_model: platform.os_platform === 'darwin' ? 'Apple M2' : pick(['Intel(R) Core(TM) i5-1245U', 'Intel(R) Core(TM) i7-13700', 'AMD Ryzen 7 PRO 7840U'], u(9)),
    cpu_cores: cores,
    ram_total_gb: ramTotalGb,
    disk_total_gb: diskTotalGb,
    is_vm: u(10) < 0.1,
    timezone: pick(['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Europe/London'], u(11)),
    locale: pick(['en-US', 'de-DE', 'ja-JP', 'en-GB'], u(11)),
    agent_version: '0.1.0',
    boot_time: bootTimeText(bootAt),
  };

  return {
    staticFacts,
    raw(t) {
      const cpu = Math.max(0, cpuBase + 0.8 * smoothNoise(seed, agent, CPU_SLOW, t, 30 * MIN) + 0.3 * smoothNoise(seed, agent, CPU_FAST, t, 10 * MIN));
      const ramUsed = ramBaseGb + 0.15 * smoothNoise(seed, agent, RAM_SLOW, t, 3 * HOUR) + 0.04 * smoothNoise(seed, agent, RAM_FAST, t, 15 * MIN);
      const diskFree = diskFreeGb - diskGrowthGbPerDay * ((t - start) / DAY) + 0.05 * smoothNoise(seed, agent, DISK_TEMP, t, HOUR);
      return {
        cpu_load_pct: cpu,
        ram_used_gb: ramUsed,
        ram_used_pct: (ramUsed / ramTotalGb) * 100,
        disk_free_gb: diskFree,
        disk_used_pct: (1 - diskFree / diskTotalGb) * 100,
      };
    },
  };
}

function quantumOf(name: string): number {
  const quantum = catalogueEntry(name)?.quantum;
  if (quantum === undefined) throw new Error(`the catalogue has no quantum for ${name}`);
  return quantum;
}

/** What the agent reads on the device: the static facts, and the quantised metrics at time `t`. */
export interface IdleDevice {
  staticValues(): VariableMap;
  dynamicValues(t: number): VariableMap;
}

/** The device as the real collector would report it: readings through the real quantiser (hysteresis included). */
export function createIdleDevice(model: IdleDeviceModel): IdleDevice {
  const quantiser = createQuantiser();
  const names = Object.keys(model.raw(0)) as Array<keyof ReturnType<IdleDeviceModel['raw']>>;
  const quanta = names.map(quantumOf);
  return {
    staticValues: () => ({ ...model.staticFacts }),
    dynamicValues(t) {
      const raw = model.raw(t);
      const values: VariableMap = {};
      for (let i = 0; i < names.length; i++) values[names[i]!] = quantiser.apply(names[i]!, raw[names[i]!], quanta[i]!);
      return values;
    },
  };
}

/** The device as the sync engine's collector port, read at the virtual time `now()`. */
export function idleDeviceCollector(device: IdleDevice, now: () => number): CollectorPort {
  const result = (values: VariableMap): Promise<CollectionResult> => Promise.resolve({ values, failures: [], durationMs: 0 });
  return {
    collectStatic: () => result(device.staticValues()),
    collectDynamic: () => result(device.dynamicValues(now())),
  };
}
