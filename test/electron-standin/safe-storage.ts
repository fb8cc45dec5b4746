// safeStorage as Electron 45 behaves on Linux (shell/browser/api/
// electron_api_safe_storage.cc, browser_process_impl.cc, electron_browser_main_parts.cc):
// - the backend is *selected* at start-up from the desktop environment, so
//   getSelectedStorageBackend() says 'unknown' before ready and the selection
//   right after; it names the selection, not whether the keyring answers;
// - the synchronous API needs the keyring's ("v11") key: on basic_text it is
//   unavailable unless setUsePlainTextEncryption(true);
// - the asynchronous API (OSCryptAsync) falls back to Chromium's fixed-key
//   provider ("v10", precedence 5 below the keyring's 10): it is available on
//   basic_text too and encrypts with the fixed key there;
// - a keyring that is selected but does not answer ('unavailable' here) cannot
//   decrypt keyring ciphertext: decryptStringAsync says "temporarily unavailable".
// The backend comes from ELECTRON_STANDIN_SAFE_STORAGE (options.ts).
import type { SafeStorage as ElectronSafeStorage } from 'electron';
import { app } from './app.ts';
import type { OnlyElectronKeys } from './exact.ts';
import { decrypt, deriveKey, encrypt, keyringPassword, V10, V10_KEY, V11 } from './os-crypt.ts';
import { runtime } from './runtime.ts';

type SafeStorageMembers =
  | 'decryptString' | 'decryptStringAsync' | 'encryptString' | 'encryptStringAsync' | 'getSelectedStorageBackend'
  | 'isAsyncEncryptionAvailable' | 'isEncryptionAvailable' | 'setUsePlainTextEncryption';

const NOT_READY = 'safeStorage cannot be used before app is ready';

class StandinSafeStorage implements Pick<ElectronSafeStorage, SafeStorageMembers> {
  #usePasswordV10 = false;
  #keyringKey: Buffer | undefined;

  #backend() { return runtime.options.safeStorageBackend; }

  /** The keyring's key, when a keyring is selected and answers. */
  #v11Key(): Buffer | undefined {
    if (this.#backend() !== 'gnome_libsecret') return undefined;
    this.#keyringKey ??= deriveKey(keyringPassword(runtime.options.keyringDir, app.getName()));
    return this.#keyringKey;
  }

  isEncryptionAvailable(): boolean {
    if (!runtime.ready) return false;
    return this.#v11Key() !== undefined || (this.#usePasswordV10 && this.#backend() === 'basic_text');
  }

  setUsePlainTextEncryption(usePlainText: boolean): void {
    this.#usePasswordV10 = usePlainText;
  }

  getSelectedStorageBackend(): ReturnType<ElectronSafeStorage['getSelectedStorageBackend']> {
    if (!runtime.ready) return 'unknown';
    return this.#backend() === 'basic_text' ? 'basic_text' : 'gnome_libsecret';
  }

  encryptString(plainText: string): Buffer {
    if (!this.isEncryptionAvailable()) {
      if (!runtime.ready) throw new Error(NOT_READY);
      throw new Error('Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.');
    }
    const key = this.#v11Key();
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
    const key = prefix === V10 ? V10_KEY : this.#v11Key();
    const plain = key ? decrypt(key, encrypted) : undefined;
    if (plain === undefined) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return plain;
  }

  async isAsyncEncryptionAvailable(): Promise<boolean> {
    // Not ready: false. Otherwise OSCryptAsync always has at least the fixed-key provider on Linux.
    return runtime.ready;
  }

  async encryptStringAsync(plainText: string): Promise<Buffer> {
    if (!runtime.ready) throw new Error(NOT_READY);
    const key = this.#v11Key();
    return key ? encrypt(V11, key, plainText) : encrypt(V10, V10_KEY, plainText);
  }

  async decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }> {
    if (!runtime.ready) throw new Error(NOT_READY);
    if (!Buffer.isBuffer(encrypted)) throw new Error('Expected the first argument of decryptStringAsync() to be a buffer');
    if (encrypted.length === 0) return { shouldReEncrypt: false, result: '' };
    const prefix = encrypted.subarray(0, 3).toString('latin1');
    const failed = 'Error while decrypting the ciphertext provided to safeStorage.decryptStringAsync.';
    if (prefix === V10) {
      const result = decrypt(V10_KEY, encrypted);
      if (result === undefined) throw new Error(failed);
      // A better key (the keyring's) exists: the data should be encrypted again with it.
      return { shouldReEncrypt: this.#v11Key() !== undefined, result };
    }
    if (prefix === V11) {
      if (this.#backend() === 'unavailable') throw new Error('safeStorage.decryptStringAsync is temporarily unavailable. Please try again.');
      const key = this.#v11Key();
      const result = key ? decrypt(key, encrypted) : undefined;
      if (result === undefined) throw new Error(failed);
      return { shouldReEncrypt: false, result };
    }
    throw new Error(failed);
  }
}

const exact: OnlyElectronKeys<StandinSafeStorage, ElectronSafeStorage> = true;
void exact;

export const safeStorage = new StandinSafeStorage();
