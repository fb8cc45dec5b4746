// How headless HTTP leaves the machine: through the proxy the environment names
// (HTTPS_PROXY / HTTP_PROXY / ALL_PROXY, minus NO_PROXY, via proxy-from-env),
// trusting Node's default roots plus an optional extra CA file (for TLS-inspecting
// proxies). Certificate verification is always on; there is no switch to turn it off.
// The Electron shell does not use this: it passes net.fetch to the client instead.
import type { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { readFileSync } from 'node:fs';
import { getCACertificates, rootCertificates } from 'node:tls';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { getProxyForUrl } from 'proxy-from-env';

export interface TransportOptions {
  /** PEM file with extra CA certificates, added to (never replacing) Node's default roots. */
  caFile?: string;
  /** PEM text with extra CA certificates (alternative to caFile, e.g. for tests). */
  caPem?: string;
  /** Resolves the proxy for a URL; default: proxy-from-env over process.env. Empty string = direct. */
  proxyForUrl?: (url: string) => string;
}

export interface Agents {
  httpAgent?: HttpAgent;
  httpsAgent?: HttpAgent;
  /** The proxy used, without credentials, for diagnostics; undefined when direct. */
  proxy?: string;
}

export interface Transport {
  /** Agents for one target URL (cached per origin). */
  agentsFor(url: string): Agents;
  /** True when extra CA certificates were added. */
  readonly extraCa: boolean;
}

function readCa(options: TransportOptions): string[] | undefined {
  const extra: string[] = [];
  if (options.caFile !== undefined) {
    let pem: string;
    try {
      pem = readFileSync(options.caFile, 'utf8');
    } catch (error) {
      throw new Error(`caFile: cannot read ${options.caFile} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`caFile: ${options.caFile} holds no PEM certificate`);
    extra.push(pem);
  }
  if (options.caPem !== undefined) extra.push(options.caPem);
  if (extra.length === 0) return undefined;
  const defaults = typeof getCACertificates === 'function' ? getCACertificates('default') : [...rootCertificates];
  return [...defaults, ...extra];
}

/** The proxy URL without user:password, for logs. */
export function redactProxy(proxyUrl: string): string {
  try {
    const url = new URL(proxyUrl);
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return 'invalid proxy URL';
  }
}

export function createTransport(options: TransportOptions = {}): Transport {
  const ca = readCa(options);
  const proxyForUrl = options.proxyForUrl ?? ((url: string) => getProxyForUrl(url));
  const cache = new Map<string, Agents>();
  const tlsOptions = ca ? { ca } : {};
  return {
    extraCa: ca !== undefined,
    agentsFor(url) {
      const origin = new URL(url).origin;
      const cached = cache.get(origin);
      if (cached) return cached;
      const proxy = proxyForUrl(url);
      let agents: Agents;
      if (proxy) {
        let proxyUrl: URL;
        try {
          proxyUrl = new URL(proxy);
        } catch {
          throw new Error(`proxy: the proxy environment variable for ${origin} is not a URL`);
        }
        // One CONNECT-tunnelling agent for both schemes; its options reach the target's TLS too.
        const agent = new HttpsProxyAgent(proxyUrl, { ...tlsOptions, rejectUnauthorized: true });
        agents = { httpAgent: agent, httpsAgent: agent, proxy: redactProxy(proxy) };
      } else {
        agents = ca ? { httpsAgent: new HttpsAgent({ ca, rejectUnauthorized: true }) } : {};
      }
      cache.set(origin, agents);
      return agents;
    },
  };
}
