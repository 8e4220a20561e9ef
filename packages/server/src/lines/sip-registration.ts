// Keeps a SIP line registered (RFC 3261 §10.2): REGISTER with digest credentials, refreshed before it expires and
// retried after a failure.

import { randomBytes } from 'node:crypto';
import {
  BRANCH_MAGIC_COOKIE,
  ClientNonInviteTransaction,
  chooseDigestChallenge,
  contactUriOf,
  createDigestCredentials,
  createSipRequest,
  decodeDigestChallenge,
  decodeSipUri,
  encodeDigestCredentials,
  headerValue,
  headerValues,
  type SipHeader,
  type SipMessage,
  type SipResponse,
  type SipTransportName,
  type TransactionOutput,
  transactionKey,
} from '@faxd/protocol';
import { type Clock, realClock } from './clock.js';
import { CoreDriver, type DrivenCore } from './core-driver.js';
import { endpointOfUri } from './sip-transport.js';
import type { UdpEndpoint } from './udptl-socket.js';

export interface SipRegistrationOptions {
  /** `sip:host[:port]` */
  readonly registrar: string;
  readonly username: string;
  readonly password: string;
  /** Our Via sent-by and Contact, and the transport REGISTER goes over (TCP: sent once, RFC 3261 §17.1.2.2). */
  readonly local: { readonly host: string; readonly port: number; readonly transport: SipTransportName };
  readonly send: (message: SipMessage, to: UdpEndpoint) => void;
  readonly clock?: Clock;
}

/** The binding asked for; registrars may shorten it (their 200 says by how much). */
const EXPIRES_SECONDS = 3600;
/** Re-register when this share of the granted time has passed, well before the binding lapses. */
const REFRESH_SHARE = 0.8;
const RETRY_MS = 60_000;

const hex = (octets: number) => randomBytes(octets).toString('hex');

export class SipRegistration {
  readonly #options: SipRegistrationOptions;
  readonly #registrar: UdpEndpoint;
  readonly #callId = `${hex(8)}@faxd`;
  readonly #tag = hex(5);
  readonly #clock: Clock;
  #seq = 0;
  /** The REGISTER in flight: its transaction and the driver that retransmits it. */
  #tx: { readonly core: ClientNonInviteTransaction; readonly driver: CoreDriver<TransactionOutput> } | undefined;
  /** The next REGISTER: a refresh before the binding lapses, or a retry. */
  #timer: NodeJS.Timeout | undefined;
  #authorized = false;
  #stopped = false;
  /** Whether the registrar accepted the last REGISTER. */
  registered = false;

  constructor(options: SipRegistrationOptions) {
    this.#options = options;
    this.#clock = options.clock ?? realClock();
    this.#registrar = endpointOfUri(decodeSipUri(options.registrar), options.local.transport);
  }

  start(): void {
    this.#register([]);
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#tx?.driver.stop();
  }

  /** A response whose Call-ID is ours: only the current REGISTER's transaction takes it (RFC 3261 §17.1.3), so a
   * late copy of an earlier 401 can never pass for the answer to the REGISTER that carried credentials. */
  receive(response: SipResponse): void {
    const tx = this.#tx;
    if (!tx || headerValue(response.headers, 'Call-ID') !== this.#callId || keyOf(response) !== tx.core.key) return;
    tx.driver.run((now) => tx.core.receive(response, now));
  }

  #register(authorization: readonly SipHeader[]): void {
    if (this.#stopped) return;
    const { registrar, username, local } = this.#options;
    const host = decodeSipUri(registrar).host;
    this.#seq += 1;
    const request = createSipRequest({
      method: 'REGISTER',
      uri: registrar,
      via: {
        transport: local.transport,
        host: local.host,
        port: local.port,
        params: new Map([['branch', `${BRANCH_MAGIC_COOKIE}${hex(8)}`]]),
      },
      from: { uri: `sip:${username}@${host}`, params: new Map([['tag', this.#tag]]) },
      to: { uri: `sip:${username}@${host}`, params: new Map() },
      callId: this.#callId,
      cseq: this.#seq,
      headers: [
        { name: 'Contact', value: `<${contactUriOf(local, username)}>` },
        { name: 'Expires', value: String(EXPIRES_SECONDS) },
        ...authorization,
      ],
    });
    const core = new ClientNonInviteTransaction(request, { reliable: local.transport !== 'UDP' });
    const driver = new CoreDriver(asDrivenCore(core), (output) => this.#take(driver, output), { clock: this.#clock });
    this.#tx?.driver.stop();
    this.#tx = { core, driver };
    driver.run((now) => core.start(now));
  }

  /** The transaction's output: retransmissions go out; a final response or Timer F ends it (Timer K is not waited for). */
  #take(driver: CoreDriver<TransactionOutput>, output: TransactionOutput): void {
    for (const message of output.send) this.#options.send(message, this.#registrar);
    if (output.deliver?.kind === 'response' && output.deliver.status >= 200) {
      driver.stop();
      this.#final(output.deliver);
    } else if (output.timeout) {
      driver.stop();
      this.#later(RETRY_MS);
    }
  }

  #final(response: SipResponse): void {
    if (response.status < 300) {
      this.registered = true;
      this.#authorized = false;
      this.#later(grantedSeconds(response) * 1000 * REFRESH_SHARE);
      return;
    }
    this.registered = false;
    const header = response.status === 401 ? 'WWW-Authenticate' : response.status === 407 ? 'Proxy-Authenticate' : '';
    const challenge = header ? this.#challenge(response, header) : undefined;
    if (!challenge || (this.#authorized && !challenge.stale)) {
      this.#later(RETRY_MS);
      return;
    }
    this.#authorized = true;
    const credentials = createDigestCredentials(challenge, {
      username: this.#options.username,
      password: this.#options.password,
      method: 'REGISTER',
      uri: this.#options.registrar,
      cnonce: hex(8),
    });
    const name = response.status === 401 ? 'Authorization' : 'Proxy-Authorization';
    this.#register([{ name, value: encodeDigestCredentials(credentials) }]);
  }

  #challenge(response: SipResponse, header: string) {
    try {
      return chooseDigestChallenge(headerValues(response.headers, header).map(decodeDigestChallenge));
    } catch {
      return undefined;
    }
  }

  #later(ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#register([]), ms);
    this.#timer.unref();
  }
}

/** The binding the registrar granted (Contact's expires, else Expires, RFC 3261 §10.3 step 8); ours when unreadable. */
function grantedSeconds(response: SipResponse): number {
  const value = Number(
    /expires=([0-9]+)/i.exec(headerValues(response.headers, 'Contact').join(','))?.[1] ??
      headerValue(response.headers, 'Expires'),
  );
  return Number.isFinite(value) && value >= 1 ? value : EXPIRES_SECONDS;
}

/** A client transaction has nothing left to do once Terminated. */
function asDrivenCore(tx: ClientNonInviteTransaction): DrivenCore<TransactionOutput> {
  return {
    advance: (now) => tx.advance(now),
    nextDeadline: () => tx.nextDeadline(),
    get finished() {
      return tx.state === 'Terminated';
    },
  };
}

function keyOf(response: SipResponse): string | undefined {
  try {
    return transactionKey(response);
  } catch {
    return undefined;
  }
}
