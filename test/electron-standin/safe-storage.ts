// safeStorage as Electron 45 behaves on Linux (shell/browser/api/
// electron_api_safe_storage.cc, browser_process_impl.cc, electron_browser_main_parts.cc,
// and Chromium's os_crypt: the sync backend's key_storage_util_linux.cc as Electron
// keeps it, the async FreedesktopSecretKeyProvider, PosixKeyProvider, Encryptor):
// - the sync backend is *selected* at start-up from the desktop environment
//   (GNOME & co → gnome_libsecret; a desktop Chromium does not know → basic_text),
//   so getSelectedStorageBackend() says 'unknown' before ready and the selection
//   right after. It names the sync API's selection, not whether a keyring answers;
// - the synchronous API needs the keyring's ("v11") key: on basic_text it is
//   unavailable unless setUsePlainTextEncryption(true);
// - the asynchronous API (OSCryptAsync, what the app uses) asks its providers once
//   per process, in precedence order: the Secret Service (also tried on a desktop
//   the sync selection calls basic_text) and, below it, the fixed-key provider
//   ("v10", the public password "peanuts"). Its encryptor is the best one that
//   answered: v11 with a keyring, else v10 — available either way;
// - keyring ("v11") ciphertext without the keyring's key: "temporarily unavailable";
// - a keyring that asks for its password: every async call waits for the answer
//   (Electron queues them until OSCryptAsync hands over its encryptor).
// The machine comes from ELECTRON_STANDIN_SAFE_STORAGE (options.ts).
import type { SafeStorage as ElectronSafeStorage } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app } from './app.ts';
import type { OnlyElectronKeys } from './exact.ts';
import { KEYRING_UNLOCKED_FILE } from './options.ts';
import { decrypt, deriveKey, encrypt, keyringPassword, V10, V10_KEY, V11 } from './os-crypt.ts';
import { runtime } from './runtime.ts';

type SafeStorageMembers =
  | 'decryptString' | 'decryptStringAsync' | 'encryptString' | 'encryptStringAsync' | 'getSelectedStorageBackend'
  | 'isAsyncEncryptionAvailable' | 'isEncryptionAvailable' | 'setUsePlainTextEncryption';

const NOT_READY = 'safeStorage cannot be used before app is ready';

/** The async encryptor: the keyring's key when the Secret Service answered. */
interface AsyncEncryptor { v11Key: Buffer | undefined }

class StandinSafeStorage implements Pick<ElectronSafeStorage, SafeStorageMembers> {
  #usePasswordV10 = false;
  #keyringKey: Buffer | undefined;
  #encryptor: Promise<AsyncEncryptor> | undefined;

  #machine() { return runtime.options.safeStorageBackend; }

