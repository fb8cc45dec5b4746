// Electron's net.fetch as the engine's fetch: requests go through Chromium's
// network stack, so the system proxy (and PAC), and the OS certificate store apply.
import type { NetSeam } from './electron-seam.ts';

export function systemFetch(net: Pick<NetSeam, 'fetch'>): typeof fetch {
  const f = (input: string | URL | Request, init?: RequestInit) => net.fetch(input instanceof URL ? input.href : input, {
    ...init,
    // Never send cookies or reuse a browsing session's credentials for API calls.
    credentials: 'omit',
  });
  return f as typeof fetch;
}
