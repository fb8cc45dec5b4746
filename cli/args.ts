// Command-line parsing: the command word, the configuration flags (one per
// field in app/config/fields.ts) and a few command options; and the help text,
// global (`device-agent help`) and per command (`device-agent once --help`,
// `device-agent help once`).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { didYouMean } from '../app/config/did-you-mean.ts';
import { CONFIG_FIELDS, MANAGED_ONLY_KEYS } from '../app/config/fields.ts';
import { CLI_NAME } from '../app/branding/index.ts';
import { managedConfigPath } from '../app/config/managed.ts';

export const COMMANDS = ['hwid', 'vars', 'once', 'run', 'status', 'deactivate', 'sandbox', 'demo', 'help', 'version'] as const;
export type Command = (typeof COMMANDS)[number];

export class UsageError extends Error {
  /** The command the mistake was made with, for "Run `device-agent help <command>`". */
  readonly command: Command | undefined;
  constructor(message: string, command?: Command) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
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
  /** `help <command>`: the command to explain. */
  helpFor?: Command;
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

/** Every flag the command line knows, for "did you mean". */
function knownFlags(): string[] {
  return [...Object.keys(optionTable()), ...CONFIG_FIELDS.filter((f) => f.kind === 'bool').map((f) => `no-${f.flag}`)].map((f) => `--${f}`);
}

/** node:util's parse errors as one short line (some span three lines and suggest `--x=-XYZ`). */
function oneLineMessage(message: string): string {
  const needsValue = /^Option '([^']+?)(?: <value>)?' argument (?:is ambiguous|missing)/.exec(message);
  if (needsValue) {
    const long = /--[\w-]+/.exec(needsValue[1]!)?.[0];
    return `option '${needsValue[1]}' needs a value${long ? ` (one that starts with "-" is written ${long}=-value)` : ''}`;
  }
  const unknown = /^Unknown option '(--?[^']+)'/.exec(message);
  if (unknown) return `unknown option '${unknown[1]}'${didYouMean(unknown[1]!, knownFlags())}`;
  return (message.split('\n')[0] ?? message).replace(/\. To specify a positional argument.*$/, '').replace(/^(Unknown option|Option)/, (word) => word.toLowerCase());
}

function commandOf(word: string | undefined): Command | undefined {
  return word !== undefined && (COMMANDS as readonly string[]).includes(word) ? word as Command : undefined;
}

export function parseCommandLine(argv: string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: optionTable(), allowPositionals: true, strict: true, allowNegative: true });
  } catch (error) {
    throw new UsageError(oneLineMessage((error as Error).message), commandOf(argv.find((a) => !a.startsWith('-'))));
  }
  const { values, positionals } = parsed;
  const word = positionals[0] ?? (values.version ? 'version' : 'help');
  const command = commandOf(word);
  if (command === undefined) {
    throw new UsageError(`unknown command "${word}"${didYouMean(word, COMMANDS)} (commands: ${COMMANDS.join(', ')})`);
  }
  let helpFor: Command | undefined;
  if (command === 'help' && positionals.length === 2) {
    helpFor = commandOf(positionals[1]);
    if (helpFor === undefined) throw new UsageError(`no help for "${positionals[1]}"${didYouMean(positionals[1]!, COMMANDS)}: it is not a command (commands: ${COMMANDS.join(', ')})`);
  } else if (positionals.length > 1) {
    throw new UsageError(`unexpected argument "${positionals[1]}"`, command);
  }
  let port: number | undefined;
  if (values.port !== undefined) {
    const text = String(values.port);
    port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
    if (!Number.isInteger(port) || port > 65535) throw new UsageError('--port must be a port number (0 picks a free one)', command);
  }
  const flags: Record<string, unknown> = Object.create(null);
  for (const field of CONFIG_FIELDS) {
    if (values[field.flag] !== undefined) flags[field.flag] = values[field.flag];
  }
  if (values.var !== undefined) flags.var = values.var;
  const configFile = values.config === undefined ? undefined : String(values.config);
  return {
    command,
    flags,
    ...(configFile === undefined ? {} : { configFile }),
    json: values.json === true,
    ...(port === undefined ? {} : { port }),
    help: values.help === true,
    ...(helpFor === undefined ? {} : { helpFor }),
  };
}

