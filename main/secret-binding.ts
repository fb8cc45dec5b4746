// The servers a secret entered now would be for: the managed file's, else the person's,
// else LicenseSpring's — by origin, so that a secret is never sent to another server.
import { PRODUCTION_TOKEN_URL } from '../app/config/index.ts';
import type { SecretBinding } from './secrets.ts';
import { DEFAULT_API_URL, type UserSettings } from './settings-model.ts';

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

export function secretBindingFor(managed: Record<string, unknown>, user: UserSettings): SecretBinding {
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return {
    apiUrl: originOf(str(managed.apiUrl) ?? user.apiUrl ?? DEFAULT_API_URL),
    tokenUrl: originOf(str(managed.tokenUrl) ?? user.tokenUrl ?? PRODUCTION_TOKEN_URL),
  };
}
