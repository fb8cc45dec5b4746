import { describe, expect, it } from 'vitest';
import { CATALOGUE } from './catalogue.ts';
import { checkPatterns, selectVariables } from './selection.ts';

const NO_PII = { hostname: false, username: false, ip: false, mac: false };
const ALL_PII = { hostname: true, username: true, ip: true, mac: true };
const PII_NAMES = ['hostname', 'username', 'ip_address', 'mac_address'];

describe('selectVariables', () => {
  it('collects every non-PII catalogue variable by default, and no PII', () => {
    const names = selectVariables({ pii: NO_PII });
    expect(names).toEqual(CATALOGUE.filter((e) => !e.pii).map((e) => e.name));
    for (const pii of PII_NAMES) expect(names).not.toContain(pii);
  });

  it('adds each PII variable only with its own switch', () => {
    expect(selectVariables({ pii: { ...NO_PII, ip: true } }).filter((n) => PII_NAMES.includes(n))).toEqual(['ip_address']);
    expect(selectVariables({ pii: ALL_PII }).filter((n) => PII_NAMES.includes(n))).toEqual(PII_NAMES);
  });

  it('an allowlist replaces the defaults; PII still needs its switch', () => {
    expect(selectVariables({ pii: NO_PII, allow: ['os_platform', 'battery_*', 'hostname'] })).toEqual(['os_platform', 'battery_pct', 'battery_charging']);
    expect(selectVariables({ pii: { ...NO_PII, hostname: true }, allow: ['hostname'] })).toEqual(['hostname']);
    expect(selectVariables({ pii: ALL_PII, allow: ['cpu_load_pct'] })).toEqual(['cpu_load_pct']);
  });

  it('an empty allowlist means no allowlist (the configuration default)', () => {
    expect(selectVariables({ pii: NO_PII, allow: [] })).toEqual(selectVariables({ pii: NO_PII }));
  });

  it('a denylist always removes, built-in or custom, and wins over allow', () => {
    const names = selectVariables({ pii: ALL_PII, allow: ['ram_*', 'hostname'], deny: ['ram_total_gb', 'hostname', 'site'], customNames: ['site', 'team'] });
    expect(names).toEqual(['ram_used_gb', 'ram_used_pct', 'team']);
    expect(selectVariables({ pii: NO_PII, deny: ['*'], customNames: ['site'] })).toEqual([]);
  });

  it('custom variables come after the catalogue and are not narrowed by the allowlist', () => {
    expect(selectVariables({ pii: NO_PII, allow: ['kernel'], customNames: ['site'] })).toEqual(['kernel', 'site']);
  });
});

describe('checkPatterns', () => {
  it('accepts names, prefixes and unknown deny entries', () => {
    expect(checkPatterns({ pii: NO_PII, allow: ['kernel', 'disk_*', 'site'], deny: ['not_yet_invented'], customNames: ['site'] })).toEqual([]);
  });

  it('names each bad entry', () => {
    expect(checkPatterns({ pii: NO_PII, allow: ['kernal', 'os platform'], deny: ['a*b'] })).toEqual([
      { field: 'allow[0]', message: '"kernal" matches no known variable' },
      { field: 'allow[1]', message: 'must be a variable name (A-Z a-z 0-9 _ . -, up to 64) optionally ending in *' },
      { field: 'deny[0]', message: 'must be a variable name (A-Z a-z 0-9 _ . -, up to 64) optionally ending in *' },
    ]);
  });
});
