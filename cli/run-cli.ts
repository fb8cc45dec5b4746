// The device-agent command: parses the command line, builds the configuration,
// runs one command and returns its exit code. Every failure a person can fix
// becomes one line naming the field or error code and what to do — never a stack.
import { join } from 'node:path';
import { localeFromEnv, translator, type Translator } from '../locales/i18n.ts';
import type { AgentStatus } from '../app/agent-api.ts';
import { CollectConfigError } from '../app/collect/collector.ts';
import { validateVariables } from '../app/collect/validate.ts';
import {
  ConfigError, formatProblem, layerFromEnv, layerFromFile, layerFromFlags, layerFromObject, machineVariablesDir, readManagedConfig,
  resolveConfig, type AgentConfig, type Layer,
} from '../app/config/index.ts';
import { buildVariableCollector, createAgent, SHARED_KEY_WARNING, type AgentHandle, type VariablesDirs } from '../app/create-agent.ts';
import { startEmbeddedSandbox } from '../sandbox/embedded.ts';
import { IdentityConfigError, resolveIdentity } from '../app/identity/resolve-identity.ts';
import { LicenseApiError } from '../app/licenseapi/errors.ts';
import { StateLockedError } from '../app/state/lock.ts';
import { openStateStore } from '../app/state/state-store.ts';
import { isInSync, pendingVariables } from '../app/sync/diff.ts';
import { AGENT_VERSION } from '../app/version.ts';
import { commandUsage, parseCommandLine, usage, UsageError, type ParsedArgs } from './args.ts';
import { EXIT, exitCodeFor } from './exit-codes.ts';
import { cycleLine, errorLine, sourceProblemLines, statusReport, statusText, variablesTable } from './output.ts';
import { CLI_NAME } from '../app/branding/index.ts';

export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
  env: NodeJS.ProcessEnv;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM). */
  stopSignal: Promise<string>;
}

const DEMO_INTERVAL = '30s';

/**
 * Configuration layers: flags > environment > managed file > --config file > defaults. A broken
 * managed file (or a DEVICE_AGENT_MANAGED_CONFIG naming a missing one) is an error, never
 * skipped: see app/config/managed.ts.
 */
function configLayers(args: ParsedArgs, env: NodeJS.ProcessEnv): { layers: Layer[]; managedPath: string } {
  const layers = [layerFromFlags(args.flags), layerFromEnv(env)];
  const managed = readManagedConfig(env);
  if (managed.state === 'broken') throw new ConfigError(managed.problems);
  if (managed.state === 'ok') layers.push(managed.managed.layer);
  const file = args.configFile ?? env.DEVICE_AGENT_CONFIG;
  if (file) layers.push(layerFromFile(file, file, { worldWritable: 'warn' }));
  return { layers, managedPath: managed.state === 'ok' ? managed.managed.path : managed.path };
}

interface LoadedConfig {
  config: AgentConfig;
  /** What its files warn about (printed on stderr, shown in status). */
  warnings: string[];
  /** The drop-in folders: beside the managed file read (DEVICE_AGENT_MANAGED_CONFIG's, else the OS's), and in the state directory. */
  variablesDirs: VariablesDirs;
}

function loadConfig(args: ParsedArgs, env: NodeJS.ProcessEnv): LoadedConfig {
  const { layers, managedPath } = configLayers(args, env);
  const config = resolveConfig(layers);
  return { config, warnings: layers.flatMap((layer) => layer.warnings ?? []), variablesDirs: { machine: machineVariablesDir(managedPath), user: join(config.stateDir, 'variables.d') } };
}

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

/**
 * The line `run` prints while it waits for its first cycle: when, and why then (the
 * engine's one sentence, app/sync/status-text.ts firstSyncExplanation). It suggests
 * nothing: `once` (which used to be suggested) is refused while `run` holds the state
 * directory's lock.
 */
export function firstDelayLine(delayMs: number, explanation: string): string {
  return `first sync in ${Math.max(0, Math.round(delayMs / 1000))} s: ${explanation}`;
}

/** What `run` prints after start: the last known state (when there is one) and when the first sync comes, and why. */
export function startLines(status: AgentStatus, now: number): string[] {
  const lines = status.phase === 'starting' ? [] : [`last known state: ${status.headline}`];
  if (status.firstSync !== undefined && status.firstSync.reason !== 'asked' && status.nextSyncAt !== undefined) {
    lines.push(firstDelayLine(status.nextSyncAt - now, status.firstSync.explanation));
  }
  return lines;
}

/** Runs the schedule until a stop signal, printing one line per cycle. */
async function loop(handle: AgentHandle, io: CliIo, intro: string[]): Promise<number> {
  for (const line of intro) io.stdout(line);
  let printed = handle.agent.status().history.length;
  let lastHistoryAt = handle.agent.status().history.at(-1)?.at;
  let sourceLines = new Set<string>();
  const unsubscribe = handle.agent.onStatus((status) => {
    const last = status.history.at(-1);
    if (last && (status.history.length !== printed || last.at !== lastHistoryAt)) {
      printed = status.history.length;
      lastHistoryAt = last.at;
      io.stdout(cycleLine(status));
      // A drop-in file or managed source left out: said once, when it starts (not every cycle).
      const now = new Set(sourceProblemLines(status.variableSources));
      for (const line of now) if (!sourceLines.has(line)) io.stderr(`warning: ${line}`);
      sourceLines = now;
    }
  });
  await handle.agent.start();
  for (const line of startLines(handle.agent.status(), Date.now())) io.stdout(line);
  const signal = await io.stopSignal;
  io.stdout(`${signal}: stopping (a request in flight is abandoned; the state is saved)`);
  unsubscribe();
  await handle.close();
  return EXIT.ok;
}

async function run({ config, warnings: configWarnings, variablesDirs }: LoadedConfig, io: CliIo): Promise<number> {
  const handle = await createAgent(config, { logToConsole: false, warnings: configWarnings, variablesDirs });
  for (const warning of handle.agent.status().warnings) io.stderr(`warning: ${warning}`);
  return loop(handle, io, [`${CLI_NAME} ${AGENT_VERSION} running · hardware id ${handle.hardwareId} · every ${Math.round(config.intervalMs / 1000)} s · logs in ${join(config.stateDir, 'logs')}`]);
}

async function demo(args: ParsedArgs, io: CliIo): Promise<number> {
  const base = resolveConfig(configLayers(args, {}).layers);
  const dataDir = join(base.stateDir, 'demo');
  const sandbox = await startEmbeddedSandbox(join(dataDir, 'sandbox'));
  try {
    const config = resolveConfig([
      layerFromObject({ ...sandbox.settings, stateDir: dataDir }, 'the embedded sandbox'),
      layerFromFlags(args.flags),
      layerFromObject({ interval: DEMO_INTERVAL }, 'demo default'),
    ]);
    const handle = await createAgent(config, { usingSandbox: true, publicKeyPem: sandbox.publicKeyPem, startImmediately: true });
    return await loop(handle, io, [
      `${CLI_NAME} ${AGENT_VERSION} demo: syncing to the embedded sandbox at ${sandbox.apiUrl} every ${Math.round(config.intervalMs / 1000)} s (Ctrl+C to stop)`,
      `hardware id ${handle.hardwareId} · state in ${dataDir}`,
    ]);
  } finally {
    await sandbox.close();
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
