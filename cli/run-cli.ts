// The device-agent command: parses the command line, builds the configuration,
// runs one command and returns its exit code. Every failure a person can fix
// becomes one line naming the field or error code and what to do — never a stack.
import { localeFromEnv, translator, type Translator } from '../locales/i18n.ts';
import type { AgentStatus } from '../app/agent-api.ts';
import { CollectConfigError } from '../app/collect/collector.ts';
import { validateVariables } from '../app/collect/validate.ts';
import { ConfigError, formatProblem, type AgentConfig } from '../app/config/index.ts';
import { buildVariableCollector, createAgent, SHARED_KEY_WARNING } from '../app/create-agent.ts';
import { IdentityConfigError, resolveIdentity } from '../app/identity/resolve-identity.ts';
import { LicenseApiError } from '../app/licenseapi/errors.ts';
import { StateLockedError } from '../app/state/lock.ts';
import { openStateStore } from '../app/state/state-store.ts';
import { isInSync, pendingVariables } from '../app/sync/diff.ts';
import { AGENT_VERSION } from '../app/version.ts';
import { commandUsage, parseCommandLine, usage, UsageError, type ParsedArgs } from './args.ts';
import { EXIT, exitCodeFor } from './exit-codes.ts';
import { errorLine, sourceProblemLines, statusReport, statusText, variablesTable } from './output.ts';
import { CLI_NAME } from '../app/branding/index.ts';
import type { CliIo } from './cli-io.ts';
import { loadConfig, type LoadedConfig } from './load-config.ts';
import { demo, run } from './run-loop.ts';

export type { CliIo } from './cli-io.ts';
export { firstDelayLine, startLines } from './run-loop.ts';

/** The language of the person reading the error lines: the C library's (LC_ALL, LC_MESSAGES, LANG). */
function reader(io: CliIo): Translator {
  return translator(localeFromEnv(io.env));
}

/** The exit code of a command stopped by a signal (the shell's convention: 128 + its number). */
function signalExitCode(signal: string): number {
  return signal === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint;
}

async function hwid(config: AgentConfig, io: CliIo, configWarnings: string[]): Promise<number> {
  const identity = await resolveIdentity({
    stateDir: config.stateDir,
    ...(config.hardwareId ? { override: config.hardwareId } : config.hardwareIdFile ? { file: config.hardwareIdFile } : {}),
  });
  io.stdout(identity.hardwareId);
  for (const warning of [...configWarnings, ...identity.warnings]) io.stderr(`warning: ${warning}`);
  return EXIT.ok;
}

async function vars({ config, warnings: configWarnings, variablesDirs }: LoadedConfig, args: ParsedArgs, io: CliIo): Promise<number> {
  for (const warning of configWarnings) io.stderr(`warning: ${warning}`);
  const collector = buildVariableCollector(config, { variablesDirs, ...(config.appVersion ? { appVersion: config.appVersion } : {}) });
  const result = await collector.collectAll();
  const checked = validateVariables(result.values);
  if (!checked.ok) {
    for (const e of checked.errors) io.stderr(`invalid variable ${e.field}: ${e.message}`);
    return EXIT.usage;
  }
  const sources = collector.sources();
  if (args.json) {
    io.stdout(JSON.stringify({ variables: checked.values, failures: result.failures.map(({ collector: c, message }) => ({ collector: c, message })), sources }, null, 2));
  } else {
    io.stdout(variablesTable(checked.values));
    for (const f of result.failures) io.stderr(`warning: collector ${f.collector} failed: ${f.message}`);
    for (const line of sourceProblemLines(sources)) io.stderr(`warning: ${line}`);
  }
  return EXIT.ok;
}

function exitForStatus(status: AgentStatus): number {
  if (status.error) return exitCodeFor(status.error.errorClass);
  return isInSync(status.variables.length, status.variables.filter((v) => v.pending).length) ? EXIT.ok : EXIT.retryable;
}

async function once({ config, warnings: configWarnings, variablesDirs }: LoadedConfig, io: CliIo): Promise<number> {
  // A cron job running `once` asks check_license once a day, not at every run.
  const handle = await createAgent(config, { warnings: configWarnings, checkLicenseAtStart: false, variablesDirs });
  let stoppedBy: string | undefined;
  // A signal aborts the request in flight and saves the state; the command then says so.
  void io.stopSignal.then((signal) => {
    stoppedBy = signal;
    void handle.close();
  });
  const result = await handle.agent.syncNow('manual');
  await handle.close(); // the state is written before anything is reported
  const status = handle.agent.status();
  if (stoppedBy !== undefined && result.error?.code === 'cancelled') {
    io.stderr(`${stoppedBy}: stopped before the server answered; nothing was confirmed and the values stay pending (the state is saved).`);
    return signalExitCode(stoppedBy);
  }
  if (!result.ok && result.error) {
    io.stderr(errorLine(result.error, reader(io)));
    if (status.license) io.stderr(`license: ${status.license.summary}`);
    return exitCodeFor(result.error.errorClass);
  }
  const code = exitForStatus(status);
  if (code === EXIT.ok) {
    io.stdout(`synced: the server holds all ${status.variables.length} variables (${result.sent} sent this time) for hardware id ${status.hardwareId}`);
    if (status.license) io.stdout(`license: ${status.license.summary}`);
  } else {
    io.stderr(`not synced: ${status.headline}`);
  }
  for (const warning of status.warnings) io.stderr(`warning: ${warning}`);
  return code;
}

