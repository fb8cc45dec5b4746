// The dynamic collectors against real files: a fake /proc in a temp directory
// whose counters the test advances, and statfs on real directories.
import { statfsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, uptime } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBatteryCollector } from './battery.ts';
import { bootTimeText, createBootTimeCollector } from './boot-time.ts';
import { createCpuLoadCollector, loadFromTimes } from './cpu-load.ts';
import { createDiskSizeCollector, createDiskUsageCollector, systemVolumePath } from './disk.ts';
import { createMemoryCollector } from './memory.ts';
import { createNetworkAddressCollector, pickNetworkAddress } from './personal-data.ts';

let procRoot: string;
beforeEach(async () => { procRoot = await mkdtemp(join(tmpdir(), 'fake-proc-')); });
afterEach(async () => { await rm(procRoot, { recursive: true, force: true }); });

const writeStat = (busy: number, idle: number) =>
  writeFile(join(procRoot, 'stat'), `cpu  ${busy} 0 0 ${idle} 0 0 0 0 0 0\ncpu0 ${busy} 0 0 ${idle} 0 0 0 0 0 0\n`);

describe('cpu-load', () => {
  it('diffs /proc/stat against the previous sample; the first cycle falls back to the load average', async () => {
    let now = 0;
    const collector = createCpuLoadCollector({ platform: 'linux', procRoot, now: () => now, fallback: () => 42 });
    await writeStat(1000, 9000);
    expect((await collector.collect()).cpu_load_pct).toBe(42);
    now += 60_000;
    await writeStat(1000 + 250, 9000 + 750); // 25 % busy over the interval
    expect((await collector.collect()).cpu_load_pct).toBe(25);
    now += 60_000;
    await writeStat(1250 + 900, 9750 + 100); // 90 %
    expect((await collector.collect()).cpu_load_pct).toBe(90);
  });

  it('does not diff samples taken less than the minimum interval apart', async () => {
    let now = 0;
    const collector = createCpuLoadCollector({ platform: 'linux', procRoot, now: () => now, minIntervalMs: 1000, fallback: () => 7 });
    await writeStat(0, 100);
    await collector.collect();
    now += 10;
    await writeStat(100, 100); // would be 100 %
    expect((await collector.collect()).cpu_load_pct).toBe(7);
    now += 1000;
    await writeStat(150, 150); // against the first sample: 150 busy of 200
    expect((await collector.collect()).cpu_load_pct).toBe(75);
  });

  it('fails clearly when /proc/stat is missing', async () => {
    await expect(createCpuLoadCollector({ platform: 'linux', procRoot }).collect()).rejects.toThrow(/ENOENT/);
  });

  it('rejects counters that went backwards (a reset) instead of reporting nonsense', () => {
    expect(loadFromTimes({ idle: 100, total: 200 }, { idle: 50, total: 250 })).toBeUndefined();
    expect(loadFromTimes({ idle: 100, total: 200 }, { idle: 100, total: 200 })).toBeUndefined();
  });

  it('falls back to the 1-minute load average per core by default, and to nothing on Windows', async () => {
    await writeStat(0, 100);
    const load = (await createCpuLoadCollector({ platform: 'linux', procRoot }).collect()).cpu_load_pct;
    expect(load).toBeGreaterThanOrEqual(0);
    expect(load).toBeLessThanOrEqual(100);
    expect((await createCpuLoadCollector({ platform: 'win32' }).collect()).cpu_load_pct).toBeUndefined();
  });

  it('works from os.cpus() times on other platforms', async () => {
    let now = 0;
    const collector = createCpuLoadCollector({ platform: 'darwin', now: () => now });
    await collector.collect();
    now += 5000;
    await new Promise((resolve) => setTimeout(resolve, 20));
    const { cpu_load_pct: load } = await collector.collect();
    expect(load).toBeGreaterThanOrEqual(0);
    expect(load).toBeLessThanOrEqual(100);
  });
});

describe('memory', () => {
  it('reports total minus MemAvailable from /proc/meminfo', async () => {
    await writeFile(join(procRoot, 'meminfo'), 'MemTotal:       16000000 kB\nMemFree:  100 kB\nMemAvailable:    4000000 kB\n');
    const values = await createMemoryCollector({ platform: 'linux', procRoot }).collect();
    expect(values.ram_used_pct).toBe(75);
    expect(values.ram_used_gb).toBeCloseTo((12_000_000 * 1024) / 1e9, 9);
  });

  it('uses os.totalmem/freemem elsewhere', async () => {
    const values = await createMemoryCollector({ platform: 'win32' }).collect();
    expect(values.ram_used_pct).toBeGreaterThan(0);
    expect(values.ram_used_pct).toBeLessThan(100);
  });
});