const CONFIG_OPTION = `${'  -c, --config <file>'.padEnd(26)} JSON configuration file (also DEVICE_AGENT_CONFIG)`;
const LAYERS_NOTE = [
  'Each setting is also DEVICE_AGENT_<NAME> in the environment, or a key in --config <file.json>.',
  'Flags win over environment variables, which win over the machine-wide managed file',
  `(${managedConfigPath('linux')} on Linux; DEVICE_AGENT_MANAGED_CONFIG names another), which wins over --config.`,
  'Secrets are best passed by environment or file: flags are visible to other users in the process list.',
  `Only the managed file sets ${[...MANAGED_ONLY_KEYS].join(', ')} (docs/publishing-variables.md).`,
];

/** Managed-only settings have no usable flag (the flag is refused, saying so): the help leaves them out. */
function fieldLines(keys?: readonly string[]): string[] {
  return CONFIG_FIELDS.filter((field) => field.managedOnly !== true && (keys === undefined || keys.includes(field.key))).map((field) => {
    const arg = field.kind === 'bool' ? '' : ` <${field.kind === 'secret' ? 'secret' : field.kind}>`;
    return `  --${field.flag}${arg}`.padEnd(26) + ` ${field.description}`;
  });
}

interface CommandHelp {
  synopsis: string;
  summary: string;
  about: string[];
  /** Extra options of this command (beyond configuration flags). */
  options: string[];
  /** Which configuration settings apply: all, some (by key), or none. */
  settings: 'all' | readonly string[] | 'none';
}

const VAR_OPTION = `${'  --var name=value'.padEnd(26)} A custom static variable (repeatable).`;
const JSON_OPTION = (what: string) => `${'  --json'.padEnd(26)} ${what}`;

