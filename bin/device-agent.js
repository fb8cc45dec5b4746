#!/usr/bin/env node
// `device-agent` command. Plain JavaScript so that it starts on any Node; the
// agent itself is TypeScript run by Node 24's type stripping, so on an older
// Node this re-runs itself under a provisioned Node 24 (tools/with-node24.js).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'app', 'cli', 'main.ts');
const major = Number(process.versions.node.split('.')[0]);

if (major >= 24) {
  await import(entry);
} else {
  const child = spawn(process.execPath, [join(root, 'tools', 'with-node24.js'), 'node', entry, ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