describe('disk', () => {
  it('reads size, free space and use of a volume with statfs, like df', async () => {
    const s = statfsSync(procRoot);
    expect(await createDiskSizeCollector(procRoot).collect()).toEqual({ disk_total_gb: (s.blocks * s.bsize) / 1e9 });
    const usage = await createDiskUsageCollector(procRoot).collect();
    expect(usage.disk_free_gb).toBeCloseTo((s.bavail * s.bsize) / 1e9, 1);
    expect(usage.disk_used_pct).toBeGreaterThanOrEqual(0);
    expect(usage.disk_used_pct).toBeLessThanOrEqual(100);
  });

  it('fails clearly for a missing volume', async () => {
    await expect(createDiskUsageCollector(join(procRoot, 'nope')).collect()).rejects.toThrow(/ENOENT/);
  });

  it('uses / and the Windows system drive', () => {
    expect(systemVolumePath('linux')).toBe('/');
    expect(systemVolumePath('win32', { SystemDrive: 'D:' })).toBe('D:\\');
    expect(systemVolumePath('win32', {})).toBe('C:\\');
  });
});

describe('boot time (static)', () => {
  it('is btime of /proc/stat on Linux, ISO-8601 UTC floored to the minute', async () => {
    await writeFile(join(procRoot, 'stat'), 'cpu  1 0 0 9 0 0 0 0 0 0\nintr 5 0\nctxt 10\nbtime 1795680859\nprocesses 7\n');
    const collector = createBootTimeCollector({ platform: 'linux', procRoot });
    expect(collector.refresh).toBe('static');
    expect(await collector.collect()).toEqual({ boot_time: '2026-11-26T08:14:00Z' }); // 08:14:19 UTC
  });

  it('is now - os.uptime() elsewhere, and does not move with the seconds of either', async () => {
    let now = Date.UTC(2026, 10, 26, 12, 0, 30);
    const collector = createBootTimeCollector({ platform: 'win32', now: () => now, uptimeSeconds: () => 3 * 3600 });
    expect(await collector.collect()).toEqual({ boot_time: '2026-11-26T09:00:00Z' });
    now += 20_000; // 20 s later, 20 s more uptime: same boot
    expect(await createBootTimeCollector({ platform: 'darwin', now: () => now, uptimeSeconds: () => 3 * 3600 + 20 }).collect()).toEqual({ boot_time: '2026-11-26T09:00:00Z' });
    expect(bootTimeText(Date.UTC(2026, 0, 2, 3, 4, 59, 999))).toBe('2026-01-02T03:04:00Z');
  });

  it('fails clearly without a btime line, and agrees with os.uptime() on this machine', async () => {
    await writeFile(join(procRoot, 'stat'), 'cpu  1 0 0 9 0 0 0 0 0 0\n');
    await expect(createBootTimeCollector({ platform: 'linux', procRoot }).collect()).rejects.toThrow('/proc/stat has no "btime" line');
    if (process.platform !== 'linux') return;
    const { boot_time: bootTime } = await createBootTimeCollector().collect();
    const fromUptime = Date.now() - uptime() * 1000;
    expect(Math.abs(Date.parse(String(bootTime)) - fromUptime)).toBeLessThan(2 * 60_000);
  });
});

describe('battery', () => {
  it('reports nothing without a battery, percent and charging with one', async () => {
    expect(await createBatteryCollector({ read: async () => ({ hasBattery: false, percent: 0, isCharging: false }) }).collect()).toEqual({});
    expect(await createBatteryCollector({ read: async () => ({ hasBattery: true, percent: 87, isCharging: true }) }).collect()).toEqual({ battery_pct: 87, battery_charging: true });
  });
});

describe('network address (PII)', () => {
  const iface = (address: string, mac: string, internal = false) => ({ address, mac, internal, family: 'IPv4' as const, netmask: '255.255.255.0', cidr: null });
  const interfaces = {
    lo: [iface('127.0.0.1', '00:00:00:00:00:00', true)],
    docker0: [iface('172.17.0.1', '02:42:ac:11:00:01')],
    eth0: [iface('192.0.2.2', '02:fc:00:00:00:01')],
    tun0: [iface('169.254.3.4', '02:00:00:00:00:09')],
  };

  it('prefers the default-route interface, else the first external IPv4 one', () => {
    expect(pickNetworkAddress(interfaces, 'eth0')).toEqual({ ip: '192.0.2.2', mac: '02:fc:00:00:00:01' });
    expect(pickNetworkAddress(interfaces)).toEqual({ ip: '172.17.0.1', mac: '02:42:ac:11:00:01' });
    expect(pickNetworkAddress(interfaces, 'tun0')).toEqual({ ip: '172.17.0.1', mac: '02:42:ac:11:00:01' });
    expect(pickNetworkAddress({ lo: interfaces.lo })).toEqual({});
    expect(pickNetworkAddress({ ppp0: [iface('10.0.0.5', '00:00:00:00:00:00')] })).toEqual({ ip: '10.0.0.5' });
  });

  it('reads the default route from /proc/net/route', async () => {
    await mkdir(join(procRoot, 'net'));
    await writeFile(join(procRoot, 'net', 'route'), 'Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\neth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\n');
    const collector = createNetworkAddressCollector({ platform: 'linux', procRoot, interfaces: () => interfaces });
    expect(await collector.collect()).toEqual({ ip_address: '192.0.2.2', mac_address: '02:fc:00:00:00:01' });
  });
});