/** Deactivates this device on the license: exit 0 on license_deactivated, 12 when the device is not activated. */
async function deactivate({ config, variablesDirs }: LoadedConfig, io: CliIo): Promise<number> {
  const handle = await createAgent(config, { variablesDirs });
  try {
    const result = await handle.agent.deactivate();
    if (!result.ok && result.error) {
      io.stderr(errorLine(result.error, reader(io)));
      return exitCodeFor(result.error.errorClass);
    }
    io.stdout(`deactivated: hardware id ${handle.agent.status().hardwareId} no longer holds license ${handle.agent.status().licenseDisplay} of product ${config.product}; the server keeps its variables. \`${CLI_NAME} once --auto-activate\` activates it again.`);
    return EXIT.ok;
  } finally {
    await handle.close();
  }
}
function status(config: AgentConfig, args: ParsedArgs, io: CliIo, configWarnings: string[]): number {
  const store = openStateStore({ stateDir: config.stateDir });
  const state = store.load();
  const warnings = [...configWarnings, ...store.warnings()];
  if (config.sharedKey) warnings.push(SHARED_KEY_WARNING);
  // Drop-in files and managed sources left out at the last cycle (kept in the state by the engine).
  warnings.push(...sourceProblemLines(state.variableSources));
  const tr = args.json ? translator('en') : reader(io);
  const report = statusReport(state, config.stateDir, store.path, pendingVariables(state.desired, state.acknowledged), warnings, tr);
  io.stdout(args.json ? JSON.stringify(report, null, 2) : statusText(report, tr));
  return EXIT.ok;
}

async function sandbox(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(commandUsage('sandbox'));
    return EXIT.ok;
  }
  const { runSandboxCli } = await import('../sandbox/cli.ts');
  const result = await runSandboxCli(argv, { stdout: io.stdout, stderr: io.stderr, env: io.env });
  if (typeof result === 'number') return result;
  await io.stopSignal;
  await result.stop();
  return EXIT.ok;
}

/**
 * Maps an error to the one line a person sees, and the exit code. The line's frame and the
 * License API's errors are in the reader's language (LC_ALL, LC_MESSAGES, LANG); what a
 * configuration problem names (fields, values) is the configuration's own words.
 */
export function describeFailure(error: unknown, tr: Translator = translator('en')): { lines: string[]; code: number } {
  if (error instanceof UsageError) {
    const help = error.command === undefined || error.command === 'help' ? `${CLI_NAME} help` : `${CLI_NAME} help ${error.command}`;
    return { lines: [tr.t('cli.usage', { cli: CLI_NAME, message: error.message }), tr.t('cli.usageHint', { help })], code: EXIT.usage };
  }
  if (error instanceof ConfigError) return { lines: error.problems.map((p) => tr.t('cli.configError', { message: formatProblem(p) })), code: EXIT.usage };
  if (error instanceof IdentityConfigError) return { lines: [tr.t('cli.configError', { message: error.message })], code: EXIT.usage };
  if (error instanceof CollectConfigError) return { lines: [tr.t('cli.configError', { message: error.message })], code: EXIT.usage };
  if (error instanceof StateLockedError) return { lines: [tr.t('cli.usage', { cli: CLI_NAME, message: error.message })], code: EXIT.locked };
  if (error instanceof LicenseApiError) {
    return { lines: [errorLine(error, tr)], code: error.code === 'invalid_request' ? EXIT.usage : exitCodeFor(error.errorClass) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { lines: [tr.t('cli.internal', { cli: CLI_NAME, message })], code: EXIT.internal };
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    if (argv[0] === 'sandbox') return await sandbox(argv.slice(1), io);
    const args = parseCommandLine(argv);
    if (args.command === 'help') {
      io.stdout(args.helpFor === undefined ? usage() : commandUsage(args.helpFor));
      return EXIT.ok;
    }
    if (args.help) {
      io.stdout(commandUsage(args.command));
      return EXIT.ok;
    }
    if (args.command === 'version') {
      io.stdout(AGENT_VERSION);
      return EXIT.ok;
    }
    if (args.command === 'demo') return await demo(args, io);
    const loaded = loadConfig(args, io.env);
    const { config, warnings } = loaded;
    switch (args.command) {
      case 'hwid': return await hwid(config, io, warnings);
      case 'vars': return await vars(loaded, args, io);
      case 'once': return await once(loaded, io);
      case 'deactivate': return await deactivate(loaded, io);
      case 'run': return await run(loaded, io);
      case 'status': return status(config, args, io, warnings);
      default: return EXIT.usage;
    }
  } catch (error) {
    const { lines, code } = describeFailure(error, reader(io));
    for (const line of lines) io.stderr(line);
    return code;
  }
}
