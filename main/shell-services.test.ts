import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { ManagedConfigResult } from '../app/config/managed.ts';
import { createAgentHost } from './agent-host.ts';
import { createShellServices, type ShellServicesDeps } from './shell-services.ts';
import { createSecretVault } from './secrets.ts';
import { aesSafeStorage, memoryStore, recordingLog } from '../test/support/electron-fakes.ts';

function services(extra: Partial<ShellServicesDeps>) {
  const log = recordingLog();
  const store = memoryStore();
  const host = createAgentHost(log);
  return createShellServices({
    host, store, log, managed: { state: 'none', path: '/etc/device-agent/config.json' }, stateDir: '/tmp/unused',
    vault: createSecretVault(aesSafeStorage(), store, 'linux', log),
    runner: {} as ShellServicesDeps['runner'],
    autostart: {} as ShellServicesDeps['autostart'],
    clipboard: { writeText() {} },
    diagnostics: { dir: '/tmp', logFiles: () => [], appVersion: '0', platform: 'linux' },
    ...extra,
  });
}

describe('status view warnings', () => {
  it('adds nothing when the managed file is fine or absent', () => {
    const view = services({}).toStatusView(createAgentHost(recordingLog()).status(), false);
    expect(view.warnings.some((w) => w.includes('administrator'))).toBe(false);
  });
});

describe('what the log and the diagnostics redact', () => {
  it('holds the stored secrets, the license key and the administrator\'s secrets (managed file)', async () => {
    const store = memoryStore();
    const log = recordingLog();
    const vault = createSecretVault(aesSafeStorage(), store, 'linux', log);
    await vault.set('sharedKey', 'stored-shared-key-1234', { apiUrl: 'https://api.licensespring.com', tokenUrl: 'https://auth.licensespring.com' });
    store.set('settings', { licenseKey: 'USER-LICENSE-KEY-5678' });
    const managed = { state: 'ok' as const, managed: {
      path: '/etc/device-agent/config.json', locked: ['clientSecret', 'sharedKey', 'licenseKey', 'apiUrl'],
      layer: { values: { clientSecret: 'managed-client-secret-abcd', sharedKey: 'managed-shared-key-efgh', licenseKey: 'MANAGED-KEY-0000', apiUrl: 'https://api.example.com/api/v4/' }, origin: {} },
    } };
    const s = services({ store, vault, managed });
    const values = await s.secretValues();
    expect(values).toEqual(expect.arrayContaining(['stored-shared-key-1234', 'USER-LICENSE-KEY-5678', 'managed-client-secret-abcd', 'managed-shared-key-efgh', 'MANAGED-KEY-0000']));
    expect(values).not.toContain('https://api.example.com/api/v4/');
  });
});

/** A runner that records what it was asked to run. */
function recordingRunner() {
  const applied: Record<string, unknown>[] = [];
  const runner = {
    apply: async (values: Record<string, unknown>) => { applied.push(values); return 'configured' as const; },
    mode: () => 'configured' as const,
    close: async () => undefined,
  };
  return { applied, runner };
}

