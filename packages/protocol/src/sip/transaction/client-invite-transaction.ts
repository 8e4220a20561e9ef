// The INVITE client transaction (RFC 3261 §17.1.1, Figure 5, with the Accepted state of RFC 6026 §7.2).
import type { SipRequest, SipResponse } from '../message/sip-message-types.js';
import { createNon2xxAck } from '../message/sip-request.js';
import { TransactionCore, type TransactionOptions, type TransactionOutput } from './transaction-core.js';
import { transactionKey } from './transaction-key.js';

/** The states of RFC 3261 Figure 5 plus Accepted (RFC 6026), where 2xx retransmissions still reach the TU. */
export type ClientInviteState = 'Calling' | 'Proceeding' | 'Completed' | 'Accepted' | 'Terminated';
type ClientInviteTimer = 'A' | 'B' | 'D' | 'M';

const TRANSITIONS = {
  Calling: ['Proceeding', 'Completed', 'Accepted', 'Terminated'],
  Proceeding: ['Completed', 'Accepted', 'Terminated'],
  Completed: ['Terminated'],
  Accepted: ['Terminated'],
  Terminated: [],
} as const satisfies Record<ClientInviteState, readonly ClientInviteState[]>;

/** Timer B runs only while Calling: once a provisional response arrives, the TU decides how long to ring (CANCEL). */
const TIMERS = {
  Calling: ['A', 'B'],
  Proceeding: [],
  Completed: ['D'],
  Accepted: ['M'],
  Terminated: [],
} as const satisfies Record<ClientInviteState, readonly ClientInviteTimer[]>;

/** RFC 3261 Table 4: Timer D is at least 32 s over unreliable transports (it outlasts the server's retransmissions). */
const TIMER_D_MINIMUM = 32_000;

/**
 * Sends an INVITE and shepherds its responses: retransmits on Timer A (T1, doubling, UDP only), gives up on Timer B
 * (64*T1), ACKs 300–699 responses itself, and passes every 2xx to the TU, which sends its own ACK
 * (RFC 3261 §13.2.2.4).
 */
export class ClientInviteTransaction extends TransactionCore<ClientInviteState, ClientInviteTimer> {
  readonly request: SipRequest;
  readonly key: string;
  #retransmitInterval: number;
  #ack: SipRequest | undefined;

  constructor(invite: SipRequest, options: TransactionOptions = {}) {
    super('Calling', TRANSITIONS, TIMERS, options);
    if (invite.method !== 'INVITE') throw new Error(`an INVITE client transaction cannot send ${invite.method}`);
    this.request = invite;
    this.key = transactionKey(invite);
    this.#retransmitInterval = this.timers.T1;
  }

  /** Sends the INVITE and starts Timers A and B. */
  start(now: number): TransactionOutput {
    this.send(this.request);
    if (!this.reliable) this.setTimer('A', now + this.#retransmitInterval);
    this.setTimer('B', now + 64 * this.timers.T1);
    return this.flush();
  }

  /** Takes a response whose `transactionKey` matches this transaction's `key`. */
  receive(response: SipResponse, now: number): TransactionOutput {
    this.onResponse[this.state](response, now);
    return this.flush();
  }

  private readonly onResponse: Record<ClientInviteState, (response: SipResponse, now: number) => void> = {
    Calling: (response, now) => this.onFirstResponses(response, now),
    Proceeding: (response, now) => this.onFirstResponses(response, now),
    Completed: (response) => {
      // §17.1.1.2: a retransmitted final response means our ACK was lost; send it again, tell nobody.
      if (response.status >= 300 && this.#ack) this.send(this.#ack);
    },
    Accepted: (response) => {
      // RFC 6026 §7.2: further 2xx (retransmissions, or other forks) go to the TU, which ACKs each.
      if (response.status >= 200 && response.status < 300) this.deliver(response);
    },
    Terminated: () => {},
  };

  private onFirstResponses(response: SipResponse, now: number): void {
    this.deliver(response);
    if (response.status < 200) {
      if (this.state === 'Calling') this.enter('Proceeding');
    } else if (response.status < 300) {
      this.enter('Accepted');
      this.setTimer('M', now + 64 * this.timers.T1);
    } else {
      this.#ack = createNon2xxAck(this.request, response);
      this.send(this.#ack);
      this.enter('Completed');
      if (this.reliable) this.enter('Terminated');
      else this.setTimer('D', now + Math.max(TIMER_D_MINIMUM, 64 * this.timers.T1));
    }
  }

  protected onTimer(timer: ClientInviteTimer, at: number): void {
    switch (timer) {
      case 'A':
        // §17.1.1.2: retransmit and double the interval each time, with no cap (unlike Timer E).
        this.send(this.request);
        this.#retransmitInterval *= 2;
        this.setTimer('A', at + this.#retransmitInterval);
        break;
      case 'B':
        this.timedOut();
        this.enter('Terminated');
        break;
      case 'D':
      case 'M':
        this.enter('Terminated');
        break;
    }
  }
}
