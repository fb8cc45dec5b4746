import { describe, expect, it } from 'vitest';
import {
  canonicalVariableValue, identityWire, isDeactivatedReply, latestValues, licenseReply, trackBodyProblem, trackInputSchema,
  variableRowsReply, variablesProblem,
} from './schemas.ts';

const identity = { product: 'demo', hardwareId: 'hw-1', licenseKey: 'AAAA-BBBB' };

describe('outgoing track body (seed request schema)', () => {
  it('accepts a body with only the documented fields', () => {
    expect(trackBodyProblem({ ...identityWire(identity), variables: { os: 'linux', cores: 8, vm: false } })).toBeUndefined();
  });

  it('refuses any extra field, naming it', () => {
    expect(trackBodyProblem({ ...identityWire(identity), variables: {}, password: 'x' })).toMatch(/additional properties "password"/);
  });

  it('refuses non-scalar values and missing required fields', () => {
    expect(trackBodyProblem({ ...identityWire(identity), variables: { nested: { a: 1 } } })).toMatch(/^variables\.nested: /);
    expect(trackBodyProblem({ product: 'demo', variables: {} })).toMatch(/hardware_id/);
  });

  it('leaves absent identity fields out instead of sending undefined', () => {
    const wire = identityWire({ product: 'p', hardwareId: 'h', username: 'u@x' });
    expect(Object.keys(wire)).toEqual(['product', 'hardware_id', 'username']);
    expect(identityWire({ ...identity, licenseId: 7 })).toEqual({ product: 'demo', hardware_id: 'hw-1', license_key: 'AAAA-BBBB', license_id: 7 });
  });

  it('requires a license key or a username, naming the field', () => {
    const result = trackInputSchema.safeParse({ product: 'p', hardwareId: 'h', variables: {} });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['licenseKey']);
  });
});

describe('variable limits', () => {
  it('names the offending variable', () => {
    expect(variablesProblem({ ok: 1 })).toBeUndefined();
    expect(variablesProblem({ 'bad name': 1 })).toMatch(/variables\."bad name"/);
    expect(variablesProblem({ n: Number.NaN })).toMatch(/finite/);
    expect(variablesProblem({ n: Number.POSITIVE_INFINITY })).toMatch(/finite/);
    expect(variablesProblem({ long: 'x'.repeat(257) })).toMatch(/longer than 256/);
    expect(variablesProblem(JSON.parse('{"__proto__": 1}') as Record<string, number>)).toMatch(/reserved/);
    expect(variablesProblem(Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`v${i}`, i])))).toMatch(/at most 100/);
  });
});

describe('reply parsing', () => {
  it('reads the seed\'s track reply (ms created_at), values in canonical text', () => {
    const rows = variableRowsReply.parse([{ variable: 'cores', value: 8, device_id: 1698663677416479, created_at: 1698667364802 }]);
    expect(rows).toEqual([{ variable: 'cores', value: '8', deviceId: 1698663677416479, createdAt: 1698667364802 }]);
  });

  it('reads the older get reply (ISO created_at, string values, an id)', () => {
    const rows = variableRowsReply.parse([{ id: 3, variable: 'vm', value: 'false', device_id: 9, created_at: '2026-11-26T12:00:00.000Z' }]);
    expect(rows).toEqual([{ variable: 'vm', value: 'false', deviceId: 9, createdAt: Date.UTC(2026, 10, 26, 12) }]);
    expect(variableRowsReply.parse([{ variable: 'a', value: true, device_id: '9', created_at: '1700000000000' }])[0]).toMatchObject({ value: 'true', deviceId: 9, createdAt: 1700000000000 });
  });

  it('refuses wrong shapes with the path of the field', () => {
    const bad = [
      { variable: 'a', value: 'x', device_id: 1, created_at: 'not a date' },
      { variable: 'a', value: { nested: 1 }, device_id: 1, created_at: 1 },
      { variable: 'a', value: 'x', created_at: 1 },
    ];
    for (const row of bad) expect(variableRowsReply.safeParse([row]).success, JSON.stringify(row)).toBe(false);
    expect(variableRowsReply.safeParse({ variable: 'a' }).success).toBe(false);
    const failure = variableRowsReply.safeParse([bad[0]]);
    expect(failure.error?.issues[0]?.path).toEqual([0, 'created_at']);
  });

  it('compares numbers and booleans the way the server stores them', () => {
    expect(canonicalVariableValue(42)).toBe('42');
    expect(canonicalVariableValue(0.5)).toBe('0.5');
    expect(canonicalVariableValue(true)).toBe('true');
  });

  it('collapses history rows to the latest value per name', () => {
    expect(latestValues([
      { variable: 'a', value: '1', deviceId: 1, createdAt: 10 },
      { variable: 'a', value: '2', deviceId: 1, createdAt: 20 },
      { variable: 'b', value: 'x', deviceId: 1, createdAt: 5 },
    ])).toEqual({ a: '2', b: 'x' });
  });

  it('reads a license object, keeping the rest raw', () => {
    const info = licenseReply.parse({ license_key: 'K', device_id: 4, license_type: 'perpetual', validity_period: null, is_expired: false, license_active: true, license_enabled: true, license_signature: 'sig', extra: 1 });
    expect(info).toMatchObject({ licenseKey: 'K', deviceId: 4, licenseType: 'perpetual', isExpired: false, licenseActive: true, licenseEnabled: true, licenseSignature: 'sig' });
    expect(info.validityPeriod).toBeUndefined();
    expect(info.raw.extra).toBe(1);
    expect(licenseReply.parse({ license_key: null, user: { email: 'u@example.com' } }).username).toBe('u@example.com');
    expect(licenseReply.safeParse({ license_active: 'yes' }).success).toBe(false);
    expect(licenseReply.safeParse([]).success).toBe(false);
  });

  it('recognises the deactivation reply as JSON string or bare text only', () => {
    expect(isDeactivatedReply('"license_deactivated"', 'license_deactivated')).toBe(true);
    expect(isDeactivatedReply('license_deactivated\n', undefined)).toBe(true);
    expect(isDeactivatedReply('{"ok":true}', { ok: true })).toBe(false);
  });
});