describe('what holds the engine back', () => {
  const BINDING = { apiUrl: 'https://api.licensespring.com', tokenUrl: 'https://auth.licensespring.com' };

  it('a broken managed file: no sync with the person\'s settings alone; the window names the file and the problem; Sync now takes the fixed file', async () => {
    const log = recordingLog();
    const host = createAgentHost(log);
    const { applied, runner } = recordingRunner();
    let onDisk: ManagedConfigResult = { state: 'broken', path: '/etc/device-agent/config.json', problems: [{ field: 'config', source: 'managed config /etc/device-agent/config.json', message: 'is not valid JSON' }] };
    const s = services({ host, runner, log, managed: onDisk, readManaged: () => onDisk });
    await s.applySettings();
    expect(applied).toEqual([]);
    const view = s.toStatusView(host.status(), false);
    expect(view.phase).toBe('attention');
    expect(view.error).toMatchObject({ code: 'managed_config_unusable' });
    expect(view.error?.summary).toMatch(/\/etc\/device-agent\/config\.json cannot be used: config: is not valid JSON\. Device Agent does not sync until it is fixed/);
    expect(view.managedConfigPath).toBe('/etc/device-agent/config.json');
    expect(log.lines()).toMatch(/not syncing until it is fixed/);

    onDisk = { state: 'ok', managed: { path: '/etc/device-agent/config.json', locked: ['product'], layer: { values: { product: 'acme' }, origin: {} } } };
    await s.syncNow();
    expect(applied).toHaveLength(1);
  });

  it('a keyring that fails: the engine is not started without the secret (no "missing" status); it is asked again by itself and on Sync now', async () => {
    const store = memoryStore();
    await createSecretVault(aesSafeStorage(), store, 'linux', recordingLog()).set('sharedKey', 'kept-shared-key-4321', BINDING);
    store.set('settings', { authMethod: 'hmac', apiKey: 'k' });
    const failing = aesSafeStorage('gnome_libsecret', true, { prefix: 'v10', decryptFailure: 'safeStorage.decryptStringAsync is temporarily unavailable. Please try again.' });
    const vault = createSecretVault(failing, store, 'linux', recordingLog());
    const host = createAgentHost(recordingLog());
    const { applied, runner } = recordingRunner();
    const s = services({ host, runner, store, vault, keyringRetryMs: 30 });
    await s.applySettings();
    expect(applied).toEqual([]);
    expect(host.status().error).toMatchObject({ code: 'keyring_unavailable' });
    expect(host.status().error?.summary).toMatch(/kept, not lost/);
    // The retry timer asks again (still failing: still held back, never started without the key).
    await new Promise((r) => setTimeout(r, 120));
    expect(applied).toEqual([]);
    expect(vault.has('sharedKey')).toBe(true);
    s.close();
  });

  it('a keyring asking for its password: "waiting", then the engine starts with the secret as soon as it answers', async () => {
    // The same key (the keyring's), held until the person unlocks it.
    const real = aesSafeStorage();
    const fresh = memoryStore();
    const v0 = createSecretVault(real, fresh, 'linux', recordingLog());
    await v0.set('sharedKey', 'kept-shared-key-4321', BINDING);
    fresh.set('settings', { authMethod: 'hmac', apiKey: 'k' });
    let unlock = () => {};
    const unlocked = new Promise<void>((r) => { unlock = r; });
    const locked = { ...real,
      isAsyncEncryptionAvailable: async () => { await unlocked; return real.isAsyncEncryptionAvailable(); },
      encryptStringAsync: async (t: string) => { await unlocked; return real.encryptStringAsync(t); },
      decryptStringAsync: async (b: Buffer) => { await unlocked; return real.decryptStringAsync(b); } };
    const vault = createSecretVault(locked, fresh, 'linux', recordingLog(), { waitMs: 30 });
    const host = createAgentHost(recordingLog());
    const { applied, runner } = recordingRunner();
    const s = services({ host, runner, store: fresh, vault, keyringRetryMs: 60_000 });
    await s.applySettings({ startImmediately: true });
    expect(host.status().error).toMatchObject({ code: 'keyring_waiting' });
    expect(applied).toEqual([]);
    unlock();
    await vi.waitFor(() => expect(applied).toHaveLength(1));
    expect(applied[0]).toMatchObject({ sharedKey: 'kept-shared-key-4321' });
    s.close();
  });

  it('changing the server clears the secrets bound to the old one, and the reply says which', async () => {
    const store = memoryStore();
    const vault = createSecretVault(aesSafeStorage(), store, 'linux', recordingLog());
    const { runner } = recordingRunner();
    const s = services({ store, vault, runner, autostart: { isEnabled: async () => false, setEnabled: async () => undefined } });
    store.set('settings', { authMethod: 'hmac', apiUrl: 'https://api.licensespring.com/api/v4/', apiKey: 'k' });
    await vault.set('sharedKey', 'bound-shared-key-1111', BINDING);
    await vault.set('clientSecret', 'bound-client-secret-2222', BINDING);
    // Same origin, another path: nothing leaves.
    const samePlace = await s.handlers['device-agent:save-settings']({ apiUrl: 'https://api.licensespring.com/api/v4/other/' });
    expect(samePlace.secretsCleared).toBeUndefined();
    expect(vault.has('sharedKey')).toBe(true);
    // Another token endpoint: only the client secret goes.
    const token = await s.handlers['device-agent:save-settings']({ tokenUrl: 'https://sso.example.com/token' });
    expect(token.secretsCleared).toEqual(['clientSecret']);
    expect(vault.has('sharedKey')).toBe(true);
    // Another API server: the shared key goes.
    const moved = await s.handlers['device-agent:save-settings']({ apiUrl: 'https://licensing.example.com/api/v4/' });
    expect(moved.secretsCleared).toEqual(['sharedKey']);
    expect(moved.hasSharedKey).toBe(false);
  });
});

describe('the app\'s own update in the status and behind Restart to update', () => {
  const ready = { currentVersion: '1.0.0', state: 'ready' as const, version: '1.1.0', summary: 'Version 1.1.0 is downloaded and verified.', canRestart: true };

  it('puts the update into the status view, and so into the diagnostics export', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'da-diag-'));
    const s = services({
      updates: { view: () => ready, restartToUpdate: vi.fn() },
      autostart: { isEnabled: async () => false, setEnabled: async () => undefined },
      diagnostics: { dir, logFiles: () => [], appVersion: '1.0.0', platform: 'linux x64' },
    });
    expect((await s.statusView()).update).toEqual(ready);
    const { path } = await s.handlers['device-agent:export-diagnostics'](undefined);
    const text = await readFile(path, 'utf8');
    expect(text).toContain('"state": "ready"');
    expect(text).toContain('"summary": "Version 1.1.0 is downloaded and verified."');
    await rm(dir, { recursive: true, force: true });
  });

  it('asks for the install only when an update is ready', async () => {
    const restartToUpdate = vi.fn();
    let view: typeof ready | { currentVersion: string; state: 'idle'; summary: string; canRestart: false } = { currentVersion: '1.0.0', state: 'idle', summary: 'Up to date.', canRestart: false };
    const s = services({ updates: { view: () => view, restartToUpdate } });
    await expect(s.handlers['device-agent:restart-to-update'](undefined)).rejects.toThrow('No update is ready to install.');
    view = ready;
    expect(await s.handlers['device-agent:restart-to-update'](undefined)).toBeNull();
    expect(restartToUpdate).toHaveBeenCalledOnce();
  });
});
