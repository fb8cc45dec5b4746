// app.requestSingleInstanceLock across real processes, the way Chromium's
// ProcessSingleton does it on Linux: a `SingletonLock` symlink in the user-data
// folder pointing at "<host>-<pid>", taken atomically; a lock whose process is
// gone is stale and taken over. Chromium hands the second instance's command
// line over a unix socket; the stand-in drops it as a file in
// `SingletonMessages/` (synchronously, so the call can stay synchronous like
// Electron's) and the first instance picks it up once it is ready.
import { mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, unlinkSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export interface SecondInstanceMessage {
  argv: string[];
  workingDirectory: string;
  additionalData: unknown;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class SingleInstanceLock {
  readonly #lockPath: string;
  readonly #messages: string;
  readonly #target: string;
  #watcher: FSWatcher | undefined;
  #poll: ReturnType<typeof setInterval> | undefined;

  private constructor(userData: string) {
    this.#lockPath = join(userData, 'SingletonLock');
    this.#messages = join(userData, 'SingletonMessages');
    this.#target = `${hostname()}-${process.pid}`;
  }

  /** The lock, or undefined after notifying the instance that holds it. */
  static acquire(userData: string, message: SecondInstanceMessage): SingleInstanceLock | undefined {
    mkdirSync(userData, { recursive: true });
    const lock = new SingleInstanceLock(userData);
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        symlinkSync(lock.#target, lock.#lockPath);
        return lock;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      let owner: string;
      try {
        owner = readlinkSync(lock.#lockPath);
      } catch {
        continue; // released meanwhile
      }
      const match = /^(.*)-(\d+)$/.exec(owner);
      if (match && (match[1] !== hostname() || alive(Number(match[2])))) {
        if (match[1] === hostname()) lock.#notify(message);
        return undefined; // held (on another host: Chromium's "profile in use")
      }
      try { unlinkSync(lock.#lockPath); } catch { /* someone else took it over */ }
    }
    return undefined;
  }

  #notify(message: SecondInstanceMessage): void {
    mkdirSync(this.#messages, { recursive: true });
    const name = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const temp = join(this.#messages, `${name}.tmp`);
    writeFileSync(temp, JSON.stringify(message));
    renameSync(temp, join(this.#messages, `${name}.json`));
  }

  /** Delivers messages from later instances (those that came before are delivered now). */
  startWatching(deliver: (message: SecondInstanceMessage) => void): void {
    mkdirSync(this.#messages, { recursive: true });
    const drain = () => {
      let names: string[];
      try {
        names = readdirSync(this.#messages).filter((n) => n.endsWith('.json')).sort();
      } catch {
        return;
      }
      for (const name of names) {
        const file = join(this.#messages, name);
        let message: SecondInstanceMessage;
        try {
          message = JSON.parse(readFileSync(file, 'utf8')) as SecondInstanceMessage;
          rmSync(file, { force: true });
        } catch {
          continue;
        }
        deliver(message);
      }
    };
    this.#watcher = watch(this.#messages, () => drain());
    this.#watcher.unref();
    this.#poll = setInterval(drain, 1000);
    this.#poll.unref();
    drain();
  }

  release(): void {
    this.#watcher?.close();
    clearInterval(this.#poll);
    try {
      if (readlinkSync(this.#lockPath) === this.#target) unlinkSync(this.#lockPath);
    } catch { /* already gone */ }
  }
}
