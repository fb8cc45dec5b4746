// Stopping while the server does not answer. Before, SIGINT/SIGTERM during `once` were
// ignored until the request ended (up to ~30 s with OAuth and activation), and `run`
// waited for its request at shutdown. Now the request in flight is aborted, the state
// saved, and the process gone within 2 s; a second signal exits at once.
// The "server" here accepts connections and never answers (a stalled API or proxy).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../../app/create-agent.ts';
import { layerFromObject, resolveConfig } from '../../app/config/index.ts';
import { syncStateSchema } from '../../app/state/sync-state.ts';
import { tempDir } from './harness.ts';

const ROOT = join(import.meta.dirname, '..', '..');

interface Stalled {
  url: string;
  /** Resolves with the path of the next request that arrives (and is never answered). */
  nextRequest(): Promise<string>;
  /** Connections closed by the client so far. */
  closedByClient(): number;
  close(): Promise<void>;
}

async function stalledServer(): Promise<Stalled> {
  const waiting: Array<(path: string) => void> = [];
  const arrived: string[] = [];
  const sockets = new Set<Socket>();
  let closed = 0;
  const server: Server = createServer((req: IncomingMessage) => {
    const path = req.url ?? '';
    const waiter = waiting.shift();
    if (waiter) waiter(path);
    else arrived.push(path);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => { closed++; sockets.delete(socket); });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v4/`,
    nextRequest: () => new Promise((resolve) => {
      const early = arrived.shift();
      if (early !== undefined) resolve(early);
      else waiting.push(resolve);
    }),
    closedByClient: () => closed,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const settings = (server: Stalled, stateDir: string, extra: Record<string, unknown> = {}) => ({
  apiUrl: server.url, apiKey: 'api-key-1', sharedKey: 'shared-key-for-signals', product: 'demo', licenseKey: 'AAAA-BBBB',
  hardwareId: 'signals-device', allow: ['agent_version'], stateDir, ...extra,
});

let server: Stalled;
beforeAll(async () => {
  server = await stalledServer();
});
afterAll(async () => {
  await server.close();
});

describe('the engine stopping while the server does not answer', () => {
  for (const auth of ['hmac', 'oauth'] as const) {
    it(`${auth}: stop() aborts the request in flight, records no error, and saves the state (within 500 ms)`, async () => {
      const stateDir = await tempDir(`stop-${auth}`);
      const extra = auth === 'oauth'
        ? { apiKey: undefined, sharedKey: undefined, clientId: 'client-1', clientSecret: 'client-secret-1', tokenUrl: `${server.url}token` }
        : {};
      const handle = await createAgent(resolveConfig([layerFromObject(settings(server, stateDir, extra), 'test')]));
      const syncing = handle.agent.syncNow();
      const path = await server.nextRequest();
      // A new identity's first cycle starts with check_license (OAuth: with the token request before it).
      expect(path).toMatch(auth === 'oauth' ? /token$/ : /\/check_license\?/);
      const closedBefore = server.closedByClient();
      const started = Date.now();
      await handle.close();
      expect(Date.now() - started).toBeLessThan(500);
      const result = await syncing;
      expect(result).toMatchObject({ ok: false, sent: 0, error: { code: 'cancelled' } });
      await expect.poll(() => server.closedByClient()).toBeGreaterThan(closedBefore); // the connection was really dropped
      const state = syncStateSchema.parse(JSON.parse(await readFile(join(stateDir, 'state.json'), 'utf8')));
      expect(state.history).toEqual([]);
      expect(state.lastError).toBeUndefined();
      expect(state.acknowledged).toEqual({});
      expect(Object.keys(state.desired)).toEqual(['agent_version']);
      expect(existsSync(join(stateDir, 'agent.lock'))).toBe(false);
    });
  }
});

function startOnce(stateDir: string): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; stderr: string; stdout: string }> } {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: stateDir };
  for (const [key, value] of Object.entries(settings(server, stateDir))) {
    const name = `DEVICE_AGENT_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
    env[name] = Array.isArray(value) ? value.join(',') : String(value);
  }
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'device-agent.js'), 'once'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
  const done = new Promise<{ code: number | null; signal: string | null; stderr: string; stdout: string }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stderr, stdout }));
  });
  return { child, done };
}

describe('`device-agent once` interrupted while the server does not answer', () => {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal}: exits ${code} within 2 s, says nothing was confirmed, saves the state and releases the lock`, async () => {
      const stateDir = await tempDir(`once-${signal}`);
      const cli = startOnce(stateDir);
      await server.nextRequest();
      const sentAt = Date.now();
      cli.child.kill(signal);
      const timer = setTimeout(() => cli.child.kill('SIGKILL'), 10_000);
      const result = await cli.done.finally(() => clearTimeout(timer));
      expect(Date.now() - sentAt).toBeLessThan(2_000);
      expect(result.code, result.stderr).toBe(code);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim()).toBe(`${signal}: stopped before the server answered; nothing was confirmed and the values stay pending (the state is saved).`);
      expect(existsSync(join(stateDir, 'agent.lock'))).toBe(false);
      const state = syncStateSchema.parse(JSON.parse(await readFile(join(stateDir, 'state.json'), 'utf8')));
      expect(state.acknowledged).toEqual({});
      expect(state.history).toEqual([]);
    });
  }
});
