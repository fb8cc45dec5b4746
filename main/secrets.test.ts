import { describe, expect, it } from 'vitest';
import { BASIC_TEXT_WARNING, createSecretVault } from './secrets.ts';
import { aesSafeStorage, memoryStore, recordingLog } from './test-fakes.ts';
import { settingsView } from './settings-model.ts';

const SECRET = 'sk_live_Distinctive-Shared-Key-9f3a';

describe('secret vault', () => {
  it('stores only ciphertext, reveals it to the shell, and the settings view carries only "is set"', async () => {
    const store = memoryStore();
    const log = recordingLog();
    const vault = createSecretVault(aesSafeStorage(), store, 'linux', log);
    expect(vault.has('sharedKey')).toBe(false);
    await vault.set('sharedKey', SECRET);
    const stored = JSON.stringify([...store.data]);
    expect(stored).not.toContain(SECRET);
    expect(stored).not.toContain(Buffer.from(SECRET).toString('base64'));
    expect(vault.has('sharedKey')).toBe(true);
    expect(await vault.reveal('sharedKey')).toBe(SECRET);
    const view = settingsView({ user: {}, managed: {}, hasSharedKey: vault.has('sharedKey'), hasClientSecret: vault.has('clientSecret'), startAtLogin: false });
    expect(view.hasSharedKey).toBe(true);
    expect(JSON.stringify(view)).not.toContain(SECRET);
    expect(log.lines()).not.toContain(SECRET);
  });

  it('clears a secret with an empty value', async () => {
    const vault = createSecretVault(aesSafeStorage(), memoryStore(), 'linux', recordingLog());
    await vault.set('clientSecret', 'abc123456');
    await vault.set('clientSecret', '');
    expect(vault.has('clientSecret')).toBe(false);
    expect(await vault.reveal('clientSecret')).toBeUndefined();
  });

  it('refuses to store when no encryption is available, naming the field', async () => {
    const vault = createSecretVault(aesSafeStorage('basic_text', false), memoryStore(), 'linux', recordingLog());
    await expect(vault.set('sharedKey', SECRET)).rejects.toMatchObject({ field: 'value' });
  });

  it('gives nothing (and a log line) when the keyring changed under the ciphertext', async () => {
    const store = memoryStore();
    await createSecretVault(aesSafeStorage(), store, 'linux', recordingLog()).set('sharedKey', SECRET);
    const log = recordingLog();
    const other = createSecretVault(aesSafeStorage(), store, 'linux', log);
    expect(await other.reveal('sharedKey')).toBeUndefined();
    expect(log.lines()).toContain('could not be decrypted');
  });

  it('warns about the basic_text backend on Linux only', () => {
    expect(createSecretVault(aesSafeStorage('basic_text'), memoryStore(), 'linux', recordingLog()).storageWarning()).toBe(BASIC_TEXT_WARNING);
    expect(createSecretVault(aesSafeStorage('gnome_libsecret'), memoryStore(), 'linux', recordingLog()).storageWarning()).toBeUndefined();
    expect(createSecretVault(aesSafeStorage('basic_text'), memoryStore(), 'win32', recordingLog()).storageWarning()).toBeUndefined();
  });
});

describe('secret vault: what it stores and says', () => {
  it('keeps each secret under its own key, logs the name (never the value) when set and cleared', async () => {
    const store = memoryStore();
    const log = recordingLog();
    const vault = createSecretVault(aesSafeStorage(), store, 'linux', log);
    await vault.set('sharedKey', SECRET);
    expect([...store.data.keys()]).toEqual(['secrets.sharedKey']);
    expect(vault.has('clientSecret')).toBe(false);
    await vault.set('sharedKey', '');
    expect([...store.data.keys()]).toEqual([]);
    expect(log.lines()).toBe('sharedKey stored (encrypted)\nsharedKey cleared');
  });

  it('says what to do when there is no secure storage', async () => {
    const vault = createSecretVault(aesSafeStorage('basic_text', false), memoryStore(), 'linux', recordingLog());
    await expect(vault.set('clientSecret', SECRET)).rejects.toMatchObject({ field: 'value', message: 'This computer offers no secure storage for secrets; put the secret in the managed configuration instead.' });
  });

  it('treats a hand-edited store holding no text, or empty text, as no secret', async () => {
    for (const value of ['', 42, null, { x: 1 }]) {
      const store = memoryStore();
      store.set('secrets.sharedKey', value);
      const vault = createSecretVault(aesSafeStorage(), store, 'linux', recordingLog());
      expect(vault.has('sharedKey')).toBe(false);
      expect(await vault.reveal('sharedKey')).toBeUndefined();
    }
  });
});
