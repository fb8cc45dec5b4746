// A License API sandbox in its own process, behind a byte-counting proxy, so
// that the process under measurement pays only for its own side of the wire.
// Prints ONE JSON line (the agent's settings pointing at the proxy, and a
// loopback stats URL), then serves until SIGTERM/SIGINT or stdin closes.
//
//   node tools/with-node24.js node bench/sandbox-child.ts
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSandbox } from '../sandbox/server.ts';
import { startByteCountingProxy } from './lib/byte-counting-proxy.ts';

const requests: Record<string, number> = Object.create(null) as Record<string, number>;
const sandbox = await startSandbox({
  port: 0,
  onLog: (line) => {
    // "<iso> POST /track_device_variables 200 3ms"
    const match = / (?:GET|POST|PUT|DELETE) \/(\S+) (\d{3})/.exec(line);
    if (match) {
      const key = `${match[1]} ${match[2]}`;
      requests[key] = (requests[key] ?? 0) + 1;
    }
  },
});
const proxy = await startByteCountingProxy({ host: '127.0.0.1', port: sandbox.port });

const stats = createServer((req, res) => {
  if (req.url !== '/stats') {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ ...proxy.counters(), requests }));
});
await new Promise<void>((resolve) => stats.listen(0, '127.0.0.1', resolve));

const proxied = new URL(sandbox.demo.apiUrl);
proxied.port = String(proxy.port);
process.stdout.write(`${JSON.stringify({
  apiUrl: proxied.href,
  apiKey: sandbox.demo.apiKey,
  sharedKey: sandbox.demo.sharedKey,
  product: sandbox.demo.product,
  licenseKey: sandbox.demo.licenseKey,
  publicKeyPem: sandbox.demo.publicKeyPem,
  statsUrl: `http://127.0.0.1:${(stats.address() as AddressInfo).port}/stats`,
})}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  stats.close();
  await proxy.close();
  await sandbox.close();
  process.exit(0);
}
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.resume();
