// Adapts the engine's factory (app/create-agent.ts) and its embedded sandbox
// to the shell's runner.
import { join } from 'node:path';
import { createAgent } from '../app/create-agent.ts';
import type { startEmbeddedSandbox } from '../sandbox/embedded.ts';
import type { CreateAgentFn, StartSandboxFn } from './engine-runner.ts';

export const createEngine: CreateAgentFn = async (config, options) => {
  const handle = await createAgent(config, options);
  return { agent: handle.agent, close: () => handle.close(), stateDir: handle.stateDir, reconfigure: (next) => handle.reconfigure(next) };
};

/**
 * The embedded sandbox keeps its data (and key pair) under the state directory.
 * Its code (node:sqlite, key generation, an HTTP server with fault injection) is
 * not in the main bundle: tools/build.ts bundles it apart (dist/dev/, never
 * packaged) and it is imported from `moduleUrl` only when an unpackaged app
 * first needs it.
 */
export function sandboxStarter(stateDir: string, moduleUrl: string): StartSandboxFn {
  return async () => {
    const { startEmbeddedSandbox: start } = (await import(moduleUrl)) as { startEmbeddedSandbox: typeof startEmbeddedSandbox };
    const sandbox = await start(join(stateDir, 'sandbox'));
    return { values: { ...sandbox.settings }, publicKeyPem: sandbox.publicKeyPem, close: () => sandbox.close() };
  };
}
