// The non-INVITE client transaction (RFC 3261 §17.1.2, Figure 6): REGISTER, BYE, CANCEL, OPTIONS, …
import type { SipRequest, SipResponse } from '../message/sip-message-types.js';
import { TransactionCore, type TransactionOptions, type TransactionOutput } from './transaction-core.js';
import { transactionKey } from './transaction-key.js';

export type ClientNonInviteState = 'Trying' | 'Proceeding' | 'Completed' | 'Terminated';
type ClientNonInviteTimer = 'E' | 'F' | 'K';

const TRANSITIONS = {
  Trying: ['Proceeding', 'Completed', 'Terminated'],
  Proceeding: ['Completed', 'Terminated'],
  Completed: ['Terminated'],
  Terminated: [],
} as const satisfies Record<ClientNonInviteState, readonly ClientNonInviteState[]>;

const TIMERS = {
  Trying: ['E', 'F'],
  Proceeding: ['E', 'F'],
  Completed: ['K'],
  Terminated: [],
} as const satisfies Record<ClientNonInviteState, readonly ClientNonInviteTimer[]>;

/**
 * Sends a request other than INVITE or ACK: retransmits on Timer E (T1 doubling up to T2; T2 once a provisional
 * response came; UDP only), gives up on Timer F (64*T1), and absorbs response retransmissions for Timer K (T4).
 */
export class ClientNonInviteTransaction extends TransactionCore<ClientNonInviteState, ClientNonInviteTimer> {
  readonly request: SipRequest;
  readonly key: string;
  #retransmitInterval: number;

  constructor(request: SipRequest, options: TransactionOptions = {}) {
    super('Trying', TRANSITIONS, TIMERS, options);
    if (request.method === 'INVITE' || request.method === 'ACK') {
      throw new Error(`a non-INVITE client transaction cannot send ${request.method}`);
    }
    this.request = request;
    this.key = transactionKey(request);
    this.#retransmitInterval = this.timers.T1;
  }

  start(now: number): TransactionOutput {
    this.send(this.request);
    if (!this.reliable) this.setTimer('E', now + this.#retransmitInterval);
    this.setTimer('F', now + 64 * this.timers.T1);
    return this.flush();
  }

  receive(response: SipResponse, now: number): TransactionOutput {
    this.onResponse[this.state](response, now);
    return this.flush();
  }

  private readonly onResponse: Record<ClientNonInviteState, (response: SipResponse, now: number) => void> = {
    Trying: (response, now) => this.onResponseWhilePending(response, now),
    Proceeding: (response, now) => this.onResponseWhilePending(response, now),
    Completed: () => {},
    Terminated: () => {},
  };

  private onResponseWhilePending(response: SipResponse, now: number): void {
    this.deliver(response);
    if (response.status < 200) {
      if (this.state === 'Trying') this.enter('Proceeding');
      return;
    }
    this.enter('Completed');
    if (this.reliable) this.enter('Terminated');
    else this.setTimer('K', now + this.timers.T4);
  }

  protected onTimer(timer: ClientNonInviteTimer, at: number): void {
    switch (timer) {
      case 'E':
        this.send(this.request);
        // §17.1.2.2: in Trying the interval doubles up to T2; in Proceeding it is T2 from then on.
        this.#retransmitInterval =
          this.state === 'Proceeding' ? this.timers.T2 : Math.min(2 * this.#retransmitInterval, this.timers.T2);
        this.setTimer('E', at + this.#retransmitInterval);
        break;
      case 'F':
        this.timedOut();
        this.enter('Terminated');
        break;
      case 'K':
        this.enter('Terminated');
        break;
    }
  }
}
