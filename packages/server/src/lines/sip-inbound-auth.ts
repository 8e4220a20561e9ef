// Digest authentication of the INVITEs a SIP line answers (`sip.inboundAuth`, RFC 3261 §22.1, §22.4, RFC 8760): an
// INVITE without valid credentials gets 401 with SHA-256 and MD5 challenges. Nonces are stateless — the time they
// were issued and an HMAC of it under a key of this process — so challenging a flood keeps nothing per request.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  createSipResponse,
  type DigestCredentials,
  decodeDigestCredentials,
  encodeDigestChallenge,
  headerValues,
  type SipRequest,
  type SipResponse,
  verifyDigestCredentials,
} from '@faxd/protocol';

export interface InboundAuthConfig {
  readonly username: string;
  readonly password: string;
  /** The protection realm named in the challenge (the caller's credentials are per realm). */
  readonly realm: string;
}

/** How long a nonce is taken after it was issued; an older one gets a new challenge marked stale (RFC 7616 §3.3). */
const NONCE_LIFETIME_MS = 5 * 60_000;

export class SipInboundAuth {
  readonly #config: InboundAuthConfig;
  /** The nonce key: a new one each start, so nonces of an earlier run are not taken. */
  readonly #key = randomBytes(32);

  constructor(config: InboundAuthConfig) {
    this.#config = config;
  }

  /** Undefined when `request` carries valid credentials; else the 401 that challenges it. */
  check(request: SipRequest, now: number, toTag: string): SipResponse | undefined {
    let stale = false;
    for (const value of headerValues(request.headers, 'Authorization')) {
      const credentials = decodedCredentials(value);
      if (!credentials || credentials.username !== this.#config.username) continue;
      const verified = verifyDigestCredentials(credentials, {
        method: request.method,
        uri: credentials.uri,
        password: this.#config.password,
        realm: this.#config.realm,
      });
      // RFC 3261 §22.4: the digest-uri names the request it was made for; credentials for another are not reused.
      if (!verified || credentials.uri !== request.uri) continue;
      const issued = this.#issuedAt(credentials.nonce);
      if (issued !== undefined && now - issued <= NONCE_LIFETIME_MS && issued <= now) return undefined;
      stale ||= issued !== undefined;
    }
    const nonce = this.#nonce(now);
    const challenge = (algorithm: string) => ({
      name: 'WWW-Authenticate',
      value: encodeDigestChallenge({ realm: this.#config.realm, nonce, algorithm, qop: ['auth'], stale }),
    });
    // RFC 8760 §2.4: the preferred algorithm first.
    return createSipResponse(request, 401, { toTag, headers: [challenge('SHA-256'), challenge('MD5')] });
  }

  #nonce(now: number): string {
    const issued = Math.floor(now).toString(36);
    return `${issued}.${this.#mac(issued)}`;
  }

  /** When a nonce of ours was issued; undefined for one we did not make. */
  #issuedAt(nonce: string): number | undefined {
    const [issued = '', mac = ''] = nonce.split('.');
    const expected = Buffer.from(this.#mac(issued));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    return Number.parseInt(issued, 36);
  }

  #mac(text: string): string {
    return createHmac('sha256', this.#key).update(text).digest('base64url');
  }
}

function decodedCredentials(value: string): DigestCredentials | undefined {
  try {
    return decodeDigestCredentials(value);
  } catch {
    return undefined;
  }
}
