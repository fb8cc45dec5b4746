// The shared key and the OAuth client secret, kept only as safeStorage
// ciphertext in the settings store. The renderer can set them; nothing here
// hands them back to it — reveal() is for building the engine's configuration.
//
// Each secret is bound to the servers it was entered for: the ciphertext holds
// the secret together with the origins (API, and token endpoint for the client
// secret), and reveal() gives it only for those origins. A changed server in
// settings.json (by hand, or an administrator's new apiUrl) cannot send a stored
// secret elsewhere; the window clears the bound secrets when a person changes
// the server (main/shell-services.ts).
//
// How well the OS protects them is found out for real, by encrypting a probe
// (what the asynchronous API Electron offers actually does, not which backend the
// synchronous one selected — on Linux they can differ): on Linux a "v10"
// ciphertext means Chromium's public fixed key (no keyring answered), and no
// secret is stored that way. The keyring may also not answer at all (asking for
// its password) or fail for this session; secrets stored before are then kept and
// tried again, never reported as missing.
import type { SecretName } from '../preload/contract.ts';
import type { KeyValueStore, Logger, SafeStorageSeam } from './electron-seam.ts';
import { UserFacingError } from '../app/errors/user-facing-error.ts';
import { PRODUCT_NAME } from '../app/branding/index.ts';

const storeKey = (name: SecretName) => `secrets.${name}`;

/** How long a call may wait for the keyring before the caller goes on without it (the call itself keeps waiting). */
export const KEYRING_WAIT_MS = 4000;

/** What protects a secret stored now. */
export type Protection =
  /** The OS's store: the keyring's key (Linux), DPAPI (Windows), the Keychain (macOS). */
  | 'keyring'
  /** Linux: only Chromium's built-in key, which anyone can use: no protection. */
  | 'fixed-key'
  /** No encryption at all. */
  | 'unavailable'
  /** The keyring has not answered (yet): it may be asking for its password. */
  | 'not-answering';

/** The origins (scheme://host:port) a secret is entered for and used with. */
export interface SecretBinding {
  apiUrl: string;
  tokenUrl: string;
}

/** Which of the origins each secret travels to: the shared key signs API requests; the client secret goes to the token endpoint and its token to the API. */
export const BOUND_TO: Readonly<Record<SecretName, readonly (keyof SecretBinding)[]>> = {
  sharedKey: ['apiUrl'],
  clientSecret: ['apiUrl', 'tokenUrl'],
};

/** The secrets whose servers differ between two bindings. */
export function secretsLeavingTheirServer(before: SecretBinding, after: SecretBinding): SecretName[] {
  return (Object.keys(BOUND_TO) as SecretName[]).filter((name) => BOUND_TO[name].some((k) => before[k] !== after[k]));
}

export type Revealed =
  | { state: 'none' }
  | { state: 'ok'; value: string }
  /** Stored for another server than the one configured now: not used. */
  | { state: 'other-server'; enteredFor: string }
  /** The keyring did not give its key (locked, failing, not answering): the secret is kept; try again. */
  | { state: 'keyring-unavailable' }
  /** Not decryptable with the keyring's key as it is now (the keyring was replaced): enter it again. */
  | { state: 'unreadable' };

export const FIXED_KEY_WARNING =
  `No system keyring answers on this computer, so a secret typed here could only be kept under Chromium's built-in key, which anyone who can read your files can undo: ${PRODUCT_NAME} does not store secrets that way. Install and unlock a keyring (GNOME Keyring or KWallet) and restart ${PRODUCT_NAME}, or ask your IT support to set the secret in the managed configuration.`;

const REFUSALS: Record<Exclude<Protection, 'keyring'>, string> = {
  'fixed-key': `not stored: no system keyring answers on this computer, so it could only be kept under a key anyone can undo. Install and unlock a keyring (GNOME Keyring or KWallet) and restart ${PRODUCT_NAME}, or ask your IT support to set it in the managed configuration.`,
  unavailable: 'not stored: this computer offers no secure storage for secrets. Ask your IT support to set it in the managed configuration.',
  'not-answering': 'not stored: the system keyring is not answering (it may be asking for its password). Unlock it, then save again.',
};

