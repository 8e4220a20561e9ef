// Test support: a private certificate authority and server certificates it signs, made with the openssl command (the
// Debian package openssl, in scripts/test-all.sh), for HTTPS and SIP over TLS on 127.0.0.1.

import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificateAuthority {
  /** The CA certificate's PEM file: what a client trusts (`ca`, or NODE_EXTRA_CA_CERTS). */
  readonly caFile: string;
  /**
   * Signs a new server certificate for 127.0.0.1, ::1 and localhost and writes it and its key as `name`.pem and
   * `name`.key (over earlier ones of that name); each call gives a new key and serial number.
   */
  issue(name: string): { cert: string; key: string };
  /** Removes the files. */
  dispose(): void;
}

function openssl(args: readonly string[]): void {
  try {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const { code, stderr } = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (code === 'ENOENT') throw new Error('these tests need the openssl command (Debian package openssl)');
    throw new Error(`openssl ${args[0]} failed: ${stderr?.toString() ?? error}`);
  }
}

/** EC P-256 keys: quick to make, and every TLS stack in use takes them. */
const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

export function createTestCertificateAuthority(): TestCertificateAuthority {
  const directory = mkdtempSync(join(tmpdir(), 'faxd-certs-'));
  const caFile = join(directory, 'ca.pem');
  const caKey = join(directory, 'ca.key');
  openssl(['req', '-x509', ...NEW_KEY, '-keyout', caKey, '-out', caFile, '-days', '2', '-subj', '/CN=faxd test CA']);
  return {
    caFile,
    issue: (name) => {
      const cert = join(directory, `${name}.pem`);
      const key = join(directory, `${name}.key`);
      openssl([
        'req',
        '-x509',
        ...NEW_KEY,
        '-CA',
        caFile,
        '-CAkey',
        caKey,
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '2',
        '-subj',
        `/CN=faxd test ${name}`,
        '-addext',
        'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost',
      ]);
      return { cert, key };
    },
    dispose: () => rmSync(directory, { recursive: true, force: true }),
  };
}

/** The SHA-256 fingerprint of a PEM certificate file as Node's TLS peer certificate reports it (AB:CD:…). */
export function fingerprintOf(certFile: string): string {
  return new X509Certificate(readFileSync(certFile)).fingerprint256;
}
