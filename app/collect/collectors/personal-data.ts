// PII collectors: hostname, user name, IP and MAC address. They run only when
// the matching switch is on (see selection.ts); none spawns a process
// (os.networkInterfaces() and /proc/net/route instead of systeminformation).
import { readFile } from 'node:fs/promises';
import { hostname, networkInterfaces, userInfo } from 'node:os';
import { join } from 'node:path';
import type { NetworkInterfaceInfo } from 'node:os';
import { parseDefaultRouteInterface } from './proc-files.ts';
import type { Collector } from './types.ts';

export function createHostnameCollector(read: () => string = hostname): Collector {
  return { name: 'hostname', refresh: 'static', produces: ['hostname'], async collect() { return { hostname: read() }; } };
}

export function createUsernameCollector(read: () => string = () => userInfo().username): Collector {
  return { name: 'username', refresh: 'static', produces: ['username'], async collect() { return { username: read() }; } };
}

type Interfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

const NO_MAC = '00:00:00:00:00:00';

/**
 * The address pair of the interface that carries the default route when known,
 * else of the first external interface with an IPv4 address that is not link-local.
 */
export function pickNetworkAddress(interfaces: Interfaces, defaultInterface?: string): { ip?: string; mac?: string } {
  const usable = (name: string) => (interfaces[name] ?? []).find((a) => a.family === 'IPv4' && !a.internal && !a.address.startsWith('169.254.'));
  const names = Object.keys(interfaces);
  const name = defaultInterface && usable(defaultInterface) ? defaultInterface : names.find((n) => usable(n) !== undefined);
  const address = name ? usable(name) : undefined;
  if (!address) return {};
  return { ip: address.address, ...(address.mac && address.mac !== NO_MAC ? { mac: address.mac } : {}) };
}

export function createNetworkAddressCollector(options: { platform?: NodeJS.Platform; procRoot?: string; interfaces?: () => Interfaces } = {}): Collector {
  const platform = options.platform ?? process.platform;
  const procRoot = options.procRoot ?? '/proc';
  const readInterfaces = options.interfaces ?? networkInterfaces;
  return {
    name: 'network-address',
    refresh: 'static',
    produces: ['ip_address', 'mac_address'],
    async collect() {
      let defaultInterface: string | undefined;
      if (platform === 'linux') {
        defaultInterface = parseDefaultRouteInterface(await readFile(join(procRoot, 'net', 'route'), 'utf8').catch(() => ''));
      }
      const { ip, mac } = pickNetworkAddress(readInterfaces(), defaultInterface);
      return { ip_address: ip, mac_address: mac };
    },
  };
}
