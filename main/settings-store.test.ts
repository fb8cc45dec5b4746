import Conf from 'conf';
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeyValueStore } from './electron-seam.ts';
import { openSettingsStore, type SettingsFileOpener } from './settings-store.ts';
import { recordingLog } from '../test/support/electron-fakes.ts';

describe('opening the settings file', () => {
  let dir = '';
  let opener: SettingsFileOpener;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'da-settings-'));
    opener = {
      path: join(dir, 'settings.json'),
      open: (): KeyValueStore => {
        const c = new Conf<Record<string, unknown>>({ cwd: dir, configName: 'settings', projectName: 'da-test' });
        return { get: (k) => c.get(k), set: (k, v) => c.set(k, v), delete: (k) => c.delete(k) };
      },
    };
  });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  it('opens a good file without a problem', () => {
    writeFileSync(opener.path, JSON.stringify({ settings: { product: 'acme' } }));
    const opened = openSettingsStore(opener, recordingLog());
    expect(opened.problem).toBeUndefined();
    expect(opened.store.get('settings')).toEqual({ product: 'acme' });
  });

  it('moves a file that is not JSON aside, starts empty and says so (cleared by a save)', () => {
    writeFileSync(opener.path, '{"settings": {"apiUrl": "https://lic');
    const log = recordingLog();
    const opened = openSettingsStore(opener, log, () => new Date('2026-11-29T10:00:00Z'));
    expect(opened.store.get('settings')).toBeUndefined();
    expect(readdirSync(dir)).toContain('settings.json.damaged-2026-11-29T10-00-00-000Z');
    expect(opened.problem).toMatchObject({ code: 'settings_damaged', clearsOnSave: true });
    expect(opened.problem?.summary).toContain(join(dir, 'settings.json.damaged-2026-11-29T10-00-00-000Z'));
    expect(log.lines()).toContain('is damaged');
    opened.store.set('x', 1);
    expect(existsSync(opener.path)).toBe(true);
  });

  it('keeps settings in memory when the file cannot be read at all, and says so', () => {
    mkdirSync(opener.path); // a directory where the file should be
    const opened = openSettingsStore(opener, recordingLog());
    expect(opened.problem).toMatchObject({ code: 'settings_unreadable' });
    opened.store.set('settings', { product: 'x' });
    expect(opened.store.get('settings')).toEqual({ product: 'x' });
  });
});

describe('the settings file is the owner\'s alone', () => {
  let dir = '';
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'da-settings-mode-')); });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  const opener = (): SettingsFileOpener => ({
    path: join(dir, 'settings.json'),
    open: (): KeyValueStore => {
      const c = new Conf<Record<string, unknown>>({ cwd: dir, configName: 'settings', projectName: 'da-test', configFileMode: 0o600 });
      return { get: (k) => c.get(k), set: (k, v) => c.set(k, v), delete: (k) => c.delete(k) };
    },
  });

  it('a file another version left readable by everyone becomes 0600 at open', () => {
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ secrets: { sharedKey: 'djEx' } }), { mode: 0o644 });
    chmodSync(join(dir, 'settings.json'), 0o644);
    openSettingsStore(opener(), recordingLog());
    expect(statSync(join(dir, 'settings.json')).mode & 0o777).toBe(0o600);
  });

  it('a damaged file moved aside is 0600 too', () => {
    writeFileSync(join(dir, 'settings.json'), '{"secrets": {"sharedKey": "djEx', { mode: 0o644 });
    chmodSync(join(dir, 'settings.json'), 0o644);
    openSettingsStore(opener(), recordingLog());
    const aside = readdirSync(dir).find((f) => f.startsWith('settings.json.damaged-')) as string;
    expect(statSync(join(dir, aside)).mode & 0o777).toBe(0o600);
  });
});
