// The settings form's field labels, by the contract's field name: what a person
// reads in an error or a "locked" note instead of the internal key. No imports:
// main (through the contract) and the renderer both take it.

export const FIELD_LABELS: Readonly<Record<string, string>> = {
  apiUrl: 'Server URL',
  authMethod: 'Authorization',
  apiKey: 'API key',
  sharedKey: 'Shared key',
  clientId: 'Client id',
  clientSecret: 'Client secret',
  tokenUrl: 'Token URL',
  product: 'Product code',
  licenseKey: 'License key',
  username: 'License user',
  intervalMinutes: 'Sync interval (minutes)',
  allow: 'Only these variables',
  pii: 'Personal data',
  autoActivate: 'Activate this device automatically',
  startAtLogin: 'Start at login',
  /** The payload of setSecret (which secret is said by the form). */
  value: 'Secret',
};

const PII_LABELS: Readonly<Record<string, string>> = { hostname: 'Host name', username: 'User name', ip: 'IP address', mac: 'MAC address' };

/**
 * The label of a field path such as `intervalMinutes`, `pii.ip` or `allow.3`.
 * Keys the form does not have (settings only the administrator's file can set,
 * e.g. caFile) keep their configuration name: that is what IT writes in the file.
 */
export function fieldLabel(path: string): string {
  const [top = '', sub] = path.split('.');
  const label = FIELD_LABELS[top];
  if (!label) return path;
  if (top === 'pii' && sub && PII_LABELS[sub]) return `${label} (${PII_LABELS[sub]})`;
  return label;
}
