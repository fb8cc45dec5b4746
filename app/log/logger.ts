// The engine's structured logger: one JSON object per line, levelled, size-rotated
// (file, file.1 … file.N) and redacted (see redact.ts). A failing write (disk full,
// read-only directory) never throws: the line is dropped with a single warning on
// stderr, and logging resumes when the disk does. The files are private (0600, the
// folder 0700) and never written through a link: a link or anything but a regular
// file at the log path is moved aside once, and a fresh file started.
import { lstatSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { appendPrivateFile, ensurePrivateDir, moveAside } from '../files/private-files.ts';
import { redactText, redactValue, secretList } from './redact.ts';
import { CLI_NAME } from '../branding/index.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every record (the child's own fields win). */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  level: LogLevel;
  /** Log file; omitted = no file. */
  file?: string;
  /** Rotate when the file would grow past this many bytes (default 1 MiB). */
  maxBytes?: number;
  /** Rotated files kept besides the live one (default 3). */
  maxFiles?: number;
  /** Also write each line to stderr. */
  console?: boolean;
  /** Secret values to scrub wherever they appear; called per record so rotated credentials apply at once. */
  secrets?: () => readonly (string | undefined)[];
  /** Clock for the `time` field (tests). */
  now?: () => number;
  /** Where a dropped-write warning goes (default stderr). */
  onDropped?: (message: string) => void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** A logger that discards everything (tests, `vars`). */
export const silentLogger: Logger = {
  debug() {}, info() {}, warn() {}, error() {},
  child() { return silentLogger; },
};

export function createLogger(options: LoggerOptions): Logger {
  const minRank = RANK[options.level];
  const now = options.now ?? Date.now;
  const sink = options.file === undefined ? undefined : createRotatingFile(options.file, {
    maxBytes: options.maxBytes ?? 1024 * 1024,
    maxFiles: options.maxFiles ?? 3,
    onDropped: options.onDropped ?? ((m) => process.stderr.write(`${m}\n`)),
  });

  function write(level: LogLevel, base: LogFields, msg: string, fields?: LogFields): void {
    if (RANK[level] < minRank) return;
    try {
      const secrets = secretList(options.secrets?.() ?? []);
      const merged = fields === undefined ? base : { ...base, ...fields };
      const record: Record<string, unknown> = { time: new Date(now()).toISOString(), level, msg: redactText(String(msg), secrets) };
      const clean = redactValue(merged, secrets);
      if (clean !== null && typeof clean === 'object' && Object.keys(clean).length > 0) record.fields = clean;
      const line = `${JSON.stringify(record)}\n`;
      sink?.append(line);
      if (options.console === true) process.stderr.write(line);
    } catch {
      // A logger must never take the agent down (e.g. a secrets callback that throws).
    }
  }

  function make(base: LogFields): Logger {
    return {
      debug: (msg, fields) => write('debug', base, msg, fields),
      info: (msg, fields) => write('info', base, msg, fields),
      warn: (msg, fields) => write('warn', base, msg, fields),
      error: (msg, fields) => write('error', base, msg, fields),
      child: (fields) => make({ ...base, ...fields }),
    };
  }
  return make({});
}

interface RotatingFile {
  append(line: string): void;
}

function createRotatingFile(file: string, opts: { maxBytes: number; maxFiles: number; onDropped: (m: string) => void }): RotatingFile {
  let size: number | undefined;
  let failing = false;

  function currentSize(): number {
    if (size === undefined) {
      try { size = lstatSync(file).size; } catch { size = 0; }
    }
    return size;
  }

  /** Appends; a link or a non-regular file at the path is moved aside once and the line written to a fresh file. */
  function appendOwn(line: string): void {
    try {
      appendPrivateFile(file, line);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ELOOP' && code !== 'ENOTREG' && code !== 'EISDIR' && code !== 'ENXIO') throw error;
      const aside = moveAside(file, 'not-a-file');
      opts.onDropped(`${CLI_NAME}: ${file} was not a regular file (a link or a special file); moved it to ${aside} and started a new log`);
      size = 0;
      appendPrivateFile(file, line);
    }
  }

  function rotate(): void {
    // file.N-1 → file.N … file → file.1; the oldest falls off the end.
    rmSync(`${file}.${opts.maxFiles}`, { force: true });
    for (let i = opts.maxFiles - 1; i >= 1; i--) {
      try { renameSync(`${file}.${i}`, `${file}.${i + 1}`); } catch { /* gap in the chain */ }
    }
    if (opts.maxFiles >= 1) renameSync(file, `${file}.1`);
    else rmSync(file, { force: true });
    size = 0;
  }

  return {
    append(line) {
      const bytes = Buffer.byteLength(line);
      try {
        if (currentSize() > 0 && currentSize() + bytes > opts.maxBytes) rotate();
        if (size === 0) ensurePrivateDir(dirname(file));
        appendOwn(line);
        size = currentSize() + bytes;
        failing = false;
      } catch (error) {
        size = undefined;
        if (!failing) {
          failing = true;
          const code = (error as { code?: string }).code ?? 'error';
          opts.onDropped(`${CLI_NAME}: cannot write log file ${file} (${code}); log lines are dropped until it is writable again`);
        }
      }
    },
  };
}
