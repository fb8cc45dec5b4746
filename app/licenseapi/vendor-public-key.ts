// The vendor's published response-signing key: the default `publicKey` when the
// agent talks to LicenseSpring's production License API, so replies are verified
// without any configuration.
//
// Where it comes from (checked 2026-11):
// - the official Node SDK, @licensespring/node-sdk 1.4.17 from the npm registry, file
//   dist/.env.prod, variable PUBLIC_KEY (the SDK's production environment file; its
//   abstract-manager.js and api.js use it as the default `publicKey`);
// - the same key, byte for byte, is embedded in the vendor's Python signature
//   verifier (SignatureVerifier.PUBLIC_KEY) found in the public code index;
// - the vendor's documentation (License API → Response Signature v2) links it as
//   "Download prod.pub" behind a presigned file URL that was not reachable from the
//   build machines, so the documentation's copy could not be compared byte for byte.
// RSA 4096 bits, SubjectPublicKeyInfo. SHA-256 of its DER encoding:
// VENDOR_PUBLIC_KEY_SHA256 below (a test recomputes it).
import { PRODUCTION_API_URL } from '../config/schema.ts';

export const VENDOR_PUBLIC_KEY_PEM = `-----BEGIN PUBLIC KEY-----
MIICIjANBgkqhkiG9w0BAQEFAAOCAg8AMIICCgKCAgEAwEt7ZQWSzeBYNBwyi3KW
+XU/6I+ju90R5ZpTvSE4VWL8KSgVJ6bWKIhaKTL2hbUpIQQgS5ZKfa4SEEMdIm5k
xe0u2F64JFAVQunx/1O/UXsD7ADVt93Q/hxA9Npa16tKepZoyhi79sxpaxyy/WTd
sZKuTLApX7bWX6/XPhaPjNyiWeeK2Naka44B+F+PwN/ey3rZUra3pBltShwy2dmK
IxJVmprf5ttMYBB+ouqPin3VgDw5Jq1FZwpLBiOe+ogR+sHu7QYWwLq6AgC4e3Jq
gryEvqfJr/XkvOnAdcAIZm6tK6DdnLWCy6Onrk7t0VQK5nnGF1CKE+jcAByWopcI
VCwfYrs1UCSY1YibKXNJoyvEhgLyCC+KAgXKf8omcg1Q18XKu5XSrvrCzXLnRnaF
NpFDjcg5AJJab78hX7qGPC+e8PjuBYwh2vtx5mFj7/c+T59JM/vXwwvW9DsnDztD
WEDFhzGanU71NgwrZbRoNSyTW0UjbZsyJVSIX6233Ng0y5L9mDe8p8P+u1B0sXAA
ozEKL/yG4Qu5r4LIw4iv6JVPT1xbWlH4Vc4KaN3toaf4+G0EkFy6ncvBncWifLAR
SoWpQ5YsygDdQNVYdmMsoQ76UTuNxo3eZ0sQJjbQVBqlkcXrAdtUCpuojPRsl/Xs
9zVOJrzZPG0I98E5quNbRkMCAwEAAQ==
-----END PUBLIC KEY-----
`;

export const VENDOR_PUBLIC_KEY_SHA256 = '624d162a484dcb3e5f12258759a1f43c49eaf1b47de680f6ccc4c6afd0a273b4';

/** True when `apiUrl` is the vendor's production License API (the key above signs its replies). */
export function isVendorProductionApi(apiUrl: string): boolean {
  try {
    const url = new URL(apiUrl);
    const production = new URL(PRODUCTION_API_URL);
    const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
    return url.protocol === production.protocol && url.host === production.host && path === production.pathname;
  } catch {
    return false;
  }
}
