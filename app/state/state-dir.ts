// The state directory before anything is written to it: created private (0700), and
// checked for the two mistakes that are configuration errors rather than a bad disk —
// a path that is a file, and a read-only file system. A directory the agent may not
// write (permissions) or that is full is not an error: the agent syncs from memory
// and says so (the state store's and the lock's warnings).
import { statSync } from 'node:fs';
import { ConfigError } from '../config/load.ts';
import { ensurePrivateDir, isWorldWritable } from '../files/private-files.ts';

function problem(message: string): ConfigError {
  return new ConfigError([{ field: 'stateDir', message }]);
}

/** Creates `stateDir` if needed; returns warnings; throws ConfigError for a file or a read-only file system. */
export function prepareStateDir(stateDir: string): string[] {
  try {
    const stats = statSync(stateDir);
    if (!stats.isDirectory()) throw problem(`${stateDir} is a file, not a directory`);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw problem(`${stateDir} is inside a file, not a directory`);
    try {
      ensurePrivateDir(stateDir);
    } catch (mkdirError) {
      const mkdirCode = (mkdirError as NodeJS.ErrnoException).code;
      if (mkdirCode === 'ENOTDIR' || mkdirCode === 'EEXIST') throw problem(`${stateDir} cannot be created: part of its path is a file`);
      if (mkdirCode === 'EROFS') throw problem(`${stateDir} cannot be created: the file system is read-only`);
      return []; // the state store says so ("cannot be saved … syncing continues from memory")
    }
    return [];
  }
  if (isWorldWritable(statSync(stateDir))) {
    return [`The state directory ${stateDir} is writable by every user: anyone on this machine could plant files the agent reads. Give the agent a private one (chmod 700, or --state-dir).`];
  }
  return [];
}
