import { describe, expect, it } from 'vitest';
import { CollectConfigError, cleanText, createCollector } from './collector.ts';
import type { CollectorOptions } from './collector.ts';
import type { Collector } from './collectors/types.ts';

const NO_PII = { hostname: false, username: false, ip: false, mac: false };
const base: CollectorOptions = { pii: NO_PII, agentVersion: '1.2.3' };

function fake(name: string, refresh: 'static' | 'dynamic', produces: string[], collect: Collector['collect']): Collector {
  return { name, refresh, produces, collect };
}

describe('createCollector with injected collectors', () => {
  it('isolates a collector that throws or hangs: its failure is reported, the others still deliver', async () => {
    const collector = createCollector({
      ...base,
      timeoutMs: 50,
      collectors: [
        fake('memory', 'dynamic', ['ram_used_pct'], async () => ({ ram_used_pct: 41.2 })),
        fake('broken', 'dynamic', ['disk_free_gb'], async () => { throw new Error('statfs failed: EIO'); }),
        fake('hangs', 'dynamic', ['disk_used_pct'], () => new Promise(() => {})),
        fake('sync-throw', 'dynamic', ['cpu_load_pct'], () => { throw new Error('boom'); }),
      ],
    });
    const started = Date.now();
    const result = await collector.collectDynamic();
    expect(Date.now() - started).toBeLessThan(1000);
    expect({ ...result.values }).toEqual({ ram_used_pct: 41 });
    expect(result.failures.map(({ collector: c, message }) => ({ c, message })).sort((a, b) => a.c.localeCompare(b.c))).toEqual([
      { c: 'broken', message: 'statfs failed: EIO' },
      { c: 'hangs', message: 'hangs timed out after 50 ms' },
      { c: 'sync-throw', message: 'boom' },
    ]);
    expect(result.failures.every((f) => typeof f.at === 'number')).toBe(true);
    expect(result.durationMs).toBeGreaterThanOrEqual(45);
  });

  it('aborts the signal of a collector that timed out, so it can stop its work', async () => {
    let seen: AbortSignal | undefined;
    const collector = createCollector({ ...base, timeoutMs: 20, collectors: [fake('slow', 'dynamic', ['disk_free_gb'], (signal) => { seen = signal; return new Promise(() => {}); })] });
    await collector.collectDynamic();
    expect(seen?.aborted).toBe(true);
  });

  it('quantises with the catalogue quantum, cleans strings, drops non-finite numbers as a failure', async () => {
    const collector = createCollector({
      ...base,
      collectors: [fake('facts', 'static', ['ram_total_gb', 'cpu_model', 'cpu_cores', 'os_distro'], async () => ({
        ram_total_gb: 16.74, cpu_model: '  Intel(R)\tCore(TM)\n i7 ', cpu_cores: Number.NaN, os_distro: '   ',
      }))],
    });
    const result = await collector.collectStatic();
    expect({ ...result.values }).toEqual({ ram_total_gb: 16.7, cpu_model: 'Intel(R) Core(TM) i7' });
    expect(result.failures).toEqual([expect.objectContaining({ collector: 'facts', message: 'cpu_cores: value must be a finite number (got NaN)' })]);
  });

  it('keeps values steady across cycles when only noise changes (hysteresis)', async () => {
    const readings = [62.6, 62.4, 62.55, 61.2];
    const collector = createCollector({ ...base, collectors: [fake('m', 'dynamic', ['ram_used_pct'], async () => ({ ram_used_pct: readings.shift()! }))] });
    const seen = [];
    for (let i = 0; i < 4; i += 1) seen.push((await collector.collectDynamic()).values.ram_used_pct);
    expect(seen).toEqual([63, 63, 63, 61]);
  });

  it('runs only the collectors of the refresh class asked for, and only when a produced variable is enabled', async () => {
    const calls: string[] = [];
    const collector = createCollector({
      ...base,
      deny: ['disk_free_gb'],
      collectors: [
        fake('s', 'static', ['kernel'], async () => { calls.push('s'); return { kernel: '6.1' }; }),
        fake('d', 'dynamic', ['cpu_load_pct'], async () => { calls.push('d'); return { cpu_load_pct: 10 }; }),
        fake('denied', 'dynamic', ['disk_free_gb'], async () => { calls.push('denied'); return { disk_free_gb: 1 }; }),
        fake('pii', 'static', ['hostname'], async () => { calls.push('pii'); return { hostname: 'ws' }; }),
      ],
    });
    expect({ ...(await collector.collectStatic()).values }).toEqual({ kernel: '6.1' });
    expect({ ...(await collector.collectDynamic()).values }).toEqual({ cpu_load_pct: 10 });
    expect({ ...(await collector.collectAll()).values }).toEqual({ kernel: '6.1', cpu_load_pct: 10 });
    expect(calls).toEqual(['s', 'd', 's', 'd']);
  });

  it('never sends a variable a collector produces beyond what is enabled', async () => {
    const collector = createCollector({
      ...base,
      collectors: [fake('greedy', 'static', ['kernel', 'hostname'], async () => ({ kernel: 'k', hostname: 'secret-host', extra_thing: 'x' }))],
    });
    expect({ ...(await collector.collectStatic()).values }).toEqual({ kernel: 'k' });
  });

  it('merges validated custom variables into the static set and lists them in its catalogue', async () => {
    const collector = createCollector({ ...base, custom: { site: 'Berlin', floor: 3, managed: true }, collectors: [] });
    expect({ ...(await collector.collectStatic()).values }).toEqual({ site: 'Berlin', floor: 3, managed: true });
    expect({ ...(await collector.collectDynamic()).values }).toEqual({});
    expect(collector.catalogue.slice(-3).map((e) => [e.name, e.description])).toEqual([
      ['site', 'Custom variable from configuration.'], ['floor', 'Custom variable from configuration.'], ['managed', 'Custom variable from configuration.'],
    ]);
  });
});

