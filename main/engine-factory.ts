// Adapts the engine's factory (app/create-agent.ts) and its embedded sandbox
// to the shell's runner.
import { join } from 'node:path';
import { createAgent } from '../app/create-agent.ts';
import { startEmbeddedSandbox } from '../app/embedded-sandbox.ts';
import type { CreateAgentFn, StartSandboxFn } from './engine-runner.ts';

export const createEngine: CreateAgentFn = async (config, options) => {
  const handle = await createAgent(config, options);
  return { agent: handle.agent, close: () => handle.close() };
};

/** The embedded sandbox keeps its data (and key pair) under the state directory. */
export function sandboxStarter(stateDir: string): StartSandboxFn {
  return async () => {
    const sandbox = await startEmbeddedSandbox(join(stateDir, 'sandbox'));
    return { values: { ...sandbox.settings }, publicKeyPem: sandbox.publicKeyPem, close: () => sandbox.close() };
  };
}
