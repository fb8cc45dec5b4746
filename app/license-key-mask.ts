// A license key as a person sees it (status, settings form, CLI): bullets, then its last
// 4 characters. A key of 4 characters or fewer is all bullets; 4 to 12 bullets, so a long
// key's length is not told either.
export function maskLicenseKey(key: string): string {
  if (key === '') return '';
  if (key.length <= 4) return '••••';
  return `${'•'.repeat(Math.min(12, Math.max(4, key.length - 4)))}${key.slice(-4)}`;
}
