#!/usr/bin/env node
// Runs a command under Node 24, provisioning it from the npm registry when the
// machine's own Node is older. Plain JavaScript on purpose: it must run on the
// Node 20 that these machines ship with.
//
//   node tools/with-node24.js <command> [args...]
//
// The Node 24 build comes from the npm package `node-<platform>-<arch>@24`
// and is cached in $DEVICE_AGENT_NODE_CACHE (default ~/.cache/device-agent/node24),
// so it is downloaded once per machine, not once per run; <cache>/bin/node is the
// executable whatever the platform (a service points at it). Everything the
// provisioning prints (this script's notes and npm's own output) goes to stderr:
// stdout belongs to the command, so `H=$(npx device-agent hwid)` and
// `device-agent vars --json | jq` work on the very first run too.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

const REQUIRED_MAJOR = 24;

function major(version) {
  return Number(String(version).replace(/^v/, '').split('.')[0]);
}

function platformPackage() {
  const os = { linux: 'linux', darwin: 'darwin', win32: 'win' }[process.platform];
  const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
  if (!os || !arch) {
    throw new Error(`No Node ${REQUIRED_MAJOR} package is published for ${process.platform}/${process.arch}; install Node ${REQUIRED_MAJOR} yourself.`);
  }
  return `node-${os}-${arch}`;
}

function binDirOf(prefix, pkg) {
  const root = join(prefix, 'node_modules', pkg);
  return join(root, 'bin');
}

function nodeExe(binDir) {
  return join(binDir, process.platform === 'win32' ? 'node.exe' : 'node');
}

function provision() {
  const cacheRoot = process.env.DEVICE_AGENT_NODE_CACHE
    || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'device-agent', `node${REQUIRED_MAJOR}`);
  const pkg = platformPackage();
  const binDir = binDirOf(cacheRoot, pkg);
  if (existsSync(nodeExe(binDir))) {
    const probe = spawnSync(nodeExe(binDir), ['--version'], { encoding: 'utf8' });
    if (probe.status === 0 && major(probe.stdout.trim()) === REQUIRED_MAJOR) return binDir;
  }
  process.stderr.write(`[with-node24] Node ${process.versions.node} found; fetching ${pkg}@${REQUIRED_MAJOR} from the npm registry into ${cacheRoot} (once per machine)...\n`);
  const staging = `${cacheRoot}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['install', '--prefix', staging, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error', `${pkg}@${REQUIRED_MAJOR}`], {
    stdio: ['ignore', process.stderr, process.stderr], // npm's "added 1 package" must not reach our stdout
    shell: process.platform === 'win32',
  });
  if (result.signal) {
    // Ctrl+C while npm downloads: stop as the shell expects (128 + signal), leaving nothing half-installed.
    rmSync(staging, { recursive: true, force: true });
    process.stderr.write(`[with-node24] ${result.signal} while installing Node ${REQUIRED_MAJOR}; nothing was installed.\n`);
    process.exit(result.signal === 'SIGTERM' ? 143 : 130);
  }
  if (result.status !== 0 || !existsSync(nodeExe(binDirOf(staging, pkg)))) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`Could not install ${pkg}@${REQUIRED_MAJOR} from the npm registry (npm exited ${result.status}). Install Node ${REQUIRED_MAJOR} yourself (see .nvmrc) and run the command again.`);
  }
  // <cache>/bin/node: one path for every platform package, e.g. for a service's ExecStart= (build/linux/device-agent.service).
  if (process.platform !== 'win32') symlinkSync(join('node_modules', pkg, 'bin'), join(staging, 'bin'));
  rmSync(cacheRoot, { recursive: true, force: true });
  mkdirSync(join(cacheRoot, '..'), { recursive: true });
  renameSync(staging, cacheRoot);
  return binDir;
}

function main() {
  const [command, ...args] = process.argv.slice(2);
  if (!command) {
    process.stderr.write('usage: node tools/with-node24.js <command> [args...]\n');
    process.exit(2);
  }
  const env = { ...process.env };
  if (major(process.versions.node) < REQUIRED_MAJOR) {
    let binDir;
    try {
      binDir = provision();
    } catch (error) {
      process.stderr.write(`[with-node24] ${error.message}\n`);
      process.exit(1);
    }
    const pathKey = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') || 'PATH';
    env[pathKey] = `${binDir}${delimiter}${env[pathKey] || ''}`;
  }
  // Local binaries (tsc, vitest, eslint) as npm would resolve them.
  const pathKey = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') || 'PATH';
  env[pathKey] = `${join(process.cwd(), 'node_modules', '.bin')}${delimiter}${env[pathKey] || ''}`;
  const child = spawn(command, args, { stdio: 'inherit', env, shell: process.platform === 'win32' });
  const forward = (signal) => () => child.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward(signal));
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    }
    else process.exit(code ?? 1);
  });
  child.on('error', (error) => {
    process.stderr.write(`[with-node24] could not start ${command}: ${error.message}\n`);
    process.exit(127);
  });
}

main();
