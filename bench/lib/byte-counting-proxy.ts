// A loopback TCP proxy that counts every byte in each direction: what the
// agent's socket wrote (request line, headers, body) and what it read back
// (status line, headers, body). TCP/IP framing is not counted; TLS would add
// its records and handshake on top (see docs/performance.md).
import { createConnection, createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

export interface ByteCounters {
  /** Bytes from the client to the server. */
  up: number;
  /** Bytes from the server to the client. */
  down: number;
  /** TCP connections accepted. */
  connections: number;
}

export interface ByteCountingProxy {
  port: number;
  counters(): ByteCounters;
  close(): Promise<void>;
}

export async function startByteCountingProxy(target: { host: string; port: number }): Promise<ByteCountingProxy> {
  const counters: ByteCounters = { up: 0, down: 0, connections: 0 };
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const server = createServer((client) => {
    counters.connections += 1;
    track(client);
    const upstream = createConnection({ host: target.host, port: target.port });
    track(upstream);
    client.on('data', (chunk: Buffer) => { counters.up += chunk.length; });
    upstream.on('data', (chunk: Buffer) => { counters.down += chunk.length; });
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.once('error', end);
    upstream.once('error', end);
    client.once('close', end);
    upstream.once('close', end);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    counters: () => ({ ...counters }),
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

export function diffCounters(after: ByteCounters, before: ByteCounters): ByteCounters {
  return { up: after.up - before.up, down: after.down - before.down, connections: after.connections - before.connections };
}
