// The transport against real local servers: TLS verification (a certificate for
// another host is refused, never downgraded; an extra CA file is added to the
// default roots), HTTP(S)_PROXY through a CONNECT proxy, NO_PROXY, DNS failure
// and a server that never answers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent as HttpAgent, createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer as createNetServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCACertificates } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLicenseApiClient } from '../../app/licenseapi/client.ts';
import type { LicenseApiClientOptions } from '../../app/licenseapi/client.ts';
import { createTransport, redactProxy } from '../../app/licenseapi/transport.ts';
import type { Transport } from '../../app/licenseapi/transport.ts';
import { hasOpenssl, makeChainSignedByNonCa, makeSelfSignedCert } from '../support/self-signed-cert.ts';
import { rejectionOf } from './helpers.ts';

if (!hasOpenssl) console.warn('transport.test: openssl CLI not found; the TLS cases are skipped (node cannot generate certificates).');

const dir = mkdtempSync(join(tmpdir(), 'licenseapi-transport-'));
const servers: Server[] = [];
const sockets = new Set<Socket>();

const makeCert = (name: string, subjectAltName: string) => makeSelfSignedCert(dir, name, subjectAltName);

const REPLY = JSON.stringify([{ variable: 'a', value: '1', device_id: 1, created_at: 1700000000000 }]);
function answer(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'application/json', Date: new Date().toUTCString() });
  res.end(REPLY);
}

