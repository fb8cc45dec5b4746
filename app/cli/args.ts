// Command-line parsing: the command word, the configuration flags (one per
// field in app/config/fields.ts) and a few command options.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CONFIG_FIELDS } from '../config/fields.ts';

export const COMMANDS = ['hwid', 'vars', 'once', 'run', 'status', 'deactivate', 'sandbox', 'demo', 'help', 'version'] as const;
export type Command = (typeof COMMANDS)[number];

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface ParsedArgs {
  command: Command;
  /** Configuration flags by flag name (strings/booleans/arrays). */
  flags: Record<string, unknown>;
  configFile?: string;
  json: boolean;
  port?: number;
  help: boolean;
}

type Options = NonNullable<ParseArgsConfig['options']>;

function optionTable(): Options {
  const options: Options = {
    config: { type: 'string', short: 'c' },
    json: { type: 'boolean' },
    var: { type: 'string', multiple: true },
    port: { type: 'string' },
    'print-config': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'v' },
  };
  for (const field of CONFIG_FIELDS) {
    options[field.flag] = field.kind === 'bool' ? { type: 'boolean' } : { type: 'string' };
  }
  return options;
}

/** node:util's parse errors as one short line (some span three lines and suggest `--x=-XYZ`). */
function oneLineMessage(message: string): string {
  const needsValue = /^Option '([^']+?)(?: <value>)?' argument (?:is ambiguous|missing)/.exec(message);
  if (needsValue) {
    const long = /--[\w-]+/.exec(needsValue[1]!)?.[0];
    return `option '${needsValue[1]}' needs a value${long ? ` (one that starts with "-" is written ${long}=-value)` : ''}`;
  }
  return (message.split('\n')[0] ?? message).replace(/\. To specify a positional argument.*$/, '').replace(/^(Unknown option|Option)/, (word) => word.toLowerCase());
}

export function parseCommandLine(argv: string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: optionTable(), allowPositionals: true, strict: true, allowNegative: true });
  } catch (error) {
    throw new UsageError(oneLineMessage((error as Error).message));
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  const word = positionals[0] ?? (values.version ? 'version' : 'help');
  if (!(COMMANDS as readonly string[]).includes(word)) {
    throw new UsageError(`unknown command "${word}" (commands: ${COMMANDS.join(', ')})`);
  }
  let port: number | undefined;
  if (values.port !== undefined) {
    const text = String(values.port);
    port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
    if (!Number.isInteger(port) || port > 65535) throw new UsageError('--port must be a port number (0 picks a free one)');
  }
  const flags: Record<string, unknown> = Object.create(null);
  for (const field of CONFIG_FIELDS) {
    if (values[field.flag] !== undefined) flags[field.flag] = values[field.flag];
  }
  if (values.var !== undefined) flags.var = values.var;
  const configFile = values.config === undefined ? undefined : String(values.config);
  return {
    command: word as Command,
    flags,
    ...(configFile === undefined ? {} : { configFile }),
    json: values.json === true,
    ...(port === undefined ? {} : { port }),
    help: values.help === true,
  };
}

export function usage(): string {
  const lines = [
    'Usage: device-agent <command> [options]',
    '',
    'Commands:',
    '  hwid               print this device\'s hardware id',
    '  vars [--json]      collect once and print the variables that would be sent',
    '  once               run one sync cycle; exit 0 when the server holds the values',
    '  run                sync on a schedule until SIGINT/SIGTERM',
    '  status [--json]    print the persisted sync state',
    '  deactivate         deactivate this device on the license (exit 0; 12 when it is not activated)',
    '  sandbox [--port N] [--print-config]   start the local License API sandbox',
    '  demo               run the agent against an embedded sandbox, one line per cycle',
    '',
    'Options (each also DEVICE_AGENT_<NAME> in the environment, or a key in --config <file.json>):',
    `${'  -c, --config <file>'.padEnd(26)} JSON configuration file (also DEVICE_AGENT_CONFIG)`,
    `${'  --var name=value'.padEnd(26)} A custom static variable (repeatable).`,
  ];
  for (const field of CONFIG_FIELDS) {
    const arg = field.kind === 'bool' ? '' : ` <${field.kind === 'secret' ? 'secret' : field.kind}>`;
    lines.push(`  --${field.flag}${arg}`.padEnd(26) + ` ${field.description}`);
  }
  lines.push('', 'Flags win over environment variables, which win over the machine-wide managed file', '(/etc/device-agent/config.json on Linux), which wins over --config.', 'Secrets are best passed by environment or file: flags are visible to other users in the process list.');
  return lines.join('\n');
}
