// `run` and `demo`: the schedule until a stop signal, one line per cycle, and what is said
// at start (the last known state, when the first sync comes and why).
import { join } from 'node:path';
import type { AgentStatus } from '../app/agent-api.ts';
import { layerFromFlags, layerFromObject, resolveConfig } from '../app/config/index.ts';
import { createAgent, type AgentHandle } from '../app/create-agent.ts';
import { startEmbeddedSandbox } from '../sandbox/embedded.ts';
import { AGENT_VERSION } from '../app/version.ts';
import type { ParsedArgs } from './args.ts';
import { EXIT } from './exit-codes.ts';
import { cycleLine, sourceProblemLines } from './output.ts';
import { CLI_NAME } from '../app/branding/index.ts';
import type { CliIo } from './cli-io.ts';
import { configLayers, type LoadedConfig } from './load-config.ts';

const DEMO_INTERVAL = '30s';

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

export async function run({ config, warnings: configWarnings, variablesDirs }: LoadedConfig, io: CliIo): Promise<number> {
  const handle = await createAgent(config, { logToConsole: false, warnings: configWarnings, variablesDirs });
  for (const warning of handle.agent.status().warnings) io.stderr(`warning: ${warning}`);
  return loop(handle, io, [`${CLI_NAME} ${AGENT_VERSION} running · hardware id ${handle.hardwareId} · every ${Math.round(config.intervalMs / 1000)} s · logs in ${join(config.stateDir, 'logs')}`]);
}

export async function demo(args: ParsedArgs, io: CliIo): Promise<number> {
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

