// The one button beside the problem the window shows: "Open settings" only when the
// cure is a setting the person can change in the window (not locked by the
// administrator's file); "Try again" when waiting or acting elsewhere (the clock, a
// proxy, the keyring, IT fixing their file) and then syncing is the cure; no button
// when neither helps (the sandbox is a matter of how the app was installed).
// Pure: the error's code and the locked fields in, the button out.
import type { ErrorFixView } from '../preload/contract.ts';
import { WINDOW_FIELDS } from './settings-fields.ts';

const AUTH = ['authMethod', 'apiKey', 'sharedKey', 'clientId', 'clientSecret', 'tokenUrl'] as const;
const HMAC = ['authMethod', 'apiKey', 'sharedKey'] as const;
const OAUTH = ['authMethod', 'clientId', 'clientSecret', 'tokenUrl'] as const;
const LICENSE = ['product', 'licenseKey', 'username'] as const;
/** Every setting the person can change in the window (the settings table's; start at login is the shell's). */
const EVERY = WINDOW_FIELDS.filter((f) => !f.shell).map((f) => f.name);

/** Error code → the window's fields (contract names) that cure it. A code not here is not cured in Settings. */
const CURED_BY: Readonly<Record<string, readonly string[]>> = {
  // The shell's own: nothing usable configured, or the settings file lost.
  not_configured: EVERY, config_invalid: EVERY, settings_damaged: EVERY, settings_unreadable: EVERY,
  // The License API's documented codes and the client's, where the remedy names a setting.
  authorization_invalid_headers: AUTH, authorization_missing_params: AUTH,
  hmac_required: AUTH, signature_mismatch: HMAC, invalid_api_key: HMAC, revoked_api_key: HMAC, read_only_api_key: HMAC,
  oauth_token_expired: OAUTH, oauth_token_malformed: OAUTH, oauth_invalid_client: OAUTH,
  oauth_token_endpoint_error: OAUTH, oauth_token_invalid_reply: OAUTH, oauth_token_tls_error: ['tokenUrl'],
  missing_parameters: LICENSE, license_key_required: LICENSE, unknown_product: ['product'], license_not_found: LICENSE,
  api_key_product_not_allowed: ['apiKey', 'product'], invalid_request: LICENSE,
  not_found: ['apiUrl'], tls_error: ['apiUrl'], tls_plain_http: ['apiUrl'],
};

/** Problems no sync and no setting in the window cures. */
const NO_BUTTON: ReadonlySet<string> = new Set(['sandbox_off']);

export function errorFix(code: string, locked: ReadonlySet<string>): ErrorFixView {
  if (NO_BUTTON.has(code)) return 'none';
  const fields = CURED_BY[code];
  return fields?.some((f) => !locked.has(f)) ? 'settings' : 'sync';
}
