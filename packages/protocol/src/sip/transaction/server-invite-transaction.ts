// The INVITE server transaction (RFC 3261 §17.2.1, Figure 7, with the Accepted state of RFC 6026 §7.1).
import type { SipRequest, SipResponse } from '../message/sip-message-types.js';
import { createSipResponse } from '../message/sip-response.js';
import { TransactionCore, type TransactionOptions, type TransactionOutput } from './transaction-core.js';
import { transactionKey } from './transaction-key.js';

/** The states of RFC 3261 Figure 7 plus Accepted (RFC 6026), which absorbs INVITE retransmissions after a 2xx. */
export type ServerInviteState = 'Proceeding' | 'Completed' | 'Confirmed' | 'Accepted' | 'Terminated';
type ServerInviteTimer = 'G' | 'H' | 'I' | 'L';

const TRANSITIONS = {
  Proceeding: ['Completed', 'Accepted', 'Terminated'],
  Completed: ['Confirmed', 'Terminated'],
  Confirmed: ['Terminated'],
  Accepted: ['Terminated'],
  Terminated: [],
} as const satisfies Record<ServerInviteState, readonly ServerInviteState[]>;

const TIMERS = {
  Proceeding: [],
  Completed: ['G', 'H'],
  Confirmed: ['I'],
  Accepted: ['L'],
  Terminated: [],
} as const satisfies Record<ServerInviteState, readonly ServerInviteTimer[]>;

export interface ServerInviteTransactionOptions extends TransactionOptions {
  /**
   * §17.2.1: the transaction sends 100 Trying itself unless the TU will answer within 200 ms. True by default; a TU
   * that responds at once (a 486, or a 180 from the same call) may turn it off.
   */
  readonly sendTrying?: boolean;
}

/**
 * Receives an INVITE: answers its retransmissions with the latest provisional response, retransmits a 300–699 final
 * response on Timer G (T1 doubling up to T2, UDP only) until the ACK comes or Timer H (64*T1) gives up, then absorbs
 * stray ACKs for Timer I (T4). After a 2xx it absorbs INVITE retransmissions and hands ACKs to the TU for Timer L
 * (64*T1); retransmitting the 2xx itself is the TU's job (RFC 3261 §13.3.1.4) through `respond`.
 */
export class ServerInviteTransaction extends TransactionCore<ServerInviteState, ServerInviteTimer> {
  readonly request: SipRequest;
  readonly key: string;
  readonly #sendTrying: boolean;
  #lastResponse: SipResponse | undefined;
  #retransmitInterval: number;

  constructor(invite: SipRequest, options: ServerInviteTransactionOptions = {}) {
    super('Proceeding', TRANSITIONS, TIMERS, options);
    if (invite.method !== 'INVITE') throw new Error(`an INVITE server transaction cannot take ${invite.method}`);
    this.request = invite;
    this.key = transactionKey(invite);
    this.#sendTrying = options.sendTrying ?? true;
    this.#retransmitInterval = this.timers.T1;
  }

  /** Hands the INVITE to the TU and, by default, sends 100 Trying. */
  start(_now: number): TransactionOutput {
    this.deliver(this.request);
    if (this.#sendTrying) this.respondWith(createSipResponse(this.request, 100));
    return this.flush();
  }

  /** Takes an INVITE retransmission or an ACK whose `transactionKey` matches this transaction's `key`. */
  receive(request: SipRequest, now: number): TransactionOutput {
    this.onRequest[this.state](request, now);
    return this.flush();
  }

  /** Sends the TU's response. Throws if the transaction can no longer send one (a TU bug). */
  respond(response: SipResponse, now: number): TransactionOutput {
    if (this.state === 'Accepted' && response.status >= 200 && response.status < 300) {
      this.send(response);
      return this.flush();
    }
    if (this.state !== 'Proceeding') throw new Error(`cannot send ${response.status} in state ${this.state}`);
    this.respondWith(response);
    if (response.status >= 300) {
      this.enter('Completed');
      if (!this.reliable) this.setTimer('G', now + this.#retransmitInterval);
      this.setTimer('H', now + 64 * this.timers.T1);
    } else if (response.status >= 200) {
      this.enter('Accepted');
      this.setTimer('L', now + 64 * this.timers.T1);
    }
    return this.flush();
  }

  private respondWith(response: SipResponse): void {
    this.#lastResponse = response;
    this.send(response);
  }

  private readonly onRequest: Record<ServerInviteState, (request: SipRequest, now: number) => void> = {
    Proceeding: (request) => {
      // §17.2.1: a retransmitted INVITE gets the most recent provisional response again.
      if (request.method === 'INVITE' && this.#lastResponse) this.send(this.#lastResponse);
    },
    Completed: (request, now) => {
      if (request.method === 'INVITE' && this.#lastResponse) this.send(this.#lastResponse);
      if (request.method !== 'ACK') return;
      this.enter('Confirmed');
      if (this.reliable) this.enter('Terminated');
      else this.setTimer('I', now + this.timers.T4);
    },
    Confirmed: () => {},
    Accepted: (request) => {
      // RFC 6026 §7.1: an ACK matching here goes to the TU (it stops the 2xx retransmissions); INVITEs are absorbed.
      if (request.method === 'ACK') this.deliver(request);
    },
    Terminated: () => {},
  };

  protected onTimer(timer: ServerInviteTimer, at: number): void {
    switch (timer) {
      case 'G':
        if (this.#lastResponse) this.send(this.#lastResponse);
        this.#retransmitInterval = Math.min(2 * this.#retransmitInterval, this.timers.T2);
        this.setTimer('G', at + this.#retransmitInterval);
        break;
      case 'H':
        // §17.2.1: no ACK after 64*T1; the TU learns of it as a transaction failure.
        this.timedOut();
        this.enter('Terminated');
        break;
      case 'I':
      case 'L':
        this.enter('Terminated');
        break;
    }
  }
}
