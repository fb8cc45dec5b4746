// The branding file (branding.json at the top level, or the one a build is given):
// every name, id, icon, colour, default and folder a vendor ships the agent under.
// One schema, used by the build (tools/) before anything is bundled and by the
// agent itself when it loads the branding it was built with.
import { createPublicKey } from 'node:crypto';
import { z } from 'zod';

export const BRANDING_PLATFORMS = ['linux', 'darwin', 'win32'] as const;
export type BrandingPlatform = (typeof BRANDING_PLATFORMS)[number];

const CONTROL = /\p{Cc}/u;
/** Shown to people and used in file names (/opt/<productName>, installer names): no path or shell-special characters. */
const displayName = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`)
  .refine((s) => !CONTROL.test(s), 'must not contain control characters')
  .refine((s) => !/[\\/:*?"<>|$`%]/.test(s), 'must not contain \\ / : * ? " < > | $ ` or %');
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`)
  .refine((s) => !CONTROL.test(s), 'must not contain control characters');
/** One path segment: letters, digits, space, . _ - (not "." or ".."). */
const folderName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/, 'must be 1-64 letters, digits, spaces, . _ or -, starting with a letter or digit')
  .refine((s) => !s.endsWith(' ') && !s.endsWith('.'), 'must not end with a space or a dot');
const perOs = z.strictObject({ linux: folderName, darwin: folderName, win32: folderName });
const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour as #rrggbb');
const httpsUrl = z.string().max(2048).refine((s) => {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}, 'must be an https URL without user name or password');
const apiUrl = z.string().max(2048).refine((s) => {
  try {
    const u = new URL(s);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}, 'must be an http(s) URL without user name or password');
const publicKeyPem = z.string().max(16 * 1024).refine((pem) => {
  try {
    createPublicKey(pem);
    return pem.includes('BEGIN PUBLIC KEY');
  } catch {
    return false;
  }
}, 'must be a PEM public key ("-----BEGIN PUBLIC KEY-----" …)');

export const brandingSchema = z.strictObject({
  /** Shown everywhere: window title, tray tooltip, menus, notifications, installer, .desktop Name. */
  productName: displayName(64),
  /** Where room is short; also names the Linux autostart marker key (X-<ShortName>-Autostart). */
  shortName: displayName(32).refine((s) => /[A-Za-z0-9]/.test(s), 'must contain a letter or digit'),
  /** One line: the package synopsis and the .desktop entry's Comment. */
  description: text(160),
  /** Reverse-DNS id: macOS bundle id, Windows AppUserModelID (and the login item's registry value). */
  appId: z.string().regex(/^[A-Za-z][A-Za-z0-9-]*(\.[A-Za-z0-9-]+)+$/, 'must be a reverse-DNS id such as com.example.agent').max(128),
  /** The program file, the Linux package's command and .desktop file name, the CLI's name in help and errors. */
  executableName: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be 1-64 lowercase letters, digits or -, starting with a letter or digit'),
  publisher: text(128),
  copyright: text(256),
  /** A square PNG (at least 512 px), relative to the branding file: every app icon and tray image is drawn from it. */
  icon: z.string().regex(/^[^\\:*?"<>|]+\.png$/i, 'must be a relative path to a .png file')
    .refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), 'must be a path inside the project (relative, no ..)'),
  accentColor: colour,
  /** The accent on a dark background (default: accentColor lightened). */
  accentColorDark: colour.optional(),
  support: z.strictObject({
    url: httpsUrl.optional(),
    email: z.string().max(254).regex(/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/, 'must be an e-mail address').optional(),
  }).optional(),
  /** Where packages look for updates (electron-builder's generic provider: resources/app-update.yml); default: electron-builder.yml's publish.url. IT may still point a site elsewhere (updates.url). */
  updateUrl: httpsUrl.optional(),
  /** Configuration defaults (any configuration layer overrides them). */
  defaults: z.strictObject({
    apiUrl: apiUrl,
    product: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, _ . or -').optional(),
    /** The key replies from defaults.apiUrl are verified with (PEM text); LicenseSpring's published key is used for its production API. */
    publicKey: publicKeyPem.optional(),
    autoActivate: z.boolean(),
  }),
  /** Folder names per OS (a change moves where an existing install looks: keep them once shipped). */
  folders: z.strictObject({
    /** Agent state, lock and agent.log: $XDG_STATE_HOME/<linux>, ~/Library/Application Support/<darwin>, %LOCALAPPDATA%\<win32>. */
    state: perOs,
    /** IT's machine-wide configuration: /etc/<linux>/config.json, /Library/Application Support/<darwin>/config.json, %ProgramData%\<win32>\config.json. */
    managed: perOs,
    /** The desktop app's settings: $XDG_CONFIG_HOME/<linux>, ~/Library/Application Support/<darwin>, %APPDATA%\<win32>. */
    userData: perOs,
    /** The desktop app's own log: <userData folder>/logs on Linux and Windows (under this name), ~/Library/Logs/<darwin> on macOS. */
    logs: perOs,
  }),
});

export type Branding = z.output<typeof brandingSchema>;

export class BrandingError extends Error {
  readonly source: string;
  readonly problems: readonly { field: string; message: string }[];
  constructor(source: string, problems: readonly { field: string; message: string }[]) {
    super(`${source}: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`);
    this.name = 'BrandingError';
    this.source = source;
    this.problems = problems;
  }
}

/** Validates a parsed branding file; the error names the file and every bad field. */
export function parseBranding(data: unknown, source: string): Branding {
  const parsed = brandingSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  throw new BrandingError(source, parsed.error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: [...issue.path.map(String), key].join('.'), message: 'is not a branding field' }));
    const field = issue.path.map(String).join('.') || 'branding';
    const given = issue.path.reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined), data);
    const message = issue.code === 'invalid_type' ? (given === undefined ? 'is required' : `must be ${issue.expected === 'string' ? 'text' : issue.expected}`) : issue.message;
    return [{ field, message }];
  }));
}

/** "Device Agent" → X-DeviceAgent-Autostart: the key that marks the autostart entries the app wrote itself. */
export function autostartMarkerKey(branding: Pick<Branding, 'shortName'>): string {
  return `X-${branding.shortName.replace(/[^A-Za-z0-9]/g, '')}-Autostart`;
}

/** The Linux .desktop file (and Electron's desktopName, hence the window class). */
export function desktopFileName(branding: Pick<Branding, 'executableName'>): string {
  return `${branding.executableName}.desktop`;
}

/** The accent on dark backgrounds: given, or accentColor mixed 30 % toward white. */
export function accentDark(branding: Pick<Branding, 'accentColor' | 'accentColorDark'>): string {
  if (branding.accentColorDark) return branding.accentColorDark;
  const rgb = hexRgb(branding.accentColor).map((c) => Math.round(c + (255 - c) * 0.3));
  return `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

export function hexRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Text on an accent background: white or near-black, whichever contrasts more (WCAG relative luminance). */
export function textOn(hex: string): '#ffffff' | '#0b0d10' {
  const lum = (rgb: readonly number[]) => {
    const [r, g, b] = rgb.map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const l = lum(hexRgb(hex));
  const white = 1.05 / (l + 0.05);
  const dark = (l + 0.05) / (lum(hexRgb('#0b0d10')) + 0.05);
  return white >= dark ? '#ffffff' : '#0b0d10';
}
