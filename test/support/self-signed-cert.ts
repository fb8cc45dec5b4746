// Self-signed certificates for TLS tests, made with the openssl CLI (Node has no
// certificate generator). Tests skip their TLS cases when openssl is missing.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const hasOpenssl: boolean = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

export interface SelfSignedCert {
  cert: string;
  key: string;
  certFile: string;
}

/** A self-signed certificate (its own CA) named `name`, for `subjectAltName` (e.g. `IP:127.0.0.1`), written to dir. */
export function makeSelfSignedCert(dir: string, name: string, subjectAltName: string): SelfSignedCert {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2',
    '-subj', `/CN=${name}`, '-addext', `subjectAltName=${subjectAltName}`], { stdio: 'ignore' });
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), certFile };
}
