// The last writes of a process: stores with state not yet on disk (kept back, queued or
// in flight) write it synchronously when the process exits, when an async write can no
// longer finish. One registry per process holds them, and which store saved each file
// last (at exit only that one writes: a restart in the same process leaves an older
// store behind). Its exit hook is handed in; tests run it themselves.
export interface ExitWrites {
  /** Runs `write` at exit (once registered, until removed). */
  add(write: () => void): void;
  remove(write: () => void): void;
  /** Marks `store` as the one that saved `path` last. */
  claim(path: string, store: object): void;
  /** Forgets the claim when it is `store`'s. */
  release(path: string, store: object): void;
  isLatest(path: string, store: object): boolean;
}

/** A registry whose writes run when `onExit` calls back (installed at the first add). */
export function createExitWrites(onExit: (run: () => void) => void): ExitWrites {
  const writes = new Set<() => void>();
  const lastSaver = new Map<string, object>();
  let hooked = false;
  return {
    add(write) {
      writes.add(write);
      if (hooked) return;
      hooked = true;
      onExit(() => {
        for (const w of writes) w();
      });
    },
    remove: (write) => { writes.delete(write); },
    claim: (path, store) => { lastSaver.set(path, store); },
    release(path, store) {
      if (lastSaver.get(path) === store) lastSaver.delete(path);
    },
    isLatest: (path, store) => lastSaver.get(path) === store,
  };
}

let processWrites: ExitWrites | undefined;

/** The process's own registry, on process 'exit' (process.exit included): the default of every store. */
export function processExitWrites(): ExitWrites {
  processWrites ??= createExitWrites((run) => process.once('exit', run));
  return processWrites;
}