async function listen(server: Server): Promise<number> {
  servers.push(server);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A minimal CONNECT proxy that records the tunnels it opened. */
async function startProxy(): Promise<{ url: string; tunnels: string[] }> {
  const tunnels: string[] = [];
  const proxy = createHttpServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const port = await listen(proxy);
  return { url: `http://user:pw@127.0.0.1:${port}`, tunnels };
}

function client(apiUrl: string, extra: Partial<LicenseApiClientOptions> = {}) {
  return createLicenseApiClient({ apiUrl, auth: { kind: 'hmac', apiKey: 'k', sharedKey: 's' }, timeoutMs: 3000, ...extra });
}
const track = (api: ReturnType<typeof client>) => api.trackDeviceVariables({ product: 'p', hardwareId: 'h', licenseKey: 'l', variables: { a: '1' } });

let goodCert: ReturnType<typeof makeCert>;
let otherHostCert: ReturnType<typeof makeCert>;
let goodUrl = '';
let otherHostUrl = '';

beforeAll(async () => {
  if (!hasOpenssl) return;
  goodCert = makeCert('loopback', 'IP:127.0.0.1');
  otherHostCert = makeCert('other.example', 'DNS:other.example');
  goodUrl = `https://127.0.0.1:${await listen(createHttpsServer({ cert: goodCert.cert, key: goodCert.key }, answer))}/api/v4/`;
  otherHostUrl = `https://127.0.0.1:${await listen(createHttpsServer({ cert: otherHostCert.cert, key: otherHostCert.key }, answer))}/api/v4/`;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!hasOpenssl)('TLS', () => {
  it('refuses an untrusted self-signed certificate', async () => {
    const error = await rejectionOf(track(client(goodUrl, { transport: createTransport({ proxyForUrl: () => '' }) })));
    expect(error).toMatchObject({ code: 'tls_error', errorClass: 'needs-configuration' });
  });

  it('accepts a server whose CA is in the extra CA file, keeping the default roots', async () => {
    const transport = createTransport({ caFile: goodCert.certFile, proxyForUrl: () => '' });
    expect(transport.extraCa).toBe(true);
    const agent = transport.agentsFor(goodUrl).httpsAgent as unknown as { options: { ca: string[] } };
    expect(agent.options.ca).toHaveLength(getCACertificates('default').length + 1);
    await expect(track(client(goodUrl, { transport }))).resolves.toEqual([{ variable: 'a', value: '1', deviceId: 1, createdAt: 1700000000000 }]);
  });

  it('refuses a trusted certificate issued for another host name (never downgraded)', async () => {
    const transport = createTransport({ caFile: otherHostCert.certFile, proxyForUrl: () => '' });
    const error = await rejectionOf(track(client(otherHostUrl, { transport })));
    expect(error).toMatchObject({ code: 'tls_error', errorClass: 'needs-configuration', detail: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('refuses a certificate signed by a trusted root\'s non-CA certificate as a TLS error, not as an unreachable server', async () => {
    const chain = makeChainSignedByNonCa(dir, 'non-ca', 'IP:127.0.0.1');
    const url = `https://127.0.0.1:${await listen(createHttpsServer({ cert: chain.cert, key: chain.key }, answer))}/api/v4/`;
    const error = await rejectionOf(track(client(url, { transport: createTransport({ caFile: chain.caFile, proxyForUrl: () => '' }) })));
    expect(error).toMatchObject({ code: 'tls_error', errorClass: 'needs-configuration' });
    expect(['INVALID_PURPOSE', 'INVALID_CA']).toContain(error.detail);
  });

  it('tunnels HTTPS through the proxy, still verifying the target with the extra CA', async () => {
    const proxy = await startProxy();
    const transport = createTransport({ caFile: goodCert.certFile, proxyForUrl: () => proxy.url });
    expect(transport.agentsFor(goodUrl).proxy).not.toContain('pw');
    await expect(track(client(goodUrl, { transport }))).resolves.toHaveLength(1);
    expect(proxy.tunnels).toEqual([new URL(goodUrl).host]);
    const refused = await rejectionOf(track(client(otherHostUrl, { transport: createTransport({ proxyForUrl: () => proxy.url }) })));
    expect(refused.code).toBe('tls_error');
  });
});

describe('proxy and network', () => {
  it('sends plain HTTP through the proxy named by the environment, and bypasses it for NO_PROXY', async () => {
    const proxy = await startProxy();
    const port = await listen(createHttpServer(answer));
    const target = `http://127.0.0.1:${port}/api/v4/`;
    const saved = { HTTP_PROXY: process.env.HTTP_PROXY, http_proxy: process.env.http_proxy, NO_PROXY: process.env.NO_PROXY, no_proxy: process.env.no_proxy };
    try {
      delete process.env.http_proxy;
      delete process.env.no_proxy;
      delete process.env.NO_PROXY;
      process.env.HTTP_PROXY = proxy.url;
      await expect(track(client(target, { transport: createTransport() }))).resolves.toHaveLength(1);
      expect(proxy.tunnels).toEqual([`127.0.0.1:${port}`]);
      process.env.NO_PROXY = '127.0.0.1';
      const direct = createTransport();
      expect(direct.agentsFor(target).proxy).toBeUndefined();
      await expect(track(client(target, { transport: direct }))).resolves.toHaveLength(1);
      expect(proxy.tunnels).toHaveLength(1);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('redacts proxy credentials for diagnostics', () => {
    expect(redactProxy('http://alice:s3cret@proxy.corp:3128')).toBe('http://proxy.corp:3128/');
  });

  it('reports a DNS failure as dns_failure', async () => {
    const failingLookup: Transport = {
      extraCa: false,
      agentsFor: () => ({
        httpAgent: new HttpAgent({
          lookup: (hostname, _options, callback) => callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 4),
        }),
      }),
    };
    const error = await rejectionOf(track(client('http://api.licensespring.invalid/api/v4/', { transport: failingLookup })));
    expect(error).toMatchObject({ code: 'dns_failure', errorClass: 'retryable', detail: 'ENOTFOUND' });
  });

  it('gives up on a server that accepts and never answers, at the deadline', async () => {
    const port = await listen(createNetServer(() => undefined));
    const started = Date.now();
    const error = await rejectionOf(track(client(`http://127.0.0.1:${port}/api/v4/`, { timeoutMs: 250, transport: createTransport({ proxyForUrl: () => '' }) })));
    expect(error.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('refuses an unreadable CA file, naming the option', () => {
    expect(() => createTransport({ caFile: join(dir, 'missing.pem') })).toThrow(/^caFile: cannot read/);
    const notPem = join(dir, 'not.pem');
    writeFileSync(notPem, 'hello');
    expect(() => createTransport({ caFile: notPem })).toThrow(/no PEM certificate/);
  });
});
