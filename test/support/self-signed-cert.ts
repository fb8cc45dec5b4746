// Self-signed certificates for TLS tests, made with the openssl CLI (Node has no
// certificate generator). Tests skip their TLS cases when openssl is missing.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
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

export interface BadChain {
  /** The root the client is told to trust (a PEM file). */
  caFile: string;
  /** The server's certificate followed by the intermediate that signed it. */
  cert: string;
  key: string;
}

/**
 * A chain that verifies nowhere: a trusted root signs an intermediate that is NOT a CA
 * (basicConstraints CA:FALSE), and that intermediate signs the server's certificate for
 * `subjectAltName`. Node refuses it with a certificate verification code (INVALID_PURPOSE
 * or INVALID_CA), not with a self-signed or unknown-issuer one.
 */
export function makeChainSignedByNonCa(dir: string, name: string, subjectAltName: string): BadChain {
  const file = (suffix: string) => join(dir, `${name}-${suffix}`);
  const run = (args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('root.key'), '-out', file('root.crt'), '-days', '2', '-subj', `/CN=${name} root`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']);
  writeFileSync(file('int.ext'), 'basicConstraints=critical,CA:FALSE\n');
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('int.key'), '-out', file('int.csr'), '-subj', `/CN=${name} not a CA`]);
  run(['x509', '-req', '-in', file('int.csr'), '-CA', file('root.crt'), '-CAkey', file('root.key'), '-set_serial', '2', '-out', file('int.crt'), '-days', '2', '-extfile', file('int.ext')]);
  writeFileSync(file('leaf.ext'), `subjectAltName=${subjectAltName}\n`);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('leaf.key'), '-out', file('leaf.csr'), '-subj', `/CN=${name}`]);
  run(['x509', '-req', '-in', file('leaf.csr'), '-CA', file('int.crt'), '-CAkey', file('int.key'), '-set_serial', '3', '-out', file('leaf.crt'), '-days', '2', '-extfile', file('leaf.ext')]);
  return { caFile: file('root.crt'), cert: readFileSync(file('leaf.crt'), 'utf8') + readFileSync(file('int.crt'), 'utf8'), key: readFileSync(file('leaf.key'), 'utf8') };
}
