// Small stand-ins for Electron pieces, shared by main/ unit tests.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { vi } from 'vitest';
import type { KeyValueStore, Logger, SafeStorageSeam } from './electron-seam.ts';

export function memoryStore(): KeyValueStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return { data, get: (k) => data.get(k), set: (k, v) => { data.set(k, v); }, delete: (k) => { data.delete(k); } };
}

/** safeStorage with real AES-256-GCM under a per-instance key (as the OS keyring would hold it). */
export function aesSafeStorage(backend: ReturnType<SafeStorageSeam['getSelectedStorageBackend']> = 'gnome_libsecret', available = true): SafeStorageSeam {
  const key = randomBytes(32);
  return {
    isAsyncEncryptionAvailable: async () => available,
    getSelectedStorageBackend: () => backend,
    encryptStringAsync: async (plain) => {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decryptStringAsync: async (buf) => {
      const d = createDecipheriv('aes-256-gcm', key, buf.subarray(0, 12));
      d.setAuthTag(buf.subarray(12, 28));
      return { result: Buffer.concat([d.update(buf.subarray(28)), d.final()]).toString('utf8'), shouldReEncrypt: false };
    },
  };
}

export function recordingLog(): Logger & { lines(): string } {
  const calls: unknown[][] = [];
  const rec = (...a: unknown[]) => { calls.push(a); };
  return { debug: vi.fn(rec), info: vi.fn(rec), warn: vi.fn(rec), error: vi.fn(rec), lines: () => calls.map((c) => c.map(String).join(' ')).join('\n') };
}
