// Variables other programs publish through the agent: a `<source>.json` file
// (`{"variables": {"app_version": "4.2.1"}}`) in a drop-in folder — per machine,
// beside the managed file (`/etc/device-agent/variables.d/`), and per user, in the
// state directory (`~/.local/state/device-agent/variables.d/`). The format, the
// rules and examples for the programs that write them: docs/publishing-variables.md.
//
// Read at every cycle, cheaply: one directory listing and one lstat per file; a file
// is opened and parsed only when its inode, size, mtime or ctime changed (no process,
// no watcher). Each file is checked on its own — size bound before reading, no links,
// the variable rules of validate.ts, at most MAX_FILE_VARIABLES — and an invalid file
// is reported by name and skipped; it never stops the cycle or the other files.
//
// Names are namespaced by source: `app_version` in acme.json is sent as
// `acme.app_version`, so two programs cannot overwrite each other's variables (a
// source name holds no dot; the first dot of a name ends its source).
//
// Trust (POSIX): the per-machine folder is honoured only when it, the folder above
// it and each file are owned by root and writable by nobody else (group and others
// may not write); the per-user folder and its files must be the agent's own user's
// and not writable by others. Windows has no such check here (ACLs; see
// docs/security.md).
import { lstatSync, opendirSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import type { VariableSourceView } from '../agent-api.ts';
import { jsonSyntaxProblem } from '../files/json-problem.ts';
import { FileReadError, formatBytes, kindOf, readBounded } from '../files/read-bounded.ts';
import { VARIABLE_LIMITS } from '../licenseapi/limits.ts';
import type { VariableMap } from '../variables.ts';
import { matches } from './selection.ts';
import { formatFieldErrors, validateVariables } from './validate.ts';

/** The largest drop-in file read (32 variables of 64 + 256 characters fit in 11 KiB). */
export const MAX_FILE_BYTES = 16 * 1024;
/** Variables one file may publish. */
export const MAX_FILE_VARIABLES = 32;
/** Source files considered per folder (sorted by name); the rest are reported and skipped. */
export const MAX_FILES_PER_FOLDER = 32;
/** Directory entries looked at per folder (a folder stuffed with files costs at most this much). */
const MAX_ENTRIES_SCANNED = 1024;

export const SOURCE_NAME = /^[A-Za-z0-9_-]{1,32}$/;

export type DropInScope = 'machine' | 'user';

export interface DropInFolder {
  dir: string;
  scope: DropInScope;
  /** Source names accepted (name, prefix*, *); empty: the folder is off. */
  allow: readonly string[];
}

/** One source file as read this cycle: its namespaced values, or why it is skipped. */
export interface DropInFile {
  source: string;
  scope: DropInScope;
  path: string;
  /** `<source>.<name>` → value; empty when skipped. */
  values: VariableMap;
  problem?: string;
}

export interface DropInReader {
  /** The folders' files this cycle, per-machine first, each folder sorted by name; plus reports of the folders themselves. */
  read(): DropInFile[];
  /** Files opened and parsed since creation (for tests and the bench: an unchanged file is not re-read). */
  reads(): number;
}

export interface DropInOptions {
  folders: readonly DropInFolder[];
  platform?: NodeJS.Platform;
  /** The agent's own user id (default process.getuid()). */
  uid?: number;
}

export const SCOPE_LABEL: Record<DropInScope, VariableSourceView['scope']> = { machine: 'per-machine folder', user: 'per-user folder' };

/** Why a POSIX file or folder is not trusted in this scope, or undefined. */
export function trustProblem(stats: Stats, scope: DropInScope, uid: number | undefined, what: 'the folder' | 'the file' | 'the folder above it'): string | undefined {
  const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
  if (scope === 'machine') {
    if (stats.uid !== 0) return `${what} is owned by uid ${stats.uid}, not root: the per-machine folder is honoured only when administrators alone can write it`;
    if ((stats.mode & 0o022) !== 0) return `${what} is writable by ${(stats.mode & 0o002) !== 0 ? 'every user' : 'its group'} (mode ${mode}): make it writable by root only (chmod go-w)`;
    return undefined;
  }
  if (uid !== undefined && stats.uid !== uid) return `${what} belongs to another user (uid ${stats.uid}), not to the user the agent runs as (uid ${uid})`;
  if ((stats.mode & 0o002) !== 0) return `${what} is writable by every user (mode ${mode}): chmod o-w`;
  return undefined;
}

/** Source file names, sorted, at most MAX_ENTRIES_SCANNED looked at; dot files and anything not ending in .json are ignored (temp files of a write-then-rename). */
function listJsonFiles(dir: string): { names: string[]; truncated: boolean } {
  const handle = opendirSync(dir);
  const names: string[] = [];
  let scanned = 0;
  let truncated = false;
  try {
    for (let entry = handle.readSync(); entry !== null; entry = handle.readSync()) {
      if (++scanned > MAX_ENTRIES_SCANNED) {
        truncated = true;
        break;
      }
      if (!entry.name.startsWith('.') && entry.name.endsWith('.json')) names.push(entry.name);
    }
  } finally {
    handle.closeSync();
  }
  return { names: names.sort(), truncated };
}

/** Parses and checks one file's text; the values come back namespaced. */
export function parseDropIn(source: string, text: string): { values: VariableMap } | { problem: string } {
  let data: unknown;
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text; // a BOM (PowerShell 5, Notepad) is not an error
  try {
    data = JSON.parse(body);
  } catch (error) {
    return { problem: `is not valid JSON (${jsonSyntaxProblem(body, error)})` };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data) || !Object.hasOwn(data, 'variables')) {
    return { problem: 'must be a JSON object {"variables": {"name": value, ...}}' };
  }
  const extra = Object.keys(data).filter((key) => key !== 'variables');
  if (extra.length > 0) return { problem: `has ${extra.slice(0, 3).map((k) => JSON.stringify(k).slice(0, 40)).join(', ')}: only "variables" is read` };
  const map = (data as { variables: unknown }).variables;
  const checked = validateVariables(map, 'variables');
  if (!checked.ok) return { problem: clip(formatFieldErrors(checked.errors)) };
  const names = Object.keys(checked.values);
  if (names.length > MAX_FILE_VARIABLES) return { problem: `has ${names.length} variables, at most ${MAX_FILE_VARIABLES} per file` };
  const tooLong = names.filter((name) => source.length + 1 + name.length > VARIABLE_LIMITS.nameMaxLength);
  if (tooLong.length > 0) {
    return { problem: clip(`variables.${tooLong[0]}: sent as ${source}.${tooLong[0]}, longer than ${VARIABLE_LIMITS.nameMaxLength} characters (shorten the name or the source)`) };
  }
  const values: VariableMap = Object.create(null) as VariableMap;
  for (const name of names) values[`${source}.${name}`] = checked.values[name]!;
  return { values };
}