export interface SecretVault {
  /** Encrypts and stores a secret for these servers ('' clears it); refuses without real protection. */
  set(name: SecretName, value: string, binding: SecretBinding): Promise<void>;
  clear(name: SecretName): void;
  has(name: SecretName): boolean;
  /** The plaintext for the engine's configuration, if it was entered for these servers and the keyring answers. */
  reveal(name: SecretName, binding: SecretBinding): Promise<Revealed>;
  /** What protects a secret stored now (waits for the keyring at most `waitMs`). */
  protection(waitMs?: number): Promise<Protection>;
  /** Settles when the keyring first answers (or fails): a keyring asking for its password has been unlocked. */
  answered(): Promise<void>;
  /** A warning for the window when secrets cannot be stored safely, else undefined (from the last answer). */
  storageWarning(): string | undefined;
  /** Every plaintext this vault handled in this session (for the log's redaction). */
  knownValues(): string[];
}

type Settled<T> = { done: true; value: T } | { done: false };

/** The promise's outcome if it settles within `ms`; it goes on either way. */
async function within<T>(promise: Promise<T>, ms: number): Promise<Settled<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<Settled<T>>((resolve) => { timer = setTimeout(() => resolve({ done: false }), ms); });
  try {
    return await Promise.race([promise.then((value) => ({ done: true as const, value })), late]);
  } finally {
    clearTimeout(timer);
  }
}

interface Payload { v: 1; value: string; apiUrl: string; tokenUrl: string }

function parsePayload(text: string): Payload | undefined {
  try {
    const p = JSON.parse(text) as Partial<Payload>;
    return p.v === 1 && typeof p.value === 'string' && typeof p.apiUrl === 'string' && typeof p.tokenUrl === 'string' ? p as Payload : undefined;
  } catch {
    return undefined;
  }
}

const TEMPORARILY_UNAVAILABLE = /temporarily unavailable/i;

