import { describe, expect, it } from 'vitest';
import { createSecretVault, FIXED_KEY_WARNING, secretsLeavingTheirServer, type SecretBinding } from './secrets.ts';
import { settingsView } from './settings-model.ts';
import { aesSafeStorage, memoryStore, recordingLog } from '../test/support/electron-fakes.ts';

const SECRET = 'sk_live_Distinctive-Shared-Key-9f3a';
const HOME: SecretBinding = { apiUrl: 'https://api.licensespring.com', tokenUrl: 'https://auth.licensespring.com' };
const FAST = { waitMs: 50 };

describe('secret vault', () => {
  it('stores only ciphertext, reveals it to the shell, and the settings view carries only "is set"', async () => {
    const store = memoryStore();
    const log = recordingLog();
    const vault = createSecretVault(aesSafeStorage(), store, 'linux', log);
    expect(vault.has('sharedKey')).toBe(false);
    await vault.set('sharedKey', SECRET, HOME);
    const stored = JSON.stringify([...store.data]);
    expect(stored).not.toContain(SECRET);
    expect(stored).not.toContain(Buffer.from(SECRET).toString('base64'));
    expect(vault.has('sharedKey')).toBe(true);
    expect(await vault.reveal('sharedKey', HOME)).toEqual({ state: 'ok', value: SECRET });
    const view = settingsView({ user: {}, managed: {}, hasSharedKey: vault.has('sharedKey'), hasClientSecret: vault.has('clientSecret'), startAtLogin: false });
    expect(view.hasSharedKey).toBe(true);
    expect(JSON.stringify(view)).not.toContain(SECRET);
    expect(log.lines()).not.toContain(SECRET);
    expect(vault.knownValues()).toEqual([SECRET]);
  });

  it('clears a secret with an empty value', async () => {
    const vault = createSecretVault(aesSafeStorage(), memoryStore(), 'linux', recordingLog());
    await vault.set('clientSecret', 'abc123456', HOME);
    await vault.set('clientSecret', '', HOME);
    expect(vault.has('clientSecret')).toBe(false);
    expect(await vault.reveal('clientSecret', HOME)).toEqual({ state: 'none' });
  });

  it('refuses to store when no encryption is available, naming the field', async () => {
    const vault = createSecretVault(aesSafeStorage('basic_text', false), memoryStore(), 'linux', recordingLog());
    await expect(vault.set('sharedKey', SECRET, HOME)).rejects.toMatchObject({ field: 'sharedKey', message: expect.stringMatching(/^Shared key: not stored/) });
  });

  it('on Linux refuses Chromium\'s fixed key (a "v10" ciphertext: no keyring answered) and says so, whatever backend the sync API selected', async () => {
    const store = memoryStore();
    const log = recordingLog();
    const vault = createSecretVault(aesSafeStorage('gnome_libsecret', true, { prefix: 'v10' }), store, 'linux', log);
    await expect(vault.set('sharedKey', SECRET, HOME)).rejects.toMatchObject({ field: 'sharedKey', message: expect.stringMatching(/^Shared key: not stored: no system keyring answers/) });
    expect(store.data.size).toBe(0);
    expect(vault.storageWarning()).toBe(FIXED_KEY_WARNING);
    expect(log.lines()).toContain('No system keyring answers');
  });

  it('finds the protection by what encryption does, not by the backend name: basic_text with a keyring answering (v11) is protected', async () => {
    const vault = createSecretVault(aesSafeStorage('basic_text', true, { prefix: 'v11' }), memoryStore(), 'linux', recordingLog());
    expect(await vault.protection()).toBe('keyring');
    await vault.set('sharedKey', SECRET, HOME);
    expect(vault.storageWarning()).toBeUndefined();
  });

  it('"v10" is the normal prefix on Windows and macOS (DPAPI, Keychain): stored there', async () => {
    for (const platform of ['win32', 'darwin'] as const) {
      const vault = createSecretVault(aesSafeStorage('unknown', true, { prefix: 'v10' }), memoryStore(), platform, recordingLog());
      await vault.set('sharedKey', SECRET, HOME);
      expect(vault.storageWarning()).toBeUndefined();
    }
  });

  it('says "unreadable" (enter it again) when the keyring was replaced under the ciphertext', async () => {
    const store = memoryStore();
    await createSecretVault(aesSafeStorage(), store, 'linux', recordingLog()).set('sharedKey', SECRET, HOME);
    const log = recordingLog();
    const other = createSecretVault(aesSafeStorage(), store, 'linux', log);
    expect(await other.reveal('sharedKey', HOME)).toEqual({ state: 'unreadable' });
    expect(log.lines()).toContain('could not be decrypted');
  });

  it('a keyring that is "temporarily unavailable" keeps the secret: nothing is deleted, the caller is told to try again', async () => {
    const store = memoryStore();
    await createSecretVault(aesSafeStorage(), store, 'linux', recordingLog()).set('sharedKey', SECRET, HOME);
    const before = JSON.stringify([...store.data]);
    const failing = aesSafeStorage('gnome_libsecret', true, { prefix: 'v10', decryptFailure: 'safeStorage.decryptStringAsync is temporarily unavailable. Please try again.' });
    const vault = createSecretVault(failing, store, 'linux', recordingLog());
    expect(await vault.reveal('sharedKey', HOME)).toEqual({ state: 'keyring-unavailable' });
    expect(vault.has('sharedKey')).toBe(true);
    expect(JSON.stringify([...store.data])).toBe(before);
  });

  it('keyring ciphertext with only "Error while decrypting" while no keyring answers (other Chromium versions) is kept too', async () => {
    const store = memoryStore();
    await createSecretVault(aesSafeStorage(), store, 'linux', recordingLog()).set('sharedKey', SECRET, HOME);
    const failing = aesSafeStorage('gnome_libsecret', true, { prefix: 'v10', decryptFailure: 'Error while decrypting the ciphertext provided to safeStorage.decryptStringAsync.' });
    expect(await createSecretVault(failing, store, 'linux', recordingLog()).reveal('sharedKey', HOME)).toEqual({ state: 'keyring-unavailable' });
  });

  it('a keyring that does not answer (asking for its password): the caller goes on after the wait; answered() settles once it answers', async () => {
    const store = memoryStore();
    await createSecretVault(aesSafeStorage(), store, 'linux', recordingLog()).set('sharedKey', SECRET, HOME);
    const held = aesSafeStorage('gnome_libsecret', true, { hold: true });
    const vault = createSecretVault(held, store, 'linux', recordingLog(), FAST);
    expect(await vault.reveal('sharedKey', HOME)).toEqual({ state: 'keyring-unavailable' });
    expect(await vault.protection(0)).toBe('not-answering');
    await expect(vault.set('sharedKey', 'another-secret-1234', HOME)).rejects.toMatchObject({ message: expect.stringMatching(/not answering/) });
    let answered = false;
    void vault.answered().then(() => { answered = true; });
    await new Promise((r) => setTimeout(r, 20));
    expect(answered).toBe(false);
    held.release();
    await vault.answered();
    expect(await vault.protection(0)).toBe('keyring');
  });

  it('binds a secret to the servers it was entered for: another API server gets nothing', async () => {
    const vault = createSecretVault(aesSafeStorage(), memoryStore(), 'linux', recordingLog());
    await vault.set('sharedKey', SECRET, HOME);
    expect(await vault.reveal('sharedKey', { ...HOME, apiUrl: 'https://attacker.example' })).toEqual({ state: 'other-server', enteredFor: 'https://api.licensespring.com' });
    // The shared key never goes to the token endpoint: its origin does not matter.
    expect(await vault.reveal('sharedKey', { ...HOME, tokenUrl: 'https://elsewhere.example' })).toEqual({ state: 'ok', value: SECRET });
    await vault.set('clientSecret', 'client-secret-5678', HOME);
    expect(await vault.reveal('clientSecret', { ...HOME, tokenUrl: 'https://attacker.example' })).toMatchObject({ state: 'other-server' });
    expect(await vault.reveal('clientSecret', { ...HOME, apiUrl: 'https://attacker.example' })).toMatchObject({ state: 'other-server' });
  });

  it('names the secrets a change of server takes away from their server', () => {
    expect(secretsLeavingTheirServer(HOME, HOME)).toEqual([]);
    expect(secretsLeavingTheirServer(HOME, { ...HOME, apiUrl: 'https://x.example' })).toEqual(['sharedKey', 'clientSecret']);
    expect(secretsLeavingTheirServer(HOME, { ...HOME, tokenUrl: 'https://x.example' })).toEqual(['clientSecret']);
  });
});

