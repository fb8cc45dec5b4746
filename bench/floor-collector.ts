// The physical floor of a dynamic (and a static) collection on Linux: the same
// facts read straight from the kernel with the cheapest calls Node has — os.*,
// /proc/{stat,meminfo,loadavg,uptime} with one synchronous read each (pseudo
// files served from memory) and one statfs. No parsing beyond what yields the
// numbers, no quantisation, no validation: what any collector must at least pay.
import { readFileSync, statfsSync } from 'node:fs';
import { arch, cpus, freemem, platform, release, totalmem, uptime } from 'node:os';

export type FloorValues = Record<string, number | string>;

function field(text: string, label: string): number {
  const at = text.indexOf(label);
  if (at === -1) return Number.NaN;
  return Number.parseInt(text.slice(at + label.length), 10);
}

/** ~15 dynamic figures: CPU jiffies, load averages, memory, uptime, the system volume. */
export function collectFloorDynamic(): FloorValues {
  const stat = readFileSync('/proc/stat', 'latin1');
  const cpu = stat.slice(0, stat.indexOf('\n')).split(' ').filter(Boolean).slice(1, 9).map(Number);
  const meminfo = readFileSync('/proc/meminfo', 'latin1');
  const [load1 = 0, load5 = 0, load15 = 0] = readFileSync('/proc/loadavg', 'latin1').split(' ').map(Number);
  const [uptimeSeconds = 0] = readFileSync('/proc/uptime', 'latin1').split(' ').map(Number);
  const volume = statfsSync('/');
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
  const total = cpu.reduce((a, b) => a + b, 0);
  return {
    cpu_idle_jiffies: idle,
    cpu_total_jiffies: total,
    load1, load5, load15,
    mem_total_kb: field(meminfo, 'MemTotal:'),
    mem_available_kb: field(meminfo, 'MemAvailable:'),
    mem_free_kb: field(meminfo, 'MemFree:'),
    os_freemem: freemem(),
    os_totalmem: totalmem(),
    uptime_s: uptimeSeconds,
    os_uptime_s: uptime(),
    disk_total_bytes: volume.blocks * volume.bsize,
    disk_free_bytes: volume.bavail * volume.bsize,
    disk_used_pct: ((volume.blocks - volume.bfree) / (volume.blocks - volume.bfree + volume.bavail)) * 100,
  };
}

/** The static facts Node itself knows: platform, release, arch, CPU model and count, memory, disk, zone, locale. */
export function collectFloorStatic(): FloorValues {
  const cpuList = cpus();
  const volume = statfsSync('/');
  const format = Intl.DateTimeFormat().resolvedOptions();
  return {
    os_platform: platform(),
    kernel: release(),
    os_arch: arch(),
    cpu_model: cpuList[0]?.model ?? '',
    cpu_cores: cpuList.length,
    ram_total: totalmem(),
    disk_total: volume.blocks * volume.bsize,
    timezone: format.timeZone,
    locale: format.locale,
  };
}
