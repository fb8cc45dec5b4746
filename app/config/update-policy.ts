// How the desktop app updates itself, as IT decides it: the `updates` object of
// the machine-wide managed file, and only there (a user's settings, the CLI's
// flags, environment and --config file cannot set it: a person must not be able
// to point the agent at another update server, nor the agent's own user turn
// IT's pin off). One table of its fields (documented in the README, checked by a
// test), one schema, and the split of a managed file's layer into the engine's
// settings and this policy. The headless CLI reads and validates it with the rest
// of the managed file, and does nothing with it (a server is updated by its
// package manager).
import { z } from 'zod';
import type { ConfigProblem, Layer } from './load.ts';
import { isLoopbackHost, urlSchema } from './schema.ts';

/** The managed file's key holding the update policy. */
export const UPDATES_KEY = 'updates';

export const UPDATE_CHANNELS = ['latest', 'beta'] as const;
export type UpdateChannel = (typeof UPDATE_CHANNELS)[number];

export interface UpdateField {
  /** The dotted name (`updates.pin`), as the README and the error messages say it. */
  key: string;
  /** The value as the file writes it. */
  type: string;
  description: string;
}

/** The managed-only update settings, in the README's order. */
export const UPDATE_FIELDS: readonly UpdateField[] = [
  { key: 'updates.enabled', type: 'true/false', description: 'Whether the desktop app updates itself (default true). false: it never asks an update server; deploy new versions with your own tools.' },
  { key: 'updates.url', type: 'https URL', description: 'The update server (a folder holding latest-linux.yml, latest.yml, latest-mac.yml and the installers) instead of the one the build names. https:// only (http:// only to this machine).' },
  { key: 'updates.channel', type: '"latest" or "beta"', description: 'Which releases this machine takes (default: the channel the installed build came from, normally latest). beta also takes stable releases newer than the last beta.' },
  { key: 'updates.pin', type: 'version', description: 'Never update past this version (e.g. "1.4.2"). Lower than the installed version: the app goes back to it when the server offers it — the only way it ever downgrades.' },
];

/** The update policy with its defaults applied. */
export interface UpdatePolicy {
  enabled: boolean;
  url?: string;
  channel?: UpdateChannel;
  pin?: string;
}

export const DEFAULT_UPDATE_POLICY: UpdatePolicy = { enabled: true };

/** Semantic Versioning 2.0.0 (semver.org's own expression); no leading "v", no ranges. */
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

// The sha512 the app checks comes from the same server as the installer: over plain HTTP
// anyone on the way could swap both. Never, not even with insecureHttp (that is for the License API).
const updateUrl = urlSchema('https://updates.example.com/agent/',
  (url) => (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))
    ? 'must use https:// (http:// only to this machine: localhost, 127.0.0.1 or [::1])' : undefined),
  'must not contain a user name or password');

export const updatePolicySchema = z.strictObject({
  enabled: z.boolean({ error: 'must be true or false' }).default(true),
  url: updateUrl.optional(),
  channel: z.enum(UPDATE_CHANNELS, { error: `must be ${UPDATE_CHANNELS.map((c) => `"${c}"`).join(' or ')}` }).optional(),
  pin: z.string({ error: 'must be a version such as "1.4.2"' }).trim()
    .regex(SEMVER, 'must be a version such as "1.4.2" (major.minor.patch, no "v", no range)').optional(),
}, { error: 'must be an object: { "enabled": …, "url": …, "channel": …, "pin": … }' });

/** Whether a setting key may appear only in the managed file. */
export function isManagedOnlyKey(key: string): boolean {
  return key === UPDATES_KEY;
}

/**
 * Takes the `updates` object out of a managed file's layer (which then holds the engine's
 * settings only) and validates it. Problems name the dotted field (`updates.pin`).
 */
export function takeUpdatePolicy(layer: Layer): { policy: UpdatePolicy; problems: ConfigProblem[] } {
  if (!(UPDATES_KEY in layer.values)) return { policy: DEFAULT_UPDATE_POLICY, problems: [] };
  const raw = layer.values[UPDATES_KEY];
  const source = layer.origin[UPDATES_KEY];
  delete layer.values[UPDATES_KEY];
  delete layer.origin[UPDATES_KEY];
  const parsed = updatePolicySchema.safeParse(raw);
  if (!parsed.success) {
    return {
      policy: DEFAULT_UPDATE_POLICY,
      problems: parsed.error.issues.flatMap((issue) => {
        if (issue.code === 'unrecognized_keys') {
          return issue.keys.map((key) => ({ field: `${UPDATES_KEY}.${key}`, source, message: `is not a known setting (known: ${UPDATE_FIELDS.map((f) => f.key).join(', ')})` }));
        }
        const field = [UPDATES_KEY, ...issue.path.map(String)].join('.');
        return [{ field, source, message: issue.message }];
      }),
    };
  }
  const { enabled, url, channel, pin } = parsed.data;
  return { policy: { enabled, ...(url ? { url } : {}), ...(channel ? { channel } : {}), ...(pin ? { pin } : {}) }, problems: [] };
}
