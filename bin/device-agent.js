#!/usr/bin/env node
// `device-agent` command. Plain JavaScript so that it starts on any Node. It runs
// the bundle dist/cli/device-agent.mjs when it is built from the current sources,
// else cli/main.ts through Node 24's type stripping (bin/cli-entry.js). On
// an older Node it re-runs itself under a provisioned Node 24 (tools/with-node24.js).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chooseCliEntry } from './cli-entry.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = chooseCliEntry(root);
const major = Number(process.versions.node.split('.')[0]);

if (major >= 24) {
  try {
    await import(pathToFileURL(entry.path).href);
  } catch (error) {
    // A rebuild removed the bundle between the check and the import (nothing of it ran): use the sources.
    if (entry.kind !== 'bundle' || error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    await import(pathToFileURL(join(root, 'cli', 'main.ts')).href);
  }
} else {
  const child = spawn(process.execPath, [join(root, 'tools', 'with-node24.js'), 'node', entry.path, ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
