// `npm start`: builds dist/, gets Electron's binary if it is not there yet
// (Electron's own installer, tools/electron-install.ts), then launches the
// desktop app; only when Electron cannot be had, says why in one line (and what
// to run later) and runs the headless demo (the same engine against the
// embedded sandbox) instead.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './build.ts';
import { ensureElectron, fallbackLine } from './electron-install.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', cwd: root, env });
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 130 : 1)));
    child.on('error', (error) => {
      console.error(`could not start ${command}: ${error.message}`);
      resolve(127);
    });
  });
}

const { ms } = await buildApp();
console.log(`built dist/ in ${ms} ms`);
const electron = await ensureElectron();
let code: number;
if (electron.found) {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'development' };
  delete env.ELECTRON_RUN_AS_NODE;
  code = await run(electron.path, [root, ...process.argv.slice(2)], env);
} else {
  console.log(fallbackLine(electron));
  code = await run(process.execPath, [join(root, 'cli', 'main.ts'), 'demo', ...process.argv.slice(2)]);
}
process.exit(code);
