// Logs through electron-log: a rotated file in the user's log folder, every
// line passed through the redactor first (known secret values, Authorization
// headers, secret-named fields).
import log from 'electron-log/main';
import { join } from 'node:path';
import type { Logger } from './electron-seam.ts';
import { redactSecrets } from '../app/log/redact.ts';
import { guardStdio } from './stdio-guard.ts';

export interface MainLogging {
  log: Logger;
  /** The current log file, for diagnostics. */
  files(): string[];
}

export function setUpLogging(logDir: string, knownSecrets: () => readonly (string | undefined)[]): MainLogging {
  // The branding's log folder (main/app-folders.ts), not electron-log's guess from the app name.
  log.transports.file.resolvePathFn = () => join(logDir, 'main.log');
  log.transports.file.level = process.env.DEVICE_AGENT_LOG_LEVEL === 'debug' ? 'debug' : 'info';
  log.transports.file.maxSize = 1024 * 1024;
  log.transports.console.level = process.env.NODE_ENV === 'development' ? 'debug' : 'warn';
  log.hooks.push((message) => {
    const secrets = knownSecrets();
    message.data = message.data.map((d: unknown) => {
      if (typeof d === 'string') return redactSecrets(d, secrets);
      if (d instanceof Error) return redactSecrets(`${d.name}: ${d.message}`, secrets);
      try {
        return redactSecrets(JSON.stringify(d), secrets);
      } catch {
        return '[unserialisable]';
      }
    });
    return message;
  });
  // A closed console (its reader gone) turns console output off instead of looping on EPIPE.
  guardStdio([process.stdout, process.stderr], () => {
    log.transports.console.level = false;
  });
  log.errorHandler.startCatching({ showDialog: false });
  return {
    log: { debug: log.debug, info: log.info, warn: log.warn, error: log.error },
    files: () => {
      const file = log.transports.file.getFile().path;
      return [file, `${file.replace(/\.log$/, '')}.old.log`];
    },
  };
}