export function createSecretVault(safeStorage: SafeStorageSeam, store: KeyValueStore, platform: NodeJS.Platform, log: Logger, options: { waitMs?: number } = {}): SecretVault {
  const waitMs = options.waitMs ?? KEYRING_WAIT_MS;
  const known = new Set<string>();
  let probe: Promise<Protection> | undefined;
  let lastAnswer: Protection | undefined;

  const isFixedKey = (cipher: Buffer) => platform === 'linux' && cipher.subarray(0, 3).toString('latin1') === 'v10';

  const runProbe = async (): Promise<Protection> => {
    if (!(await safeStorage.isAsyncEncryptionAvailable())) return 'unavailable';
    return isFixedKey(await safeStorage.encryptStringAsync('device-agent keyring probe')) ? 'fixed-key' : 'keyring';
  };

  const ensureProbe = (): Promise<Protection> => {
    probe ??= runProbe().then((p) => {
      if (p !== lastAnswer) {
        const selected = platform === 'linux' ? ` (the synchronous API selected "${safeStorage.getSelectedStorageBackend()}")` : '';
        if (p === 'keyring') log.info(`secrets are protected by the system's secure storage${selected}`);
        else if (p === 'fixed-key') log.warn(`${FIXED_KEY_WARNING}${selected}`);
        else log.warn(`no secure storage for secrets on this computer${selected}`);
      }
      lastAnswer = p;
      return p;
    }, (error: unknown) => {
      log.warn(`the secure storage failed: ${error instanceof Error ? error.message : String(error)}`);
      probe = undefined; // asked again next time
      lastAnswer = 'unavailable';
      return 'unavailable' as const;
    });
    return probe;
  };

  const protection = async (wait = waitMs): Promise<Protection> => {
    const answer = await within(ensureProbe(), wait);
    return answer.done ? answer.value : 'not-answering';
  };

  const refuse = (name: SecretName, why: Exclude<Protection, 'keyring'>): never => {
    log.warn(`${name} not stored: ${why}`);
    throw new UserFacingError(name, `${name === 'sharedKey' ? 'Shared key' : 'Client secret'}: ${REFUSALS[why]}`);
  };

  const vault: SecretVault = {
    async set(name, value, binding) {
      if (value === '') {
        vault.clear(name);
        return;
      }
      const p = await protection();
      if (p !== 'keyring') refuse(name, p);
      const payload: Payload = { v: 1, value, apiUrl: binding.apiUrl, tokenUrl: binding.tokenUrl };
      const cipher = await within(safeStorage.encryptStringAsync(JSON.stringify(payload)), waitMs);
      if (!cipher.done) return refuse(name, 'not-answering');
      if (isFixedKey(cipher.value)) return refuse(name, 'fixed-key');
      store.set(storeKey(name), cipher.value.toString('base64'));
      known.add(value);
      log.info(`${name} stored (encrypted, for ${BOUND_TO[name].map((k) => binding[k]).join(' and ')})`);
    },
    clear(name) {
      if (!vault.has(name)) return;
      store.delete(storeKey(name));
      log.info(`${name} cleared`);
    },
    has(name) {
      const v = store.get(storeKey(name));
      return typeof v === 'string' && v !== '';
    },
    async reveal(name, binding) {
      const stored = store.get(storeKey(name));
      if (typeof stored !== 'string' || stored === '') return { state: 'none' };
      const cipher = Buffer.from(stored, 'base64');
      let plain: { result: string; shouldReEncrypt: boolean };
      try {
        const answer = await within(safeStorage.decryptStringAsync(cipher), waitMs);
        if (!answer.done) {
          log.warn(`${name}: the system keyring has not answered yet; the secret is kept`);
          return { state: 'keyring-unavailable' };
        }
        plain = answer.value;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        // Chromium says "temporarily unavailable" when the keyring gave no key; some
        // versions only say "Error while decrypting". Keyring ciphertext while no
        // keyring answers is the same case: kept, not lost.
        const keyringCipher = platform === 'linux' && cipher.subarray(0, 3).toString('latin1') === 'v11';
        if (TEMPORARILY_UNAVAILABLE.test(message) || (keyringCipher && await protection() !== 'keyring')) {
          log.warn(`${name}: the system keyring did not give its key (${message}); the secret is kept`);
          return { state: 'keyring-unavailable' };
        }
        log.warn(`${name} could not be decrypted (the keyring was replaced?); it must be entered again`);
        return { state: 'unreadable' };
      }
      const payload = parsePayload(plain.result);
      if (!payload) {
        log.warn(`${name} is not in the form this version stores; it must be entered again`);
        return { state: 'unreadable' };
      }
      known.add(payload.value);
      const elsewhere = BOUND_TO[name].find((k) => payload[k] !== binding[k]);
      if (elsewhere) {
        log.warn(`${name} was entered for ${payload[elsewhere]}, not ${binding[elsewhere]}: not used`);
        return { state: 'other-server', enteredFor: payload[elsewhere] };
      }
      if (plain.shouldReEncrypt && await protection(0) === 'keyring') {
        // Stored under a weaker key (e.g. before a keyring was installed): move it under the keyring's.
        await vault.set(name, payload.value, binding).catch(() => undefined);
      }
      return { state: 'ok', value: payload.value };
    },
    protection,
    answered: () => ensureProbe().then(() => undefined),
    storageWarning() {
      return lastAnswer === 'fixed-key' ? FIXED_KEY_WARNING : lastAnswer === 'unavailable' ? `${REFUSALS.unavailable.replace(/^not stored: /, 'Secrets cannot be stored here: ')}` : undefined;
    },
    knownValues: () => [...known],
  };
  return vault;
}
