// Removes secrets from text that leaves the process (logs, diagnostics).
const REDACTED = '[redacted]';

/** Key names whose values are secrets wherever they appear as key=value or "key": "value". */
const SECRET_KEY_NAMES = ['sharedKey', 'shared_key', 'clientSecret', 'client_secret', 'password', 'access_token', 'adminToken', 'admin_token', 'DEVICE_AGENT_SHARED_KEY', 'DEVICE_AGENT_CLIENT_SECRET'];

export function redact(text: string, knownSecrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  // Authorization: as a JSON field, then as a header line (HMAC signature or Bearer token).
  out = out.replace(/("authorization"\s*:\s*)"(?:[^"\\]|\\.)*"/gi, `$1"${REDACTED}"`);
  out = out.replace(/(\bauthorization\s*:\s*)(?!"\[redacted\]")(bearer\s+)?[^\r\n]*/gi, (_m, head: string, bearer: string | undefined) => `${head}${bearer ?? ''}${REDACTED}`);
  for (const key of SECRET_KEY_NAMES) {
    const k = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`("${k}"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi'), `$1"${REDACTED}"`);
    out = out.replace(new RegExp(`(\\b${k}\\s*=\\s*)[^\\s&"']+`, 'gi'), `$1${REDACTED}`);
  }
  return out;
}
