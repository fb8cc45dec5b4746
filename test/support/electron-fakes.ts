// Small stand-ins for Electron pieces, shared by main/ unit tests.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { vi } from 'vitest';
import type { KeyValueStore, Logger, SafeStorageSeam } from '../../main/electron-seam.ts';

export function memoryStore(): KeyValueStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return { data, get: (k) => data.get(k), set: (k, v) => { data.set(k, v); }, delete: (k) => { data.delete(k); } };
}

export interface FakeSafeStorageOptions {
  backend?: ReturnType<SafeStorageSeam['getSelectedStorageBackend']>;
  available?: boolean;
  /** The version prefix Chromium puts on ciphertext: "v11" (Linux keyring), "v10" (Linux fixed key; DPAPI/Keychain elsewhere). */
  prefix?: 'v10' | 'v11';
  /** Every decryption fails with this message (e.g. Electron's "temporarily unavailable"). */
  decryptFailure?: string;
  /** Nothing answers (a keyring asking for its password) until release() is called. */
  hold?: boolean;
}

/** safeStorage with real AES-256-GCM under a per-instance key (as the OS keyring would hold it). */
export function aesSafeStorage(backend: ReturnType<SafeStorageSeam['getSelectedStorageBackend']> = 'gnome_libsecret', available = true, options: FakeSafeStorageOptions = {}): SafeStorageSeam & { release(): void } {
  const key = randomBytes(32);
  const prefix = Buffer.from(options.prefix ?? 'v11', 'latin1');
  let release = () => {};
  const held = options.hold ? new Promise<void>((resolve) => { release = resolve; }) : Promise.resolve();
  return {
    release: () => release(),
    isAsyncEncryptionAvailable: async () => { await held; return available; },
    getSelectedStorageBackend: () => backend,
    encryptStringAsync: async (plain) => {
      await held;
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([prefix, iv, c.getAuthTag(), body]);
    },
    decryptStringAsync: async (buf) => {
      await held;
      if (options.decryptFailure) throw new Error(options.decryptFailure);
      const d = createDecipheriv('aes-256-gcm', key, buf.subarray(3, 15));
      d.setAuthTag(buf.subarray(15, 31));
      return { result: Buffer.concat([d.update(buf.subarray(31)), d.final()]).toString('utf8'), shouldReEncrypt: false };
    },
  };
}

export function recordingLog(): Logger & { lines(): string } {
  const calls: unknown[][] = [];
  const rec = (...a: unknown[]) => { calls.push(a); };
  return { debug: vi.fn(rec), info: vi.fn(rec), warn: vi.fn(rec), error: vi.fn(rec), lines: () => calls.map((c) => c.map(String).join(' ')).join('\n') };
}
