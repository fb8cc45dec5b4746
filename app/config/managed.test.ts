import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './load.ts';
import { loadManagedConfig, managedConfigOrThrow, managedConfigPath, readManagedConfig } from './managed.ts';

function managedFile(content: string, mode = 0o644): string {
  const file = join(mkdtempSync(join(tmpdir(), 'da-managed-')), 'config.json');
  writeFileSync(file, content);
  chmodSync(file, mode);
  return file;
}

const nowhere = join(tmpdir(), 'da-managed-none', 'config.json');

describe('readManagedConfig: one state per situation', () => {
  it('no file at the default path: none', () => {
    expect(readManagedConfig({}, nowhere)).toEqual({ state: 'none', path: nowhere });
    expect(readManagedConfig({ DEVICE_AGENT_MANAGED_CONFIG: '' }, nowhere)).toEqual({ state: 'none', path: nowhere });
    expect(managedConfigOrThrow({}, nowhere)).toBeUndefined();
  });

  it('a file named by DEVICE_AGENT_MANAGED_CONFIG that does not exist: broken, naming the variable', () => {
    expect(readManagedConfig({ DEVICE_AGENT_MANAGED_CONFIG: nowhere }, '/unused')).toEqual({
      state: 'broken', path: nowhere,
      problems: [{ field: 'DEVICE_AGENT_MANAGED_CONFIG', source: 'environment', message: `names ${nowhere}, which does not exist` }],
    });
  });

  it('a good file (named, or at the default path): ok, locking exactly its fields', () => {
    const file = managedFile(JSON.stringify({ apiUrl: 'https://licensing.example.com/api/v4/', autoActivate: false, pii: [] }));
    for (const result of [readManagedConfig({ DEVICE_AGENT_MANAGED_CONFIG: file }, '/unused'), readManagedConfig({}, file)]) {
      expect(result).toMatchObject({ state: 'ok', managed: { path: file, locked: ['apiUrl', 'autoActivate', 'pii'] } });
      if (result.state === 'ok') expect(result.managed.layer.origin.apiUrl).toBe(`managed config ${file}`);
    }
    expect(managedConfigOrThrow({}, file)?.locked).toEqual(['apiUrl', 'autoActivate', 'pii']);
  });

  it.each([
    ['not JSON', '{', 0o644, 'config', /not valid JSON/],
    ['a bad setting', '{"interval": "often"}', 0o644, 'interval', /must be minutes/],
    ['an unknown setting', '{"prodct": "p"}', 0o644, 'prodct', /is not a known setting/],
    ['writable by every user', '{"product": "p"}', 0o666, 'config', /writable by every user/],
  ])('a file that is %s: broken (never ignored), and managedConfigOrThrow throws it', (_what, content, mode, field, message) => {
    const file = managedFile(content, mode);
    const result = readManagedConfig({}, file);
    expect(result.state).toBe('broken');
    if (result.state === 'broken') {
      expect(result.path).toBe(file);
      expect(result.problems[0]!.field).toBe(field);
      expect(result.problems[0]!.message).toMatch(message);
    }
    expect(() => managedConfigOrThrow({}, file)).toThrow(ConfigError);
  });

  it('loadManagedConfig: undefined without a file, the layer with one, refusing a file every user may write', () => {
    expect(loadManagedConfig(nowhere)).toBeUndefined();
    const file = managedFile('{"product": "p"}');
    expect(loadManagedConfig(file)).toMatchObject({ path: file, locked: ['product'], layer: { values: { product: 'p' } } });
    expect(() => loadManagedConfig(managedFile('{"product": "p"}', 0o666))).toThrow(/writable by every user/);
  });

  it('the path per OS, with Windows\' ProgramData from either spelling', () => {
    expect(managedConfigPath('win32', { ProgramData: 'D:\\Data' })).toBe(join('D:\\Data', 'DeviceAgent', 'config.json'));
    expect(managedConfigPath('win32', { PROGRAMDATA: 'E:\\Data' })).toBe(join('E:\\Data', 'DeviceAgent', 'config.json'));
    expect(managedConfigPath('win32', {})).toBe(join('C:\\ProgramData', 'DeviceAgent', 'config.json'));
    expect(managedConfigPath('freebsd', {})).toBe('/etc/device-agent/config.json');
  });
});
