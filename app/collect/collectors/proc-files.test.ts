import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDefaultRouteInterface, parseMeminfo, parseProcStat } from './proc-files.ts';

const STAT = `cpu  4705 356 584 3699176 23060 0 277 0 0 0
cpu0 1393280 32966 572056 13343292 6130 0 17875 0 0 0
intr 114930548 113199788 3 0 5 263 0 4 [... lots more numbers ...]
`;

const MEMINFO = `MemTotal:       16307596 kB
MemFree:         1013996 kB
MemAvailable:    9217400 kB
Buffers:          403328 kB
Cached:          7580020 kB
Active(file):    3200000 kB
HugePages_Total:       0
`;

const ROUTE = `Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0
eth0\t00000000\t010200C0\t0003\t0\t0\t100\t00000000\t0\t0\t0
eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
`;

describe('/proc parsers', () => {
  it('sums the aggregate cpu line; idle counts iowait', () => {
    expect(parseProcStat(STAT)).toEqual({ idle: 3699176 + 23060, total: 4705 + 356 + 584 + 3699176 + 23060 + 0 + 277 + 0 });
  });

  it('finds the aggregate line when it is not the first one, and reads a file without a final newline', () => {
    expect(parseProcStat(`cpu0 1 1 1 1\n${STAT}`)).toEqual(parseProcStat(STAT));
    expect(parseProcStat('cpu  1 2 3 4')).toEqual({ idle: 4, total: 10 });
  });

  it('refuses a /proc/stat without a cpu line or with garbage', () => {
    expect(() => parseProcStat('intr 1 2 3\n')).toThrow('/proc/stat has no aggregate "cpu" line');
    expect(() => parseProcStat('cpu  a b c d\n')).toThrow('/proc/stat "cpu" line is malformed');
  });

  it('reads MemTotal and MemAvailable in bytes', () => {
    expect(parseMeminfo(MEMINFO)).toEqual({ totalBytes: 16307596 * 1024, availableBytes: 9217400 * 1024 });
  });

  it('estimates available memory on kernels without MemAvailable', () => {
    const old = MEMINFO.replace(/^MemAvailable.*\n/m, '');
    expect(parseMeminfo(old).availableBytes).toBe((1013996 + 403328 + 7580020) * 1024);
    expect(() => parseMeminfo('MemFree: 1 kB\n')).toThrow('/proc/meminfo has no MemTotal');
  });

  it('finds the default route with the lowest metric', () => {
    expect(parseDefaultRouteInterface(ROUTE)).toBe('eth0');
    expect(parseDefaultRouteInterface(ROUTE.split('\n').filter((l) => !l.includes('\t00000000\t0')).join('\n'))).toBeUndefined();
  });

  it.runIf(process.platform === 'linux' && existsSync('/proc/stat'))('parses this machine\'s real files', () => {
    const times = parseProcStat(readFileSync('/proc/stat', 'utf8'));
    expect(times.total).toBeGreaterThan(times.idle);
    const memory = parseMeminfo(readFileSync('/proc/meminfo', 'utf8'));
    expect(memory.totalBytes).toBeGreaterThan(memory.availableBytes);
    expect(memory.availableBytes).toBeGreaterThan(0);
  });
});