function clip(text: string): string {
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

interface CacheEntry { key: string; result: { values: VariableMap } | { problem: string } }

const statKey = (s: Stats) => `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;

export function createDropInReader(options: DropInOptions): DropInReader {
  const platform = options.platform ?? process.platform;
  const posix = platform !== 'win32';
  const uid = options.uid ?? process.getuid?.();
  const cache = new Map<string, CacheEntry>();
  let reads = 0;

  const folderProblem = (folder: DropInFolder, stats: Stats): string | undefined => {
    if (stats.isSymbolicLink()) return 'is a symbolic link (the agent does not follow links there)';
    if (!stats.isDirectory()) return `is ${kindOf(stats)}, not a folder`;
    if (!posix) return undefined;
    const own = trustProblem(stats, folder.scope, uid, 'the folder');
    if (own !== undefined || folder.scope === 'user') return own;
    // Whoever can write the folder above can swap the whole drop-in folder.
    try {
      return trustProblem(lstatSync(dirname(folder.dir)), 'machine', uid, 'the folder above it');
    } catch {
      return undefined;
    }
  };

  const readFile = (folder: DropInFolder, source: string, path: string, seen: Set<string>): DropInFile => {
    const file: DropInFile = { source, scope: folder.scope, path, values: {} };
    const skip = (problem: string): DropInFile => ({ ...file, problem });
    let stats: Stats;
    try {
      stats = lstatSync(path);
    } catch {
      return skip('disappeared while the folder was read');
    }
    seen.add(path);
    if (stats.isSymbolicLink()) return skip('is a symbolic link (the agent does not follow links there)');
    if (!stats.isFile()) return skip(`is ${kindOf(stats)}, not a regular file`);
    if (posix) {
      const distrust = trustProblem(stats, folder.scope, uid, 'the file');
      if (distrust !== undefined) return skip(distrust);
    }
    if (stats.size > MAX_FILE_BYTES) return skip(`is larger than ${formatBytes(MAX_FILE_BYTES)} (${stats.size} bytes)`);
    const key = statKey(stats);
    let entry = cache.get(path);
    if (entry === undefined || entry.key !== key) {
      let result: CacheEntry['result'];
      try {
        reads += 1;
        result = parseDropIn(source, readBounded(path, { maxBytes: MAX_FILE_BYTES, mode: 'own' }).toString('utf8'));
      } catch (error) {
        if (!(error instanceof FileReadError)) throw error;
        result = { problem: error.message };
      }
      entry = { key, result };
      cache.set(path, entry);
    }
    return 'problem' in entry.result ? skip(entry.result.problem) : { ...file, values: entry.result.values };
  };

  const readFolder = (folder: DropInFolder, seen: Set<string>): DropInFile[] => {
    let stats: Stats;
    try {
      stats = lstatSync(folder.dir);
    } catch {
      return []; // no folder: nobody publishes here
    }
    const problem = folderProblem(folder, stats);
    if (problem !== undefined) return [{ source: '*', scope: folder.scope, path: folder.dir, values: {}, problem: `${problem}; none of its files is read` }];
    let listing: ReturnType<typeof listJsonFiles>;
    try {
      listing = listJsonFiles(folder.dir);
    } catch (error) {
      return [{ source: '*', scope: folder.scope, path: folder.dir, values: {}, problem: `cannot be listed (${(error as NodeJS.ErrnoException).code ?? 'error'})` }];
    }
    const files: DropInFile[] = [];
    let considered = 0;
    for (const name of listing.names) {
      const source = name.slice(0, -'.json'.length);
      const path = join(folder.dir, name);
      if (!SOURCE_NAME.test(source)) {
        files.push({ source, scope: folder.scope, path, values: {}, problem: 'is not read: the name must be <source>.json, the source 1-32 characters of A-Z a-z 0-9 _ - (no dot)' });
      } else if (!folder.allow.some((pattern) => matches(pattern, source))) {
        files.push({ source, scope: folder.scope, path, values: {}, problem: `is not read: the source "${source}" is not in ${folder.scope === 'machine' ? 'dropInSources' : 'userDropInSources'} (managed configuration)` });
      } else if (++considered > MAX_FILES_PER_FOLDER) {
        files.push({ source, scope: folder.scope, path, values: {}, problem: `is not read: at most ${MAX_FILES_PER_FOLDER} source files per folder` });
      } else {
        files.push(readFile(folder, source, path, seen));
      }
    }
    if (listing.truncated) files.push({ source: '*', scope: folder.scope, path: folder.dir, values: {}, problem: `holds more than ${MAX_ENTRIES_SCANNED} entries: only the first ${MAX_ENTRIES_SCANNED} listed were looked at` });
    return files;
  };

  return {
    read() {
      const seen = new Set<string>();
      const files = options.folders.filter((f) => f.allow.length > 0).flatMap((folder) => readFolder(folder, seen));
      for (const path of cache.keys()) if (!seen.has(path)) cache.delete(path); // removed files leave no cache behind
      return files;
    },
    reads: () => reads,
  };
}
