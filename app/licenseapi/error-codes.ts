// Every documented License API error code, in one table: the HTTP status the
// server uses, the server's own message, what it means to a person, what to do,
// and how the agent should react (its class). The client classifies replies
// with it; the sandbox produces its errors from it.

export type ErrorClass = 'retryable' | 'needs-configuration' | 'needs-activation' | 'license-state' | 'fatal';

export interface ErrorCodeInfo {
  status: number;
  /** The server's message, as the API documents it. */
  serverMessage: string;
  /** What happened, in words a person at the machine understands. */
  summary: string;
  /** What to do about it. */
  remedy: string;
  errorClass: ErrorClass;
}

const CHECK_KEYS = 'Check the API key and shared key (or OAuth client) in the agent configuration.';

export const ERROR_CODES = {
  // Authorization (all endpoints)
  date_header_diff: { status: 400, serverMessage: 'Date header differs too much from server time', summary: 'The request was refused because this computer\'s clock differs from the server\'s by more than 15 minutes.', remedy: 'Set the system clock to the correct time (enable automatic time sync).', errorClass: 'needs-configuration' },
  authorization_invalid_headers: { status: 400, serverMessage: 'Authorization header is malformed', summary: 'The server could not read the request\'s Authorization header.', remedy: CHECK_KEYS, errorClass: 'needs-configuration' },
  authorization_missing_params: { status: 400, serverMessage: 'Authorization header is missing parameters', summary: 'The Authorization header lacks a required part.', remedy: CHECK_KEYS, errorClass: 'needs-configuration' },
  hmac_required: { status: 400, serverMessage: 'HMAC authorization is required', summary: 'The server requires HMAC (API key + shared key) authorization for this key.', remedy: 'Configure an API key and shared key instead of OAuth, or ask the vendor to enable OAuth.', errorClass: 'needs-configuration' },
  signature_mismatch: { status: 401, serverMessage: 'Signature mismatch', summary: 'The server rejected the request signature: the shared key does not match the API key.', remedy: 'Check that the shared key belongs to the configured API key.', errorClass: 'needs-configuration' },
  invalid_api_key: { status: 400, serverMessage: 'Invalid API key', summary: 'The server does not know the configured API key.', remedy: CHECK_KEYS, errorClass: 'needs-configuration' },
  revoked_api_key: { status: 400, serverMessage: 'API key has been revoked', summary: 'The configured API key has been revoked.', remedy: 'Create a new API key in the LicenseSpring platform and update the configuration.', errorClass: 'needs-configuration' },
  read_only_api_key: { status: 400, serverMessage: 'API key is read only', summary: 'The configured API key is read-only and cannot store device variables.', remedy: 'Use an API key with write access.', errorClass: 'needs-configuration' },
  missing_headers: { status: 400, serverMessage: 'Missing Date or Authorization header', summary: 'The request lacked the Date or Authorization header (often a proxy stripping them).', remedy: 'Check that no proxy removes the Date or Authorization headers.', errorClass: 'needs-configuration' },
  oauth_token_expired: { status: 401, serverMessage: 'OAuth token expired', summary: 'The OAuth access token had expired.', remedy: 'The agent renews the token by itself; if this persists check the OAuth client.', errorClass: 'needs-configuration' },
  oauth_token_malformed: { status: 401, serverMessage: 'OAuth token malformed', summary: 'The server could not read the OAuth access token.', remedy: 'Check the OAuth client id, secret and token URL.', errorClass: 'needs-configuration' },
  // Generic
  validation_error: { status: 400, serverMessage: 'Validation error', summary: 'The server refused the request\'s content as invalid.', remedy: 'Check the variable names and values against the documented limits; this may be an agent bug, please report it.', errorClass: 'fatal' },
  missing_parameters: { status: 400, serverMessage: 'Missing parameters', summary: 'The request lacked a required parameter.', remedy: 'Check that product and license key (or username) are configured.', errorClass: 'needs-configuration' },
  invalid_json: { status: 400, serverMessage: 'Invalid JSON', summary: 'The server could not parse the request body.', remedy: 'This is an agent bug or a proxy altering requests; please report it.', errorClass: 'fatal' },
  not_found: { status: 404, serverMessage: 'Not found', summary: 'The API address does not exist on the server.', remedy: 'Check the API URL (it should end in /api/v4/).', errorClass: 'needs-configuration' },
  internal_error: { status: 500, serverMessage: 'Internal server error', summary: 'The License API had an internal error.', remedy: 'Nothing to do: the agent retries later.', errorClass: 'retryable' },
  api_key_product_not_allowed: { status: 400, serverMessage: 'API key is not allowed for this product', summary: 'The API key may not be used with the configured product.', remedy: 'Use an API key that is allowed for this product, or check the product code.', errorClass: 'needs-configuration' },
  archived_product: { status: 400, serverMessage: 'Product is archived', summary: 'The configured product is archived.', remedy: 'Ask your license administrator which product code to use.', errorClass: 'license-state' },
  disabled_product: { status: 400, serverMessage: 'Product is disabled', summary: 'The configured product is disabled.', remedy: 'Ask your license administrator to enable the product.', errorClass: 'license-state' },
  // Device variables, licenses
  unknown_product: { status: 400, serverMessage: 'Provided product was not found', summary: 'The server does not know the configured product code.', remedy: 'Check the product short code in the configuration.', errorClass: 'needs-configuration' },
  license_not_found: { status: 400, serverMessage: 'License with the provided license user not found', summary: 'No license matches the configured license key or username.', remedy: 'Check the license key (or username) and product in the configuration.', errorClass: 'needs-configuration' },
  license_not_active: { status: 400, serverMessage: 'The license is not active', summary: 'The license is not active.', remedy: 'Ask your license administrator to activate the license; the agent resumes when it is.', errorClass: 'license-state' },
  license_not_enabled: { status: 400, serverMessage: 'The license is not enabled', summary: 'The license is disabled.', remedy: 'Ask your license administrator to enable the license; the agent resumes when it is.', errorClass: 'license-state' },
  device_not_found: { status: 400, serverMessage: 'An active device matching the hardware_id not found.', summary: 'This device is not activated for this license.', remedy: 'Activate the license on this device (or turn on auto-activate), or set the hardware id your licensed program uses.', errorClass: 'needs-activation' },
  blacklisted: { status: 400, serverMessage: 'This device is blacklisted', summary: 'This device is blacklisted for the license.', remedy: 'Ask your license administrator to remove the device from the blacklist.', errorClass: 'license-state' },
  license_activated_max_times: { status: 400, serverMessage: 'License has been activated the maximum number of times', summary: 'The license has no free activation left.', remedy: 'Deactivate the license on another device, or ask for more activations.', errorClass: 'license-state' },
  trial_expired: { status: 400, serverMessage: 'Trial has expired', summary: 'The trial license has expired.', remedy: 'Ask your license administrator for a full license.', errorClass: 'license-state' },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ServerErrorCode = keyof typeof ERROR_CODES;

export function isServerErrorCode(code: string): code is ServerErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}