const HELP: Record<Exclude<Command, 'help' | 'version'>, CommandHelp> = {
  hwid: {
    synopsis: `${CLI_NAME} hwid [options]`,
    summary: 'print this device\'s hardware id',
    about: ['Prints the hardware id the agent reports under (the vendor SDK\'s on Linux, or --hardware-id), and nothing else on stdout.'],
    options: [],
    settings: ['hardwareId', 'stateDir'],
  },
  vars: {
    synopsis: `${CLI_NAME} vars [--json] [options]`,
    summary: 'collect once and print the variables that would be sent',
    about: ['Collects once and prints what would be sent; sends nothing. --json prints {"variables", "failures"}.'],
    options: [JSON_OPTION('Print JSON instead of a table.'), VAR_OPTION],
    settings: ['allow', 'deny', 'pii', 'appVersion'],
  },
  once: {
    synopsis: `${CLI_NAME} once [options]`,
    summary: 'run one sync cycle; exit 0 when the server holds the values',
    about: [
      'Collects, sends what the server does not hold yet, saves the state, and exits:',
      '0 when the server holds every value (a warning on stderr if the state could not be saved),',
      '2 configuration, 3 another agent uses the state directory, 10 network or server,',
      '11 refused configuration, 12 not activated, 13 license state, 14 refused request,',
      '130/143 stopped by SIGINT/SIGTERM before the server answered (nothing confirmed).',
    ],
    options: [VAR_OPTION],
    settings: 'all',
  },
  run: {
    synopsis: `${CLI_NAME} run [options]`,
    summary: 'sync on a schedule until SIGINT/SIGTERM',
    about: [
      'Syncs every interval (the first cycle after a random delay up to one interval, so a fleet',
      'restarted together does not arrive together). One line per cycle on stdout. SIGINT/SIGTERM',
      'stop it within 2 s (a request in flight is abandoned, the state saved); exit 0. A second signal exits at once.',
    ],
    options: [VAR_OPTION],
    settings: 'all',
  },
  status: {
    synopsis: `${CLI_NAME} status [--json] [options]`,
    summary: 'print the persisted sync state',
    about: ['Reads the state directory (without taking its lock) and prints what was last synced, what is pending, and warnings.'],
    options: [JSON_OPTION('Print JSON.')],
    settings: ['stateDir'],
  },
  deactivate: {
    synopsis: `${CLI_NAME} deactivate [options]`,
    summary: 'deactivate this device on the license',
    about: [
      'Calls deactivate_license for this device and clears what the agent remembers as acknowledged.',
      'Exit 0 when the server deactivated it; 12 when the device is not activated. With autoActivate on,',
      'a running agent activates the device again at its next start: stop it and turn autoActivate off first.',
    ],
    options: [],
    settings: 'all',
  },
  sandbox: {
    synopsis: `${CLI_NAME} sandbox [--port N] [--host ADDR] [--db FILE] [--no-demo] [--print-config] [--write-config FILE]`,
    summary: 'start the local License API sandbox',
    about: ['A local License API for trying the agent: demo product, license and keys. Stops on SIGINT/SIGTERM.'],
    options: [
      `${'  --port <n>'.padEnd(26)} Port to listen on (default 0: a free one).`,
      `${'  --host <addr>'.padEnd(26)} Address to listen on (default 127.0.0.1).`,
      `${'  --db <file>'.padEnd(26)} SQLite file for its data (default: in memory, lost at exit).`,
      `${'  --no-demo'.padEnd(26)} Do not create the demo product, licenses and keys.`,
      `${'  --print-config'.padEnd(26)} Print one JSON line with the sandbox's details (URL, keys, demo license, public key PEM).`,
      `${'  --write-config <file>'.padEnd(26)} Write an agent configuration file (and its public key beside it) that \`${CLI_NAME} once --config <file>\` uses as is.`,
    ],
    settings: 'none',
  },
  demo: {
    synopsis: `${CLI_NAME} demo [options]`,
    summary: 'run the agent against an embedded sandbox, one line per cycle',
    about: ['Starts a sandbox inside the agent (data under <state dir>/demo) and syncs to it every 30 s until Ctrl+C.'],
    options: [],
    settings: ['stateDir', 'interval', 'allow', 'deny', 'pii', 'logLevel'],
  },
};

/** The global usage: every command and every setting. */
export function usage(): string {
  const lines = [`Usage: ${CLI_NAME} <command> [options]`, '', 'Commands:'];
  for (const [name, help] of Object.entries(HELP)) lines.push(`  ${name.padEnd(10)} ${help.summary}`);
  lines.push(`  ${'help'.padEnd(10)} help [command]: this text, or one command's`, `  ${'version'.padEnd(10)} print the version`);
  lines.push('', `Run \`${CLI_NAME} <command> --help\` (or \`${CLI_NAME} help <command>\`) for a command's own options.`, '', 'Options:', CONFIG_OPTION, VAR_OPTION, ...fieldLines(), '', ...LAYERS_NOTE);
  return lines.join('\n');
}

/** One command's usage, options and settings. */
export function commandUsage(command: Command): string {
  if (command === 'help' || command === 'version') return usage();
  const help = HELP[command];
  const lines = [`Usage: ${help.synopsis}`, '', ...help.about, ''];
  const settings = help.settings === 'none' ? [] : fieldLines(help.settings === 'all' ? undefined : help.settings);
  if (help.options.length > 0 || settings.length > 0) {
    lines.push('Options:', ...help.options);
    if (settings.length > 0) lines.push(CONFIG_OPTION, ...settings);
  }
  if (settings.length > 0) lines.push('', ...LAYERS_NOTE);
  return lines.join('\n');
}
