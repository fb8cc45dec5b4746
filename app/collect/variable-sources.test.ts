// How the agent's own variables, the managed file's sources and the drop-in files
// merge: precedence, deny, the 100-variable room, and what the log says when a
// source starts or stops being left out.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rawConfigSchema } from '../config/schema.ts';
import { createCollector } from './collector.ts';
import type { Collector } from './collectors/types.ts';
import { createDropInReader } from './drop-in.ts';
import { createManagedSources } from './managed-sources.ts';
import { withVariableSources, type VariableSourcesOptions } from './variable-sources.ts';

let root: string;
let machine: string;
let user: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'da-merge-'));
  chmodSync(root, 0o755);
  machine = join(root, 'variables.d');
  user = join(root, 'state', 'variables.d');
  mkdirSync(machine, { mode: 0o755 });
  chmodSync(machine, 0o755);
  mkdirSync(user, { recursive: true, mode: 0o700 });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const put = (dir: string, source: string, variables: Record<string, unknown>) => writeFileSync(join(dir, `${source}.json`), JSON.stringify({ variables }), { mode: 0o644 });

const cpu: Collector = { name: 'cpu', refresh: 'dynamic', produces: ['cpu_load_pct'], collect: async () => ({ cpu_load_pct: 10 }) };

function collector(options: Partial<VariableSourcesOptions> & { custom?: Record<string, string> } = {}) {
  const base = createCollector({ pii: { hostname: false, username: false, ip: false, mac: false }, agentVersion: '1.0.0', collectors: [cpu], ...(options.custom ? { custom: options.custom } : {}) });
  return withVariableSources(base, {
    dropIn: createDropInReader({ folders: [{ dir: machine, scope: 'machine', allow: ['*'] }, { dir: user, scope: 'user', allow: ['*'] }], platform: 'linux' }),
    configNames: Object.keys(options.custom ?? {}),
    ...options,
  });
}

