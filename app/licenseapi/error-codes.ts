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
  authorization_invalid_headers: { status: 400, serverMessage: 'invalid headers value in authorization', summary: 'The server could not read the request\'s Authorization header.', remedy: `${CHECK_KEYS} If they are right, a proxy may be rewriting the header.`, errorClass: 'needs-configuration' },
  authorization_missing_params: { status: 400, serverMessage: 'some parameters are missing in authorization: different, parameters', summary: 'The Authorization header lacks a required part.', remedy: `${CHECK_KEYS} If they are right, a proxy may be rewriting the header.`, errorClass: 'needs-configuration' },
  hmac_required: { status: 400, serverMessage: 'hmac is required algorithm', summary: 'The server requires HMAC (API key + shared key) authorization for this product or key.', remedy: 'Configure an API key and shared key instead of OAuth, or ask the vendor to allow OAuth for this product.', errorClass: 'needs-configuration' },
  signature_mismatch: { status: 401, serverMessage: 'signature mismatch', summary: 'The server rejected the request signature: the shared key does not match the API key.', remedy: 'Check that the shared key belongs to the configured API key.', errorClass: 'needs-configuration' },
  invalid_api_key: { status: 400, serverMessage: 'provided api key is not valid', summary: 'The server does not know the configured API key.', remedy: CHECK_KEYS, errorClass: 'needs-configuration' },
  revoked_api_key: { status: 400, serverMessage: 'API key has been revoked', summary: 'The configured API key has been revoked.', remedy: 'Create a new API key in the LicenseSpring platform and update the configuration.', errorClass: 'needs-configuration' },
  read_only_api_key: { status: 400, serverMessage: 'API key is read only', summary: 'The configured API key is read-only and cannot store device variables.', remedy: 'Use an API key with write access.', errorClass: 'needs-configuration' },
  missing_headers: { status: 400, serverMessage: 'some headers are missing', summary: 'The request lacked the Date or Authorization header (often a proxy stripping them).', remedy: 'Check that no proxy removes the Date or Authorization headers.', errorClass: 'needs-configuration' },
  oauth_token_expired: { status: 401, serverMessage: 'OAuth token expired', summary: 'The server refused the OAuth access token as expired, even after the agent fetched a new one.', remedy: 'Check this computer\'s clock and the OAuth token URL (it must be the token endpoint of the License API\'s realm).', errorClass: 'needs-configuration' },
  oauth_token_malformed: { status: 401, serverMessage: 'OAuth token malformed', summary: 'The server could not read the OAuth access token, even after the agent fetched a new one.', remedy: 'Check the OAuth client id, secret and token URL.', errorClass: 'needs-configuration' },
  // Generic
  validation_error: { status: 400, serverMessage: 'Validation error', summary: 'The server refused the request\'s content as invalid.', remedy: 'Check the variable names and values against the documented limits; this may be an agent bug, please report it.', errorClass: 'fatal' },
  missing_parameters: { status: 400, serverMessage: 'some parameters are missing in the request: different, parameters', summary: 'The request lacked a required parameter.', remedy: 'Check that product and license key (or username) are configured.', errorClass: 'needs-configuration' },
  missing_hardware_id: { status: 400, serverMessage: 'hardware_id missing in the request', summary: 'The server says the request carried no hardware id.', remedy: 'Check that no proxy alters requests; if none does, this is an agent bug: please report it.', errorClass: 'fatal' },
  license_key_required: { status: 400, serverMessage: 'license_key is missing from the request', summary: 'The product is key-based and the request carried no license key.', remedy: 'Configure the license key (licenseKey) instead of a license user.', errorClass: 'needs-configuration' },
  missing_content: { status: 400, serverMessage: 'An offline activation/deactivation request received an empty request', summary: 'The server received an empty offline activation or deactivation request.', remedy: 'This agent does not use offline activation; please report it with the diagnostics.', errorClass: 'fatal' },
  invalid_json: { status: 400, serverMessage: 'Invalid JSON', summary: 'The server could not parse the request body.', remedy: 'This is an agent bug or a proxy altering requests; please report it.', errorClass: 'fatal' },
  not_found: { status: 404, serverMessage: 'Requested API path doesn\'t exist', summary: 'The API address does not exist on the server.', remedy: 'Check the API URL (it should end in /api/v4/).', errorClass: 'needs-configuration' },
  internal_error: { status: 500, serverMessage: 'Server-side error: Internal error', summary: 'The License API had an internal error.', remedy: 'Nothing to do: the agent retries later by itself.', errorClass: 'retryable' },
  api_key_product_not_allowed: { status: 400, serverMessage: 'API key is not allowed for this product', summary: 'The API key may not be used with the configured product.', remedy: 'Use an API key that is allowed for this product, or check the product code.', errorClass: 'needs-configuration' },
  archived_product: { status: 400, serverMessage: 'Provided product is archived.', summary: 'The configured product is archived.', remedy: 'Ask your license administrator which product code to use.', errorClass: 'license-state' },
  disabled_product: { status: 400, serverMessage: 'Provided product is disabled.', summary: 'The configured product is disabled.', remedy: 'Ask your license administrator to enable the product.', errorClass: 'license-state' },
  active_license_required: { status: 400, serverMessage: 'active license is required', summary: 'The server needs an active license for this request.', remedy: 'Ask your license administrator to activate the license.', errorClass: 'license-state' },
  order_id_exists: { status: 409, serverMessage: 'Order with this ID already exists', summary: 'The server refused an order that already exists.', remedy: 'This agent creates no orders; please report it with the diagnostics.', errorClass: 'fatal' },
  unsupported_product_feature: { status: 400, serverMessage: 'One or more of requested product features do not exists or they are not enabled on the product', summary: 'The server refused a product feature the request named.', remedy: 'This agent names no product features; please report it with the diagnostics.', errorClass: 'fatal' },
  version_not_found: { status: 400, serverMessage: 'file at requested version does not exist', summary: 'The server has no file at the requested version.', remedy: 'This agent requests no files; please report it with the diagnostics.', errorClass: 'fatal' },
  // Device variables, licenses
  unknown_product: { status: 400, serverMessage: 'Provided product was not found', summary: 'The server does not know the configured product code.', remedy: 'Check the product short code in the configuration.', errorClass: 'needs-configuration' },
  license_not_found: { status: 400, serverMessage: 'License with the provided license user not found', summary: 'No license matches the configured license key or username.', remedy: 'Check the license key (or username) and product in the configuration.', errorClass: 'needs-configuration' },
  license_not_active: { status: 400, serverMessage: 'The license is not active', summary: 'The license is not active.', remedy: 'Ask your license administrator to activate the license; the agent checks again every few hours (or at once from Sync now) and resumes when it is.', errorClass: 'license-state' },
  license_not_enabled: { status: 400, serverMessage: 'The license is not enabled', summary: 'The license is disabled.', remedy: 'Ask your license administrator to enable the license; the agent checks again every few hours (or at once from Sync now) and resumes when it is.', errorClass: 'license-state' },
  device_not_found: { status: 400, serverMessage: 'An active device matching the hardware_id not found.', summary: 'This device is not activated for this license.', remedy: 'Activate the license on this device (or turn on auto-activate), or set the hardware id your licensed program uses (hardwareId or hardwareIdFile).', errorClass: 'needs-activation' },
  blacklisted: { status: 400, serverMessage: 'This device is blacklisted', summary: 'This device is blacklisted for the license.', remedy: 'Ask your license administrator to remove the device from the blacklist.', errorClass: 'license-state' },
  // Activation
  license_activated_max_times: { status: 400, serverMessage: 'license is already activated max number of times', summary: 'The license has no free activation left.', remedy: 'Deactivate the license on another device, or ask your license administrator for more activations.', errorClass: 'license-state' },
  licenseUserActivatedMaxTimes: { status: 400, serverMessage: 'license user has already activated license max number of times', summary: 'The license user has used all the activations allowed to them.', remedy: 'Deactivate the license on another of this user\'s devices, or ask your license administrator to raise the user\'s limit.', errorClass: 'license-state' },
  license_transferred_max_times: { status: 400, serverMessage: 'license transferred max times', summary: 'The license has been moved between devices as often as it may be.', remedy: 'Ask your license administrator to allow more transfers or to reset the transfer count.', errorClass: 'license-state' },
  trial_expired: { status: 400, serverMessage: 'trial period for device has expired', summary: 'The trial license has expired.', remedy: 'Ask your license administrator for a full license.', errorClass: 'license-state' },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ServerErrorCode = keyof typeof ERROR_CODES;

/**
 * Where the server's message depends on the product's authorization method: the
 * documentation's message names the license user, which reads wrong for a
 * key-based product.
 */
export const MESSAGES_BY_PRODUCT_KIND: Partial<Record<ServerErrorCode, { 'license-key': string; user: string }>> = {
  license_not_found: { 'license-key': 'License with the provided license key not found', user: 'License with the provided license user not found' },
};

export function isServerErrorCode(code: string): code is ServerErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}
