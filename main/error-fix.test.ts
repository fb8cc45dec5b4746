import { describe, expect, it } from 'vitest';
import { errorFix } from './error-fix.ts';

const none = new Set<string>();

describe('errorFix: the one button beside the problem shown', () => {
  it.each([
    // code, locked fields, button
    ['signature_mismatch', [], 'settings'],
    ['signature_mismatch', ['apiKey', 'sharedKey', 'authMethod'], 'sync'],
    ['signature_mismatch', ['apiKey', 'authMethod'], 'settings'],
    ['unknown_product', [], 'settings'],
    ['unknown_product', ['product'], 'sync'],
    ['license_not_found', ['product', 'licenseKey'], 'settings'],
    ['not_found', [], 'settings'],
    ['not_found', ['apiUrl'], 'sync'],
    ['tls_plain_http', [], 'settings'],
    ['tls_plain_http', ['apiUrl'], 'sync'],
    ['tls_error', [], 'settings'],
    ['oauth_token_tls_error', [], 'settings'],
    ['oauth_token_tls_error', ['tokenUrl'], 'sync'],
    ['api_key_product_not_allowed', ['apiKey'], 'settings'],
    ['api_key_product_not_allowed', ['product'], 'settings'],
    ['api_key_product_not_allowed', ['apiKey', 'product'], 'sync'],
    ['tls_error', ['apiUrl'], 'sync'],
    ['oauth_invalid_client', [], 'settings'],
    ['not_configured', [], 'settings'],
    ['settings_damaged', [], 'settings'],
    // Cured elsewhere, then by a sync: the clock, a proxy, the keyring, IT's file, the hardware id file.
    ['date_header_diff', [], 'sync'],
    ['missing_headers', [], 'sync'],
    ['reply_headers_too_large', [], 'sync'],
    ['keyring_unavailable', [], 'sync'],
    ['managed_config_unusable', [], 'sync'],
    ['hardware_id_unavailable', [], 'sync'],
    ['network_error', [], 'sync'],
    ['license_expired', [], 'sync'],
    // How the app was installed: no button helps.
    ['sandbox_off', [], 'none'],
  ] as const)('%s with %j locked → %s', (code, locked, fix) => {
    expect(errorFix(code, new Set(locked))).toBe(fix);
  });

  it('not configured: Settings while any window setting is the person\'s to change, else Try again', () => {
    const all = ['apiUrl', 'authMethod', 'apiKey', 'sharedKey', 'clientId', 'clientSecret', 'tokenUrl', 'product', 'licenseKey', 'username', 'autoActivate', 'intervalMinutes', 'allow', 'pii'];
    expect(errorFix('not_configured', new Set(all))).toBe('sync');
    for (const open of all) expect(errorFix('not_configured', new Set(all.filter((f) => f !== open))), open).toBe('settings');
  });

  it('a code it does not know is tried again, never sent to Settings', () => {
    expect(errorFix('some_future_code', none)).toBe('sync');
  });
});