describe('createCollector refuses bad settings, naming each field', () => {
  const refusal = (options: Partial<CollectorOptions> & Record<string, unknown>) => {
    try {
      createCollector({ ...base, ...options } as CollectorOptions);
    } catch (error) {
      expect(error).toBeInstanceOf(CollectConfigError);
      return (error as CollectConfigError).message;
    }
    throw new Error('expected a CollectConfigError');
  };

  it.each<[string, Record<string, unknown>, string]>([
    ['a bad custom name', { custom: { 'my var': 1 } }, 'custom.my var: name must be 1-64 characters of A-Z a-z 0-9 _ . -'],
    ['a custom object value', { custom: { a: { b: 1 } } }, 'custom.a: value must be a string, number or boolean (got an object)'],
    ['a custom name taken by the catalogue', { custom: { kernel: 'x' } }, 'custom.kernel: name is taken by a built-in variable'],
    ['custom __proto__', { custom: JSON.parse('{"__proto__": 1}') as Record<string, unknown> }, 'custom.__proto__: name "__proto__" is reserved'],
    ['a typo in the allowlist', { allow: ['cpu_laod_pct'] }, 'allow[0]: "cpu_laod_pct" matches no known variable'],
    ['allow as a string', { allow: 'kernel' }, 'allow: must be a list of variable names'],
    ['an empty agent version', { agentVersion: '' }, 'agentVersion: must be a non-empty single-line string'],
    ['a multi-line app version', { appVersion: '1\n2' }, 'appVersion: must be a single-line string'],
    ['a zero timeout', { timeoutMs: 0 }, 'timeoutMs: must be a whole number of milliseconds'],
  ])('%s', (_label, options, message) => {
    expect(refusal(options)).toContain(message);
  });
});

describe('cleanText', () => {
  it('turns control characters into spaces, collapses whitespace, trims and cuts at 256', () => {
    expect(cleanText(' a\u0000b\r\n  c ')).toBe('a b c');
    expect(cleanText('x'.repeat(300))).toHaveLength(256);
  });
});

describe('the built-in collectors on this machine', () => {
  it('collect the documented static and dynamic variables, with no PII unless enabled', async () => {
    const collector = createCollector({ ...base, appVersion: '9.9' });
    const stat = await collector.collectStatic();
    expect(stat.failures).toEqual([]);
    expect(stat.values).toMatchObject({ os_platform: process.platform, os_arch: process.arch, agent_version: '1.2.3', app_version: '9.9' });
    expect(typeof stat.values.os_distro).toBe('string');
    expect(typeof stat.values.is_vm).toBe('boolean');
    expect(stat.values.cpu_cores).toBeGreaterThan(0);
    expect(stat.values.ram_total_gb).toBeGreaterThan(0);
    expect(stat.values.disk_total_gb).toBeGreaterThan(0);
    const dyn = await collector.collectDynamic();
    expect(dyn.failures).toEqual([]);
    for (const name of ['cpu_load_pct', 'ram_used_pct', 'disk_used_pct']) {
      expect(dyn.values[name], name).toBeGreaterThanOrEqual(0);
      expect(dyn.values[name], name).toBeLessThanOrEqual(100);
      expect(Number.isInteger(dyn.values[name]), name).toBe(true);
    }
    expect((dyn.values.cpu_load_pct as number) % 5).toBe(0); // 5 % steps
    expect(stat.values.boot_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z$/);
    expect(dyn.values).not.toHaveProperty('boot_time');
    expect(Math.round((dyn.values.ram_used_gb as number) * 10) / 10).toBe(dyn.values.ram_used_gb);
    const all = { ...stat.values, ...dyn.values };
    for (const pii of ['hostname', 'username', 'ip_address', 'mac_address']) expect(all).not.toHaveProperty(pii);
    expect(Object.keys(all).length).toBeGreaterThanOrEqual(15);
  });

  it('collect hostname and user name when enabled', async () => {
    const { hostname, userInfo } = await import('node:os');
    const collector = createCollector({ ...base, pii: { ...NO_PII, hostname: true, username: true } });
    const values = (await collector.collectStatic()).values;
    expect(values.hostname).toBe(hostname());
    expect(values.username).toBe(userInfo().username);
    expect(values).not.toHaveProperty('ip_address');
  });
});
