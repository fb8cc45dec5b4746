// How headless HTTP leaves the machine: through the proxy the environment names
// (HTTPS_PROXY / HTTP_PROXY / ALL_PROXY, minus NO_PROXY, via proxy-from-env),
// trusting Node's default roots plus an optional extra CA file (for TLS-inspecting
// proxies). Certificate verification is always on; there is no switch to turn it off.
// The Electron shell does not use this: it passes net.fetch to the client instead.
// https-proxy-agent (with debug and agent-base) is loaded only when a proxy applies.
import type { Agent as HttpAgent, ClientRequest } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { checkServerIdentity, getCACertificates, rootCertificates } from 'node:tls';
import type * as HttpsProxyAgentModule from 'https-proxy-agent';
import type { HttpsProxyAgent } from 'https-proxy-agent';
import type { Socket } from 'node:net';
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

type ConnectOpts = Parameters<HttpsProxyAgent<string>['connect']>[1];
type TunnelAgentClass = new (proxy: string, ca: string[] | undefined) => HttpsProxyAgent<string>;

let tunnelAgentClass: TunnelAgentClass | undefined;

/**
 * HttpsProxyAgent drops its constructor's TLS options for the tunnelled target
 * (they apply to the proxy connection only), so the extra CA is added to each
 * target connection here, and the certificate is checked against the target's name.
 * The class is made on first use: the module is loaded synchronously (require of
 * an ES module, Node 22.12+) because agentsFor() is synchronous.
 */
function tunnelAgent(): TunnelAgentClass {
  if (tunnelAgentClass) return tunnelAgentClass;
  const { HttpsProxyAgent: Base } = createRequire(import.meta.url)('https-proxy-agent') as typeof HttpsProxyAgentModule;
  tunnelAgentClass = class TunnelAgent extends Base<string> {
    readonly targetCa: string[] | undefined;

    constructor(proxy: string, ca: string[] | undefined) {
      super(proxy, ca ? { ca } : {});
      this.targetCa = ca;
    }

    override connect(req: ClientRequest, opts: ConnectOpts): Promise<Socket> {
      // The tunnelled TLS socket is opened without `host`, so Node would check the
      // certificate against "localhost" for IP targets: check it against the real target.
      const target = opts.host ?? '';
      return super.connect(req, {
        ...opts,
        ...(this.targetCa ? { ca: this.targetCa } : {}),
        rejectUnauthorized: true,
        checkServerIdentity: (_name: string, cert: Parameters<typeof checkServerIdentity>[1]) => checkServerIdentity(target, cert),
      } as ConnectOpts);
    }
  };
  return tunnelAgentClass;
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
  return {
    extraCa: ca !== undefined,
    agentsFor(url) {
      const origin = new URL(url).origin;
      const cached = cache.get(origin);
      if (cached) return cached;
      const proxy = proxyForUrl(url);
      let agents: Agents;
      if (proxy) {
        if (!URL.canParse(proxy)) throw new Error(`proxy: the proxy environment variable for ${origin} is not a URL`);
        // One CONNECT-tunnelling agent for both schemes.
        const agent = new (tunnelAgent())(proxy, ca);
        agents = { httpAgent: agent, httpsAgent: agent, proxy: redactProxy(proxy) };
      } else {
        agents = ca ? { httpsAgent: new HttpsAgent({ ca, rejectUnauthorized: true }) } : {};
      }
      cache.set(origin, agents);
      return agents;
    },
  };
}
