// The managed-only update policy: read from the managed file's `updates` object,
// validated field by field, kept out of the engine's settings, refused anywhere else.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, layerFromEnv, layerFromFile, resolveConfig } from './load.ts';
import { readManagedConfig } from './managed.ts';
import { UPDATE_FIELDS, updatePolicySchema } from './update-policy.ts';

function managedFile(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'da-updates-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(content), { mode: 0o644 });
  return file;
}

const read = (content: unknown) => readManagedConfig({ DEVICE_AGENT_MANAGED_CONFIG: managedFile(content) });

describe('updates in the managed file', () => {
  it('reads the policy apart from the engine settings, which it neither locks nor reaches', () => {
    const result = read({ apiUrl: 'https://licensing.example.com/api/v4/', updates: { enabled: true, url: 'https://updates.example.com/agent', channel: 'beta', pin: '1.4.2' } });
    expect(result.state).toBe('ok');
    if (result.state !== 'ok') return;
    expect(result.managed.updates).toEqual({ enabled: true, url: 'https://updates.example.com/agent', channel: 'beta', pin: '1.4.2' });
    expect(result.managed.locked).toEqual(['apiUrl']);
    expect('updates' in result.managed.layer.values).toBe(false);
  });

  it('defaults to enabled with nothing else when the file says nothing about updates (or there is no file)', () => {
    const result = read({ product: 'acme' });
    expect(result.state === 'ok' && result.managed.updates).toEqual({ enabled: true });
    expect(read({ updates: { enabled: false } })).toMatchObject({ state: 'ok', managed: { updates: { enabled: false } } });
  });

  it('makes the whole file broken when an update setting is wrong, naming the field (and the engine\'s own problems too)', () => {
    const cases: [unknown, string, RegExp][] = [
      [{ pin: 'v1.2' }, 'updates.pin', /version such as "1.4.2"/],
      [{ pin: '^1.2.0' }, 'updates.pin', /no range/],
      [{ url: 'http://updates.example.com/' }, 'updates.url', /https:\/\//],
      [{ url: 'https://user:pw@updates.example.com/' }, 'updates.url', /user name or password/],
      [{ url: 'not a url' }, 'updates.url', /absolute URL/],
      [{ channel: 'nightly' }, 'updates.channel', /"latest" or "beta"/],
      [{ enabled: 'no' }, 'updates.enabled', /true or false/],
      [{ pinned: '1.0.0' }, 'updates.pinned', /not a known setting/],
    ];
    for (const [updates, field, message] of cases) {
      const result = read({ updates });
      expect(result.state, field).toBe('broken');
      if (result.state !== 'broken') continue;
      expect(result.problems).toEqual([expect.objectContaining({ field, message: expect.stringMatching(message) })]);
    }
    const both = read({ interval: 'soon', updates: 'yes' });
    expect(both.state === 'broken' && both.problems.map((p) => p.field)).toEqual(['interval', 'updates']);
  });

  it('accepts plain http:// only to this machine (a local mirror)', () => {
    expect(updatePolicySchema.safeParse({ url: 'http://127.0.0.1:8080/updates/' }).success).toBe(true);
    expect(updatePolicySchema.safeParse({ url: 'http://localhost/updates/' }).success).toBe(true);
    expect(updatePolicySchema.safeParse({ url: 'http://10.0.0.5/updates/' }).success).toBe(false);
  });

  it('is refused in a user\'s --config file and has no flag or environment variable', () => {
    const file = managedFile({ updates: { enabled: false } });
    let problems: ConfigError['problems'] = [];
    try {
      resolveConfig([layerFromFile(file)]);
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    expect(problems).toEqual([expect.objectContaining({ field: 'updates', message: expect.stringContaining('only in the machine-wide managed configuration file') })]);
    expect(() => layerFromEnv({ DEVICE_AGENT_UPDATES: 'false' })).toThrow(ConfigError);
  });

  it('is documented in the README, every field', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const field of UPDATE_FIELDS) expect(readme).toContain(`| \`${field.key}\` | ${field.type} | ${field.description} |`);
    // and the table lists the schema's fields, no more, no fewer
    expect(UPDATE_FIELDS.map((f) => f.key.replace('updates.', '')).sort()).toEqual(Object.keys(updatePolicySchema.shape).sort());
  });
});
