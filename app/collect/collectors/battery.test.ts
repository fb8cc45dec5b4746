// The battery without systeminformation on Linux: a fake sysfs in a temp
// directory, the real worker elsewhere, and proof that the main thread of a
// collecting process never loads systeminformation.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import si from 'systeminformation';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBatteryCollector, readBatteryInWorker } from './battery.ts';
import { batteryFromUevent, parseUevent, readLinuxBattery } from './power-supply.ts';

let sysRoot: string;
beforeEach(async () => { sysRoot = await mkdtemp(join(tmpdir(), 'fake-sys-')); });
afterEach(async () => { await rm(sysRoot, { recursive: true, force: true }); });

async function supply(name: string, lines: string[]): Promise<void> {
  const dir = join(sysRoot, 'class', 'power_supply', name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'uevent'), `${lines.map((l) => `POWER_SUPPLY_${l}`).join('\n')}\n`);
}

describe('Linux battery from /sys/class/power_supply', () => {
  it('reads capacity and status of the system battery, skipping mains and peripheral batteries', async () => {
    await supply('AC', ['NAME=AC', 'TYPE=Mains', 'ONLINE=1']);
    await supply('hidpp_battery_0', ['NAME=hidpp_battery_0', 'TYPE=Battery', 'SCOPE=Device', 'CAPACITY=15', 'STATUS=Discharging']);
    await supply('BAT0', ['NAME=BAT0', 'TYPE=Battery', 'STATUS=Charging', 'PRESENT=1', 'CAPACITY=87', 'ENERGY_NOW=1000', 'ENERGY_FULL=4000']);
    expect(readLinuxBattery(sysRoot)).toEqual({ hasBattery: true, percent: 87, isCharging: true });
    expect(await createBatteryCollector({ platform: 'linux', sysRoot }).collect()).toEqual({ battery_pct: 87, battery_charging: true });
  });

  it('falls back to energy, then charge, when the driver gives no capacity; an absent battery is none', async () => {
    expect(batteryFromUevent(parseUevent('POWER_SUPPLY_TYPE=Battery\nPOWER_SUPPLY_ENERGY_NOW=1000\nPOWER_SUPPLY_ENERGY_FULL=4000\nPOWER_SUPPLY_STATUS=Discharging'))).toEqual({ hasBattery: true, percent: 25, isCharging: false });
    expect(batteryFromUevent(parseUevent('POWER_SUPPLY_TYPE=Battery\nPOWER_SUPPLY_CHARGE_NOW=300\nPOWER_SUPPLY_CHARGE_FULL=400\nPOWER_SUPPLY_STATUS=Full'))).toEqual({ hasBattery: true, percent: 75, isCharging: false });
    expect(batteryFromUevent(parseUevent('POWER_SUPPLY_TYPE=Battery\nPOWER_SUPPLY_PRESENT=0\nPOWER_SUPPLY_CAPACITY=50'))).toBeUndefined();
    expect(batteryFromUevent(parseUevent('POWER_SUPPLY_TYPE=Battery\nPOWER_SUPPLY_STATUS=Unknown'))).toBeUndefined();
  });

  it('reports no battery on a desktop (only mains) or without the sysfs class, and no values', async () => {
    expect(readLinuxBattery(sysRoot)).toEqual({ hasBattery: false, percent: 0, isCharging: false });
    await supply('AC', ['TYPE=Mains', 'ONLINE=1']);
    expect(await createBatteryCollector({ platform: 'linux', sysRoot }).collect()).toEqual({});
  });

  it('agrees with systeminformation on this machine', async () => {
    const [ours, theirs] = [readLinuxBattery(), await si.battery()];
    expect(ours.hasBattery).toBe(theirs.hasBattery);
    if (theirs.hasBattery) expect([ours.percent, ours.isCharging]).toEqual([theirs.percent, theirs.isCharging]);
  });
});

describe('battery elsewhere: systeminformation in the static helper', () => {
  it('is static off Linux and reads through the worker (same answer as systeminformation in-process)', async () => {
    expect(createBatteryCollector({ platform: 'darwin' }).refresh).toBe('static');
    expect(createBatteryCollector({ platform: 'win32' }).refresh).toBe('static');
    expect(createBatteryCollector({ platform: 'linux' }).refresh).toBe('dynamic');
    const [worker, direct] = await Promise.all([readBatteryInWorker(), si.battery()]);
    expect(worker).toEqual({ hasBattery: direct.hasBattery, percent: direct.percent, isCharging: direct.isCharging });
    await expect(readBatteryInWorker(AbortSignal.abort())).rejects.toThrow('aborted before start');
  });
});

describe('main-thread memory', () => {
  it('a process that collects every variable never loads systeminformation on its main thread', async () => {
    const script = `
      import { registerHooks } from 'node:module';
      const seen = [];
      registerHooks({ load(url, context, next) { if (url.includes('/systeminformation/')) seen.push(url); return next(url, context); } });
      const { createCollector } = await import(${JSON.stringify(join(import.meta.dirname, '..', 'collector.ts'))});
      const result = await createCollector({ pii: { hostname: true, username: true, ip: true, mac: true }, agentVersion: '1.0.0' }).collectAll();
      console.log(JSON.stringify({ seen, os_distro: result.values.os_distro ?? null, failures: result.failures }));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { timeout: 20_000 });
    const out = JSON.parse(stdout) as { seen: string[]; os_distro: string | null; failures: unknown[] };
    expect(out.failures).toEqual([]);
    expect(typeof out.os_distro).toBe('string'); // the worker did load it
    expect(out.seen).toEqual([]); // resolving its path for the worker is not loading it
  });
});
