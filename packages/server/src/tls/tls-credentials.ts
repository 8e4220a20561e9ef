// The server's TLS certificate and key (the `tls` configuration), shared by the HTTPS API, SIP-over-TLS lines and the
// mail gateway's STARTTLS, and reloaded from their files on SIGHUP: each listener swaps its secure context, so
// connections already open (a fax's SIP dialog, an event stream) keep theirs and only new handshakes see the new one.

import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import type { TlsConfig } from '../config/faxd-config.js';

export interface CertificatePair {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/** A listener that serves the certificate: an https/http2 server or a tls.Server. */
export interface SecureContextHolder {
  setSecureContext(options: CertificatePair): void;
}

export class TlsCredentials {
  readonly #files: TlsConfig;
  #current: CertificatePair;
  readonly #holders = new Set<SecureContextHolder>();

  private constructor(files: TlsConfig, current: CertificatePair) {
    this.#files = files;
    this.#current = current;
  }

  /** Reads and checks the pair; a missing file, a bad PEM or a key that does not match the certificate throws. */
  static async load(files: TlsConfig): Promise<TlsCredentials> {
    return new TlsCredentials(files, await readPair(files));
  }

  get current(): CertificatePair {
    return this.#current;
  }

  /** `holder` gets every reloaded pair until the returned function is called. */
  serve(holder: SecureContextHolder): () => void {
    this.#holders.add(holder);
    return () => this.#holders.delete(holder);
  }

  /**
   * Reads the files again and hands the new pair to every listener. A pair that does not load (a half-written file, a
   * key of another certificate) throws and changes nothing: the listeners keep serving the previous one.
   */
  async reload(): Promise<void> {
    const pair = await readPair(this.#files);
    this.#current = pair;
    for (const holder of this.#holders) holder.setSecureContext(pair);
  }
}

async function readPair(files: TlsConfig): Promise<CertificatePair> {
  const [cert, key] = await Promise.all([readFile(files.cert), readFile(files.key)]);
  // Builds a context only to check the pair: OpenSSL refuses a key that does not belong to the certificate here.
  createSecureContext({ cert, key });
  return { cert, key };
}
