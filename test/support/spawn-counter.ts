// Counts the processes this Node process starts, at the lowest level Node has:
// the process_wrap binding (spawn, exec, execFile, fork) and the spawn_sync
// binding (execSync, spawnSync, execFileSync). Every child_process function
// ends there, however early a library captured its reference, so a count of 0
// means no process was started. For measurements and tests, not for production.

interface Bindings {
  processWrap: { Process: { prototype: { spawn: (...args: unknown[]) => unknown } } };
  spawnSync: { spawn: (...args: unknown[]) => unknown };
}

function bindings(): Bindings {
  // process.binding is deprecated but keeps these two modules on its allow list;
  // it is the only way to see spawns made through references captured at load time.
  const binding = (process as unknown as { binding(name: string): unknown }).binding.bind(process);
  return {
    processWrap: binding('process_wrap') as Bindings['processWrap'],
    spawnSync: binding('spawn_sync') as Bindings['spawnSync'],
  };
}

export interface SpawnCounter {
  /** Processes started since the counter started. */
  count(): number;
  /** Commands seen (first argument's file), for messages. */
  commands(): string[];
  stop(): void;
}

export function startSpawnCounter(): SpawnCounter {
  const { processWrap, spawnSync } = bindings();
  const asyncSpawn = processWrap.Process.prototype.spawn;
  const syncSpawn = spawnSync.spawn;
  const seen: string[] = [];
  // Node 24 passes the file as the first argument; older versions an options object holding it.
  const record = (first: unknown) => {
    const file = typeof first === 'string' ? first : (first as { file?: unknown } | undefined)?.file;
    seen.push(typeof file === 'string' ? file : '?');
  };
  processWrap.Process.prototype.spawn = function (this: unknown, ...args: unknown[]) {
    record(args[0]);
    return asyncSpawn.apply(this, args);
  };
  spawnSync.spawn = function (this: unknown, ...args: unknown[]) {
    record(args[0]);
    return syncSpawn.apply(this, args);
  };
  return {
    count: () => seen.length,
    commands: () => [...seen],
    stop() {
      processWrap.Process.prototype.spawn = asyncSpawn;
      spawnSync.spawn = syncSpawn;
    },
  };
}
