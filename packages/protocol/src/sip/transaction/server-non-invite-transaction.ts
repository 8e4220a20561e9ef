// The non-INVITE server transaction (RFC 3261 §17.2.2, Figure 8).
import type { SipRequest, SipResponse } from '../message/sip-message-types.js';
import { TransactionCore, type TransactionOptions, type TransactionOutput } from './transaction-core.js';
import { transactionKey } from './transaction-key.js';

export type ServerNonInviteState = 'Trying' | 'Proceeding' | 'Completed' | 'Terminated';
type ServerNonInviteTimer = 'J';

const TRANSITIONS = {
  Trying: ['Proceeding', 'Completed', 'Terminated'],
  Proceeding: ['Completed', 'Terminated'],
  Completed: ['Terminated'],
  Terminated: [],
} as const satisfies Record<ServerNonInviteState, readonly ServerNonInviteState[]>;

const TIMERS = {
  Trying: [],
  Proceeding: [],
  Completed: ['J'],
  Terminated: [],
} as const satisfies Record<ServerNonInviteState, readonly ServerNonInviteTimer[]>;

/**
 * Receives a request other than INVITE or ACK: answers its retransmissions with the latest response (none while
 * Trying), and after the final response keeps answering them for Timer J (64*T1 over UDP, zero over reliable ones).
 */
export class ServerNonInviteTransaction extends TransactionCore<ServerNonInviteState, ServerNonInviteTimer> {
  readonly request: SipRequest;
  readonly key: string;
  #lastResponse: SipResponse | undefined;

  constructor(request: SipRequest, options: TransactionOptions = {}) {
    super('Trying', TRANSITIONS, TIMERS, options);
    if (request.method === 'INVITE' || request.method === 'ACK') {
      throw new Error(`a non-INVITE server transaction cannot take ${request.method}`);
    }
    this.request = request;
    this.key = transactionKey(request);
  }

  /** Hands the request to the TU. */
  start(_now: number): TransactionOutput {
    this.deliver(this.request);
    return this.flush();
  }

  /** Takes a retransmission of the request. */
  receive(_request: SipRequest, _now: number): TransactionOutput {
    // §17.2.2: retransmissions are absorbed while Trying and answered with the last response afterwards.
    if (this.state !== 'Trying' && this.state !== 'Terminated' && this.#lastResponse) this.send(this.#lastResponse);
    return this.flush();
  }

  /** Sends the TU's response. Throws once a final response was sent (a TU bug). */
  respond(response: SipResponse, now: number): TransactionOutput {
    if (this.state === 'Completed' || this.state === 'Terminated')
      throw new Error(`cannot send ${response.status} in state ${this.state}`);
    this.#lastResponse = response;
    this.send(response);
    if (response.status < 200) {
      if (this.state === 'Trying') this.enter('Proceeding');
    } else {
      this.enter('Completed');
      if (this.reliable) this.enter('Terminated');
      else this.setTimer('J', now + 64 * this.timers.T1);
    }
    return this.flush();
  }

  protected onTimer(_timer: ServerNonInviteTimer, _at: number): void {
    this.enter('Terminated');
  }
}
