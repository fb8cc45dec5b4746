// The branding this agent was built with. The sources read branding.json at the top
// level; `npm run build -- --branding <file>` (tools/build.ts) bundles another file in
// its place, validated before anything is built. Every name, id, folder and default
// that a person or IT sees comes from here (README, "Ship it under your name").
import raw from '../../branding.json' with { type: 'json' };
import { autostartMarkerKey, desktopFileName, parseBranding, type Branding, type BrandingPlatform } from './schema.ts';

export { type Branding } from './schema.ts';

export const BRANDING: Branding = parseBranding(raw, 'branding.json');

/** The OS column of a per-OS folder name (any other Unix follows Linux). */
export function brandingPlatform(platform: NodeJS.Platform): BrandingPlatform {
  return platform === 'win32' || platform === 'darwin' ? platform : 'linux';
}

/** The command's name in help, usage and error lines. */
export const CLI_NAME = BRANDING.executableName;
export const PRODUCT_NAME = BRANDING.productName;
export const DESKTOP_FILE_NAME = desktopFileName(BRANDING);
export const AUTOSTART_MARKER_KEY = autostartMarkerKey(BRANDING);

/** Where a person is told to turn when something only their IT or the vendor can fix. */
export function supportHint(branding: Branding = BRANDING): string {
  const { url, email } = branding.support ?? {};
  const ways = [email, url].filter((w): w is string => Boolean(w));
  return ways.length > 0 ? `your IT support or ${branding.publisher} (${ways.join(', ')})` : 'your IT support';
}
