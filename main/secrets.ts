// The shared key and the OAuth client secret, kept only as safeStorage
// ciphertext in the settings store. The renderer can set them; nothing here
// hands them back to it — reveal() is for building the engine's configuration.
import type { SecretName } from '../preload/contract.ts';
import type { KeyValueStore, Logger, SafeStorageSeam } from './electron-seam.ts';
import { UserFacingError } from './ipc-handlers.ts';

const storeKey = (name: SecretName) => `secrets.${name}`;

export const BASIC_TEXT_WARNING =
  'No system keyring was found, so secrets are stored with a fixed key (Linux "basic_text" backend). Install and unlock a keyring (GNOME Keyring or KWallet), or prefer OAuth client credentials.';

export interface SecretVault {
  set(name: SecretName, value: string): Promise<void>;
  has(name: SecretName): boolean;
  /** The plaintext, for the engine's configuration only. */
  reveal(name: SecretName): Promise<string | undefined>;
  /** A warning when the OS store is weak (Linux basic_text), else undefined. */
  storageWarning(): string | undefined;
}

export function createSecretVault(safeStorage: SafeStorageSeam, store: KeyValueStore, platform: NodeJS.Platform, log: Logger): SecretVault {
  return {
    async set(name, value) {
      if (value === '') {
        store.delete(storeKey(name));
        log.info(`${name} cleared`);
        return;
      }
      if (!(await safeStorage.isAsyncEncryptionAvailable())) {
        throw new UserFacingError('value', 'This computer offers no secure storage for secrets; put the secret in the managed configuration instead.');
      }
      const cipher = await safeStorage.encryptStringAsync(value);
      store.set(storeKey(name), cipher.toString('base64'));
      log.info(`${name} stored (encrypted)`);
    },
    has(name) {
      const v = store.get(storeKey(name));
      return typeof v === 'string' && v !== '';
    },
    async reveal(name) {
      const v = store.get(storeKey(name));
      if (typeof v !== 'string' || v === '') return undefined;
      try {
        const { result } = await safeStorage.decryptStringAsync(Buffer.from(v, 'base64'));
        return result;
      } catch {
        log.warn(`${name} could not be decrypted (keyring changed?); enter it again`);
        return undefined;
      }
    },
    storageWarning() {
      if (platform !== 'linux') return undefined;
      return safeStorage.getSelectedStorageBackend() === 'basic_text' ? BASIC_TEXT_WARNING : undefined;
    },
  };
}
