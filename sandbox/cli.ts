// The sandbox's command line, importable so `device-agent sandbox` can reuse it.
//   --port <n>        0 = a free port (default 0)
//   --host <addr>     default 127.0.0.1
//   --db <file>       node:sqlite file; default: in memory (everything is lost at exit)
//   --no-demo         do not create the demo products/licenses
//   --sign-errors     sign error replies too (the vendor signs only successful ones)
//   --print-config    print ONE JSON line once listening: apiUrl, apiKey, sharedKey, product,
//                     licenseKey, publicKeyPem (+ userProduct, username, password, oauth) — the
//                     sandbox's details, for scripts (not an agent configuration)
//   --write-config F  write F: an agent configuration (`device-agent once --config F` uses it
//                     as is), with the public key beside it (F's name + .pem); both mode 0600
// The admin token comes from $DEVICE_AGENT_SANDBOX_ADMIN_TOKEN (random otherwise; never printed).
// Logs one line per request to stderr, without secrets. Exits 0 on SIGINT/SIGTERM.
import { chmodSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { startSandbox } from './server.ts';
import type { Sandbox } from './server.ts';

export const USAGE = [
  'usage: sandbox [--port <n>] [--host <addr>] [--db <file>] [--no-demo] [--sign-errors] [--print-config] [--write-config <file>]',
  '  --port <n>             port to listen on (default 0: a free one)',
  '  --host <addr>          address to listen on (default 127.0.0.1)',
  '  --db <file>            SQLite file for its data (default: in memory, lost at exit)',
  '  --no-demo              do not create the demo product, licenses and keys',
  '  --sign-errors          sign error replies too (the vendor signs only successful ones)',
  '  --print-config         print one JSON line with the sandbox\'s details (URL, keys, demo license, public key PEM)',
  '  --write-config <file>  write an agent configuration file (and its public key beside it) for `device-agent once --config <file>`',
].join('\n');

export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  env: NodeJS.ProcessEnv;
}

export interface ParsedCli { port: number; host: string; dbPath: string; seedDemo: boolean; signErrors: boolean; printConfig: boolean; writeConfig?: string }

/** Parses the arguments; throws an Error naming the bad option. */
export function parseCli(args: string[]): ParsedCli | 'help' {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      db: { type: 'string', default: ':memory:' },
      'no-demo': { type: 'boolean', default: false },
      'sign-errors': { type: 'boolean', default: false },
      'print-config': { type: 'boolean', default: false },
      'write-config': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535) throw new Error(`--port must be an integer 0..65535, got "${values.port}"`);
  if (values.host.trim() === '') throw new Error('--host must not be empty');
  if (values.db.trim() === '') throw new Error('--db must be a file path (or :memory:)');
  const writeConfig = values['write-config'];
  if (writeConfig !== undefined && writeConfig.trim() === '') throw new Error('--write-config must be a file path');
  return {
    port: Number(values.port), host: values.host, dbPath: values.db, seedDemo: !values['no-demo'], signErrors: values['sign-errors'], printConfig: values['print-config'],
    ...(writeConfig === undefined ? {} : { writeConfig }),
  };
}

/** The --print-config line. */
export function configLine(sandbox: Sandbox): string {
  const { demo } = sandbox;
  return JSON.stringify({
    apiUrl: demo.apiUrl,
    apiKey: demo.apiKey,
    sharedKey: demo.sharedKey,
    product: demo.product,
    licenseKey: demo.licenseKey,
    publicKeyPem: demo.publicKeyPem,
    userProduct: demo.userProduct,
    username: demo.username,
    password: demo.password,
    oauth: demo.oauth,
  });
}

/**
 * The agent configuration that points at this sandbox's demo license: only keys `--config`
 * accepts; the public key as a file beside it (relative paths resolve against the file's folder).
 */
export function agentConfig(sandbox: Sandbox, publicKeyFile: string): Record<string, unknown> {
  const { demo } = sandbox;
  return {
    apiUrl: demo.apiUrl,
    apiKey: demo.apiKey,
    sharedKey: demo.sharedKey,
    product: demo.product,
    licenseKey: demo.licenseKey,
    publicKey: publicKeyFile,
    autoActivate: true,
  };
}

/** Writes `text` to `path` atomically, mode 0600 (it holds the sandbox's shared key). */
function writePrivate(path: string, text: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(temp, text, { mode: 0o600, flag: 'wx' });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

/** --write-config: the configuration file and, beside it, `<file>.pem`. */
export function writeAgentConfig(sandbox: Sandbox, path: string): void {
  const pem = `${path}.pem`;
  writePrivate(pem, sandbox.demo.publicKeyPem);
  writePrivate(path, `${JSON.stringify(agentConfig(sandbox, basename(pem)), null, 2)}\n`);
}

/** Starts the sandbox; resolves with a stop function (the caller wires signals). */
export async function runSandboxCli(args: string[], io: CliIo): Promise<{ sandbox: Sandbox; stop: () => Promise<void> } | number> {
  let parsed: ParsedCli | 'help';
  try {
    parsed = parseCli(args);
  } catch (error) {
    io.stderr(`sandbox: ${(error as Error).message}`);
    io.stderr(USAGE);
    return 2;
  }
  if (parsed === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  let sandbox: Sandbox;
  try {
    sandbox = await startSandbox({
      port: parsed.port,
      host: parsed.host,
      dbPath: parsed.dbPath,
      seedDemo: parsed.seedDemo,
      signErrors: parsed.signErrors,
      ...(io.env.DEVICE_AGENT_SANDBOX_ADMIN_TOKEN ? { adminToken: io.env.DEVICE_AGENT_SANDBOX_ADMIN_TOKEN } : {}),
      onLog: io.stderr,
    });
  } catch (error) {
    io.stderr(`sandbox: could not start: ${(error as Error).message}`);
    return 1;
  }
  if (parsed.writeConfig !== undefined) {
    try {
      writeAgentConfig(sandbox, parsed.writeConfig);
    } catch (error) {
      io.stderr(`sandbox: could not write ${parsed.writeConfig}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      await sandbox.close();
      return 1;
    }
  }
  if (parsed.printConfig) io.stdout(configLine(sandbox));
  const where = parsed.dbPath === ':memory:' ? 'in memory' : parsed.dbPath;
  const told = parsed.printConfig || parsed.writeConfig !== undefined ? '' : '; --write-config <file> writes an agent configuration for it';
  io.stderr(`sandbox: License API at ${sandbox.url} (data ${where}${told})`);
  if (parsed.writeConfig !== undefined) io.stderr(`sandbox: wrote ${parsed.writeConfig}: try \`device-agent once --config ${parsed.writeConfig}\``);
  return { sandbox, stop: () => sandbox.close() };
}