  #keyringPassword(): Buffer {
    this.#keyringKey ??= deriveKey(keyringPassword(runtime.options.keyringDir, app.getName()));
    return this.#keyringKey;
  }

  #unlocked(): boolean {
    return existsSync(join(runtime.options.keyringDir, KEYRING_UNLOCKED_FILE));
  }

  /** The sync API's keyring key (libsecret answers synchronously, or not at all). */
  #syncV11Key(): Buffer | undefined {
    const machine = this.#machine();
    if (machine === 'gnome_libsecret' || (machine === 'locked' && this.#unlocked())) return this.#keyringPassword();
    return undefined;
  }

  /** OSCryptAsync's instance, requested once (EnsureAsyncEncryptorRequested). */
  #asyncEncryptor(): Promise<AsyncEncryptor> {
    this.#encryptor ??= (async () => {
      switch (this.#machine()) {
        case 'gnome_libsecret':
        case 'basic_text_secret_service':
          return { v11Key: this.#keyringPassword() };
        case 'locked':
          // The unlock prompt waits for the person; nothing answers meanwhile.
          while (!this.#unlocked()) await new Promise((r) => setTimeout(r, 100).unref());
          return { v11Key: this.#keyringPassword() };
        default:
          return { v11Key: undefined };
      }
    })();
    return this.#encryptor;
  }

  isEncryptionAvailable(): boolean {
    if (!runtime.ready) return false;
    return this.#syncV11Key() !== undefined || (this.#usePasswordV10 && this.getSelectedStorageBackend() === 'basic_text');
  }

  setUsePlainTextEncryption(usePlainText: boolean): void {
    this.#usePasswordV10 = usePlainText;
  }

  getSelectedStorageBackend(): ReturnType<ElectronSafeStorage['getSelectedStorageBackend']> {
    if (!runtime.ready) return 'unknown';
    const machine = this.#machine();
    return machine === 'basic_text' || machine === 'basic_text_secret_service' ? 'basic_text' : 'gnome_libsecret';
  }

  encryptString(plainText: string): Buffer {
    if (!this.isEncryptionAvailable()) {
      if (!runtime.ready) throw new Error(NOT_READY);
      throw new Error('Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.');
    }
    const key = this.#syncV11Key();
    return key ? encrypt(V11, key, plainText) : encrypt(V10, V10_KEY, plainText);
  }

  decryptString(encrypted: Buffer): string {
    if (!this.isEncryptionAvailable()) {
      if (!runtime.ready) throw new Error(NOT_READY);
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString. Decryption is not available.');
    }
    if (!Buffer.isBuffer(encrypted)) throw new Error('Expected the first argument of decryptString() to be a buffer');
    if (encrypted.length === 0) return '';
    const prefix = encrypted.subarray(0, 3).toString('latin1');
    if (prefix !== V10 && prefix !== V11) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString. Ciphertext does not appear to be encrypted.');
    const key = prefix === V10 ? V10_KEY : this.#syncV11Key();
    const plain = key ? decrypt(key, encrypted) : undefined;
    if (plain === undefined) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return plain;
  }

  async isAsyncEncryptionAvailable(): Promise<boolean> {
    if (!runtime.ready) return false;
    // OSCryptAsync always ends with at least the fixed-key provider on Linux.
    await this.#asyncEncryptor();
    return true;
  }

  async encryptStringAsync(plainText: string): Promise<Buffer> {
    if (!runtime.ready) throw new Error(NOT_READY);
    const { v11Key } = await this.#asyncEncryptor();
    return v11Key ? encrypt(V11, v11Key, plainText) : encrypt(V10, V10_KEY, plainText);
  }

  async decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }> {
    if (!runtime.ready) throw new Error(NOT_READY);
    if (!Buffer.isBuffer(encrypted)) throw new Error('Expected the first argument of decryptStringAsync() to be a buffer');
    if (encrypted.length === 0) return { shouldReEncrypt: false, result: '' };
    const { v11Key } = await this.#asyncEncryptor();
    const prefix = encrypted.subarray(0, 3).toString('latin1');
    const failed = 'Error while decrypting the ciphertext provided to safeStorage.decryptStringAsync.';
    if (prefix === V10) {
      const result = decrypt(V10_KEY, encrypted);
      if (result === undefined) throw new Error(failed);
      // A better key (the keyring's) exists: the data should be encrypted again with it.
      return { shouldReEncrypt: v11Key !== undefined, result };
    }
    if (prefix === V11) {
      // The keyring's provider did not answer with a key: Encryptor marks the data
      // temporarily unavailable (and the sync fallback has no key either).
      if (!v11Key) throw new Error('safeStorage.decryptStringAsync is temporarily unavailable. Please try again.');
      const result = decrypt(v11Key, encrypted);
      if (result === undefined) throw new Error(failed);
      return { shouldReEncrypt: false, result };
    }
    throw new Error(failed);
  }
}

const exact: OnlyElectronKeys<StandinSafeStorage, ElectronSafeStorage> = true;
void exact;

export const safeStorage = new StandinSafeStorage();
