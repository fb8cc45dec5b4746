// Parsers for the Linux /proc files the dynamic cycle reads. Pure functions over
// the file text, so they are tested against real samples without a kernel.

export interface CpuTimes {
  /** Jiffies spent idle (idle + iowait). */
  idle: number;
  /** All jiffies (user nice system idle iowait irq softirq steal). */
  total: number;
}

/** The aggregate "cpu" line of /proc/stat. */
export function parseProcStat(text: string): CpuTimes {
  // The aggregate line comes first; find it without splitting the whole file
  // (its "intr" line alone is kilobytes on big machines).
  const start = text.startsWith('cpu ') ? 0 : text.indexOf('\ncpu ') + 1;
  if (start === 0 && !text.startsWith('cpu ')) throw new Error('/proc/stat has no aggregate "cpu" line');
  const end = text.indexOf('\n', start);
  const line = text.slice(start, end === -1 ? undefined : end);
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (fields.length < 4 || fields.some((n) => !Number.isFinite(n))) throw new Error(`/proc/stat "cpu" line is malformed: ${line.slice(0, 80)}`);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  return { idle: idle + iowait, total: user + nice + system + idle + iowait + irq + softirq + steal };
}

/** The boot time (`btime`, seconds since the epoch) of /proc/stat. */
export function parseBootTime(text: string): number {
  const match = /^btime[ \t]+(\d+)[ \t]*$/m.exec(text);
  if (!match) throw new Error('/proc/stat has no "btime" line');
  return Number(match[1]);
}

export interface MemoryInfo {
  totalBytes: number;
  /** Memory available for new programs without swapping (MemAvailable; older kernels: free + buffers + cached). */
  availableBytes: number;
}

const MEMINFO_FIELDS = /^(MemTotal|MemFree|MemAvailable|Buffers|Cached):[ \t]+(\d+)/gm;

export function parseMeminfo(text: string): MemoryInfo {
  // Only the five fields used, matched in one pass (the file has ~55 lines).
  const kib = new Map<string, number>();
  for (const match of text.matchAll(MEMINFO_FIELDS)) kib.set(match[1]!, Number(match[2]));
  const total = kib.get('MemTotal');
  if (total === undefined) throw new Error('/proc/meminfo has no MemTotal');
  const available = kib.get('MemAvailable')
    ?? (kib.get('MemFree') ?? 0) + (kib.get('Buffers') ?? 0) + (kib.get('Cached') ?? 0);
  return { totalBytes: total * 1024, availableBytes: Math.min(available, total) * 1024 };
}

/** The interface of the default route (destination 0.0.0.0) in /proc/net/route, lowest metric first. */
export function parseDefaultRouteInterface(text: string): string | undefined {
  let best: { iface: string; metric: number } | undefined;
  for (const line of text.split('\n').slice(1)) {
    const [iface, destination, , , , , metric, mask] = line.trim().split(/\s+/);
    if (!iface || destination !== '00000000' || mask !== '00000000') continue;
    const m = Number(metric);
    if (!best || m < best.metric) best = { iface, metric: m };
  }
  return best?.iface;
}