describe('secret vault: what it stores and says', () => {
  it('keeps each secret under its own key, logs the name (never the value) when set and cleared', async () => {
    const store = memoryStore();
    const log = recordingLog();
    const vault = createSecretVault(aesSafeStorage(), store, 'linux', log);
    await vault.set('sharedKey', SECRET, HOME);
    expect([...store.data.keys()]).toEqual(['secrets.sharedKey']);
    expect(vault.has('clientSecret')).toBe(false);
    await vault.set('sharedKey', '', HOME);
    expect([...store.data.keys()]).toEqual([]);
    expect(log.lines()).not.toContain(SECRET);
    expect(log.lines()).toContain(`sharedKey stored (encrypted, for ${HOME.apiUrl})`);
    expect(log.lines().split('\n').at(-1)).toBe('sharedKey cleared');
  });

  it('says what to do when there is no secure storage', async () => {
    const vault = createSecretVault(aesSafeStorage('basic_text', false), memoryStore(), 'linux', recordingLog());
    await expect(vault.set('clientSecret', SECRET, HOME)).rejects.toMatchObject({ field: 'clientSecret', message: expect.stringContaining('managed configuration') });
  });

  it('treats a hand-edited store holding no text, or empty text, as no secret', async () => {
    for (const value of ['', 42, null, { x: 1 }]) {
      const store = memoryStore();
      store.set('secrets.sharedKey', value);
      const vault = createSecretVault(aesSafeStorage(), store, 'linux', recordingLog());
      expect(vault.has('sharedKey')).toBe(false);
      expect(await vault.reveal('sharedKey', HOME)).toEqual({ state: 'none' });
    }
  });
});
