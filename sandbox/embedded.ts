// The local License API sandbox started inside the agent's process, for
// `device-agent demo` and for `npm start` when nothing is configured. Its data
// (and key pair) live in a file so that a restart finds the same device.
import { join } from 'node:path';
import type { RawConfigInput } from '../app/config/schema.ts';
import { ensurePrivateDir } from '../app/files/private-files.ts';

export interface EmbeddedSandbox {
  /** Settings that point the agent at the sandbox (demo product, license and keys). */
  settings: RawConfigInput;
  publicKeyPem: string;
  apiUrl: string;
  close(): Promise<void>;
}

export async function startEmbeddedSandbox(dataDir: string): Promise<EmbeddedSandbox> {
  // Imported lazily: only the demo paths need the sandbox (and node:sqlite).
  const { startSandbox } = await import('./server.ts');
  ensurePrivateDir(dataDir); // inside the agent's state directory, and as private
  // Its admin route (loopback only) takes $DEVICE_AGENT_SANDBOX_ADMIN_TOKEN like `device-agent sandbox` does: tests read what it holds.
  const adminToken = process.env.DEVICE_AGENT_SANDBOX_ADMIN_TOKEN;
  const sandbox = await startSandbox({ port: 0, dbPath: join(dataDir, 'sandbox.db'), ...(adminToken ? { adminToken } : {}) });
  const { demo } = sandbox;
  return {
    settings: {
      apiUrl: demo.apiUrl,
      apiKey: demo.apiKey,
      sharedKey: demo.sharedKey,
      product: demo.product,
      licenseKey: demo.licenseKey,
      autoActivate: true,
    },
    publicKeyPem: demo.publicKeyPem,
    apiUrl: demo.apiUrl,
    close: () => sandbox.close(),
  };
}
