// Chromium's OSCrypt on Linux, the format safeStorage produces: AES-128-CBC
// with a 16-space IV and PKCS#7 padding, under a key derived with PBKDF2-SHA1
// (salt "saltysalt", 1 iteration, 16 bytes) from a password; the ciphertext is
// prefixed with the key's version. "v10": the fixed password "peanuts" (no
// keyring, basic_text); "v11": a random password kept in the keyring
// (gnome-libsecret). Real encryption: a test can decrypt what the app stored
// only with the right key, and a wrong key fails.
import { createCipheriv, createDecipheriv, pbkdf2Sync, randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const IV = Buffer.alloc(16, 0x20);
export const V10 = 'v10';
export const V11 = 'v11';

export function deriveKey(password: string): Buffer {
  return pbkdf2Sync(password, 'saltysalt', 1, 16, 'sha1');
}

export const V10_KEY = deriveKey('peanuts');

export function encrypt(version: string, key: Buffer, plaintext: string): Buffer {
  const cipher = createCipheriv('aes-128-cbc', key, IV);
  return Buffer.concat([Buffer.from(version, 'latin1'), cipher.update(plaintext, 'utf8'), cipher.final()]);
}

/** The plaintext, or undefined when the key is wrong or the data damaged. */
export function decrypt(key: Buffer, ciphertext: Buffer): string | undefined {
  try {
    const decipher = createDecipheriv('aes-128-cbc', key, IV);
    return Buffer.concat([decipher.update(ciphertext.subarray(3)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/**
 * The keyring's "<app name> Safe Storage" secret: a random password created on
 * first use, like Chromium's libsecret key storage. A file stands in for the
 * keyring daemon (mode 0600, outside the app's user-data folder).
 */
export function keyringPassword(keyringDir: string, appName: string): string {
  const file = join(keyringDir, `${appName.replace(/[/\\]/g, '_')} Safe Storage`);
  try {
    return readFileSync(file, 'utf8');
  } catch {
    mkdirSync(keyringDir, { recursive: true, mode: 0o700 });
    const password = randomBytes(16).toString('base64');
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, password, { mode: 0o600 });
    chmodSync(temp, 0o600);
    try {
      linkSync(temp, file); // atomic: the first process to create it wins
    } catch {
      /* another process created it first: use theirs */
    } finally {
      rmSync(temp, { force: true });
    }
    return readFileSync(file, 'utf8');
  }
}