describe('merging the sources into one collection', () => {
  it('the agent\'s own values, the managed file\'s sources and both folders\' files arrive together in the dynamic collection', async () => {
    put(machine, 'acme', { edition: 'pro' });
    put(user, 'contoso', { seats: 4 });
    const managed = createManagedSources({ specs: rawConfigSchema.parse({ variableSources: { site: { env: 'SITE' } } }).variableSources, allowCommands: false, env: { SITE: 'Berlin' } });
    const c = collector({ managed });
    const { values } = await c.collectDynamic();
    expect(values).toEqual({ cpu_load_pct: 10, site: 'Berlin', 'acme.edition': 'pro', 'contoso.seats': 4 });
    expect(c.sources().map((v) => [v.scope, v.source, v.state, v.variables])).toEqual([
      ['managed file', 'site', 'ok', 1], ['per-machine folder', 'acme', 'ok', 1], ['per-user folder', 'contoso', 'ok', 1],
    ]);
    expect((await c.collectStatic()).values).not.toHaveProperty('acme.edition'); // static facts stay the agent's own
  });

  it('a per-user file for a source the per-machine folder has is skipped: the administrator\'s wins', async () => {
    put(machine, 'acme', { edition: 'pro' });
    put(user, 'acme', { edition: 'enterprise', extra: 1 });
    const c = collector();
    expect((await c.collectDynamic()).values).toMatchObject({ 'acme.edition': 'pro' });
    expect((await c.collectDynamic()).values).not.toHaveProperty('acme.extra');
    expect(c.sources()[1]).toMatchObject({ scope: 'per-user folder', state: 'skipped', problem: 'the per-machine folder has acme.json, which wins' });
  });

  it('a file giving a name the configuration gives is skipped whole, naming the name', async () => {
    put(user, 'acme', { edition: 'x', other: 'y' });
    const c = collector({ custom: { 'acme.edition': 'from-config' } });
    const { values } = await c.collectDynamic();
    expect(values).not.toHaveProperty('acme.other');
    expect(c.sources()[0]?.problem).toBe('acme.edition is also set by the configuration (variables or variableSources), which wins: use another name');
  });

  it('deny applies to every name: acme.* leaves the file out, acme.secret only that variable', async () => {
    put(user, 'acme', { edition: 'pro', secret: 's' });
    expect((await collector({ deny: ['acme.secret'] }).collectDynamic()).values).toEqual({ cpu_load_pct: 10, 'acme.edition': 'pro' });
    const c = collector({ deny: ['acme.*'] });
    expect((await c.collectDynamic()).values).toEqual({ cpu_load_pct: 10 });
    expect(c.sources()[0]).toMatchObject({ state: 'ok', variables: 0 });
  });

  it('a file whose variables do not fit in the 100 a device may hold is skipped whole; a smaller one after it still fits', async () => {
    const c = collector();
    // Every variable the agent may produce counts (present or not); the rest is the sources' room.
    const room = 100 - c.catalogue.length;
    const vars = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`v${i}`, i]));
    put(machine, 'a', vars(32));
    put(machine, 'b', vars(32));
    put(machine, 'c', vars(room - 64 + 1));
    put(machine, 'd', vars(room - 64));
    const { values } = await c.collectDynamic();
    expect(Object.keys(values)).toHaveLength(1 + room);
    expect(c.sources().map((v) => [v.source, v.state])).toEqual([['a', 'ok'], ['b', 'ok'], ['c', 'skipped'], ['d', 'ok']]);
    expect(c.sources()[2]?.problem).toBe(`its ${room - 63} variables would take this device over 100 variables (the limit per device; ${100 - room + 64} are taken)`);
  });

  it('logs a source when it starts being left out and when it is fine again, not at every cycle', async () => {
    const lines: string[] = [];
    const c = collector({ log: (level, message, fields) => lines.push(`${level} ${message} ${JSON.stringify(fields)}`) });
    writeFileSync(join(user, 'acme.json'), '{"vari');
    await c.collectDynamic();
    await c.collectDynamic();
    put(user, 'acme', { ok: 1 });
    await c.collectDynamic();
    expect(lines).toEqual([
      `warn variable source left out {"source":"per-user folder ${join(user, 'acme.json')}","problem":"is not valid JSON (at line 1, column 7)"}`,
      `info variable source in use again (or gone) {"source":"per-user folder ${join(user, 'acme.json')}"}`,
    ]);
  });

  it("the managed file's sources: one denied is off and not sent, one unset is listed and not sent, the others count against the room", async () => {
    const specs = { denied: { env: 'A' }, unset: { env: 'NOT_SET' }, site: { env: 'B' } };
    const managed = createManagedSources({ specs: rawConfigSchema.parse({ variableSources: specs }).variableSources, allowCommands: false, env: { A: 'a', B: 'b' } });
    const room = 100 - collector().catalogue.length;
    const vars = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`v${i}`, i]));
    // The one managed value sent leaves room - 1, filled by files of at most 32 variables each.
    const sizes: number[] = [];
    for (let left = room - 1; left > 0; left -= Math.min(32, left)) sizes.push(Math.min(32, left));
    sizes.forEach((n, i) => put(machine, `fits${i}`, vars(n)));
    put(machine, 'over', vars(1));
    const c = collector({ managed, deny: ['denied'] });
    const { values } = await c.collectDynamic();
    expect(values).toMatchObject({ site: 'b' });
    expect(values).not.toHaveProperty('denied');
    expect(values).not.toHaveProperty('unset');
    const view = (name: string) => c.sources().find((v) => v.source === name);
    expect(view('denied')).toMatchObject({ state: 'off', variables: 0, problem: 'left out by deny' });
    expect(view('unset')).toMatchObject({ source: 'unset' });
    expect(view('unset')?.state).not.toBe('ok');
    sizes.forEach((n, i) => expect(view(`fits${i}`)).toMatchObject({ state: 'ok', variables: n }));
    expect(view('over')).toMatchObject({ state: 'skipped', problem: 'its 1 variable would take this device over 100 variables (the limit per device; 100 are taken)' });
  });
});
