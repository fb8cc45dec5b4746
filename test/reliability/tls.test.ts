// A TLS certificate that does not match: the agent (createAgent, real configuration,
// real transport) talks HTTPS to a TLS front that forwards to the sandbox. With a
// certificate for another host name, or one nobody trusts, the connection is
// refused, the status asks a person to act, no request reaches the server and no
// fast retries follow. Fixing the configuration (the right CA) makes it sync.
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Server as TlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../../app/create-agent.ts';
import { AGENT_VERSION } from '../../app/version.ts';
import { startSandbox } from '../../sandbox/server.ts';
import type { Sandbox } from '../../sandbox/server.ts';
import { hasOpenssl, makeSelfSignedCert as makeCert } from '../support/self-signed-cert.ts';
import { expectServerHoldsLatest, freshHardwareId, sandboxConfig, tempDir } from './harness.ts';

let sandbox: Sandbox;
const fronts: TlsServer[] = [];
const sockets = new Set<Socket>();

/** Terminates TLS with `cert` and pipes the plain bytes to the sandbox. Returns the https API URL. */
async function tlsFront(cert: { cert: string; key: string }): Promise<string> {
  const server = createTlsServer({ cert: cert.cert, key: cert.key }, (socket) => {
    sockets.add(socket);
    const upstream = connect(sandbox.port, '127.0.0.1');
    sockets.add(upstream);
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  server.on('tlsClientError', () => undefined);
  fronts.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return `https://127.0.0.1:${port}/api/v4/`;
}

let certs: { right: ReturnType<typeof makeCert>; otherHost: ReturnType<typeof makeCert> };
let urls: { right: string; otherHost: string };

beforeAll(async () => {
  sandbox = await startSandbox();
  if (!hasOpenssl) return;
  const dir = await tempDir('tls');
  certs = { right: makeCert(dir, 'loopback', 'IP:127.0.0.1'), otherHost: makeCert(dir, 'other.example', 'DNS:other.example') };
  urls = { right: await tlsFront(certs.right), otherHost: await tlsFront(certs.otherHost) };
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(fronts.map((f) => new Promise((resolve) => f.close(resolve))));
  await sandbox.close();
});

describe.skipIf(!hasOpenssl)('TLS certificate that does not match', () => {
  const cases = [
    { label: 'issued for another host name (its CA trusted)', url: () => urls.otherHost, caFile: () => certs.otherHost.certFile },
    { label: 'not trusted at all (self-signed, no CA file)', url: () => urls.right, caFile: () => undefined },
  ];
  for (const c of cases) {
    it(`${c.label}: refused, never downgraded, nothing reaches the server; the right CA fixes it`, async () => {
      const stateDir = await tempDir('tls-agent');
      const hardwareId = freshHardwareId();
      const caFile = c.caFile();
      const handle = await createAgent(sandboxConfig(sandbox, stateDir, { apiUrl: c.url(), hardwareId, variables: { site: 'tls' }, ...(caFile ? { caFile } : {}) }), { publicKeyPem: sandbox.demo.publicKeyPem });
      try {
        sandbox.admin.resetRequestLog();
        const result = await handle.agent.syncNow();
        expect(result.ok).toBe(false);
        const status = handle.agent.status();
        expect(status.error).toMatchObject({ code: 'tls_error', errorClass: 'needs-configuration' });
        expect(status.phase).toBe('attention');
        expect(status.headline).toBe('Needs attention: The server\'s TLS certificate could not be verified (wrong host name, untrusted or expired), so the connection was refused');
        expect(status.error?.remedy).toMatch(/Verification is never turned off/);
        expect(sandbox.admin.requests()).toEqual([]); // no request went through in clear or otherwise
        expect(status.variables.every((v) => v.pending)).toBe(true);

        // The fix: the right CA for the right address; a configuration change applies it.
        await handle.reconfigure(sandboxConfig(sandbox, stateDir, { apiUrl: urls.right, caFile: certs.right.certFile, hardwareId, variables: { site: 'tls' } }));
        expect((await handle.agent.syncNow()).ok).toBe(true);
        expect(handle.agent.status().headline).toBe('Synced just now');
        await expectServerHoldsLatest(sandbox, { hardwareId, engine: handle.agent }, { agent_version: AGENT_VERSION, site: 'tls' });
      } finally {
        await handle.close();
      }
    });
  }
});
