// The transactions and call-level timers of one fax call and the output they gather between two driver calls
// (RFC 3261 §17 transactions, §13.3.1.4 and §14.1 call timers).

import type { SipMessage, SipRequest, SipResponse } from '../message/sip-message-types.js';
import type { ClientInviteTransaction } from '../transaction/client-invite-transaction.js';
import type { ClientNonInviteTransaction } from '../transaction/client-non-invite-transaction.js';
import { ServerInviteTransaction } from '../transaction/server-invite-transaction.js';
import type { ServerNonInviteTransaction } from '../transaction/server-non-invite-transaction.js';
import type { TransactionOutput } from '../transaction/transaction-core.js';
import type { SipCallEvent, SipCallOutput } from './sip-call-types.js';

export type CallTimer = 'retransmit2xx' | 'noAck' | 'switch' | 't38Wait' | 'ringLimit' | 'refresh' | 'answer';
type ClientTransaction = ClientInviteTransaction | ClientNonInviteTransaction;
type ServerTransaction = ServerInviteTransaction | ServerNonInviteTransaction;

/** What the call does when one of its own client transactions delivers a final answer or gives up. */
export interface ClientHandlers {
  onResponse(response: SipResponse, now: number): void;
  onTimeout(now: number): void;
}
interface ClientEntry extends ClientHandlers {
  readonly tx: ClientTransaction;
}

export class SipCallCore {
  readonly #clients = new Map<string, ClientEntry>();
  readonly #servers = new Map<string, ServerTransaction>();
  readonly #deadlines = new Map<CallTimer, number>();
  #output: { send: SipMessage[]; events: SipCallEvent[] } = { send: [], events: [] };

  /** No transaction is left to absorb retransmissions. */
  get idle(): boolean {
    return this.#clients.size === 0 && this.#servers.size === 0;
  }

  /** Server transactions kept for the peer's requests (each until its Timer J, H, I or L). */
  get serverCount(): number {
    return this.#servers.size;
  }

  send(message: SipMessage): void {
    this.#output.send.push(message);
  }

  emit(event: SipCallEvent): void {
    this.#output.events.push(event);
  }

  /** Sends `tx`'s first request and routes what the transaction later delivers to `handlers`. */
  startClient(tx: ClientTransaction, handlers: ClientHandlers, now: number): void {
    const entry = { tx, ...handlers };
    this.#clients.set(tx.key, entry);
    this.#takeClient(tx.key, entry, tx.start(now), now);
  }

  /** Hands a response to its client transaction; false when none of ours is waiting under `key`. */
  receiveResponse(key: string, response: SipResponse, now: number): boolean {
    const entry = this.#clients.get(key);
    if (!entry) return false;
    this.#takeClient(key, entry, entry.tx.receive(response, now), now);
    return true;
  }

  /** Keeps a new server transaction to absorb retransmissions of its request, and starts it. */
  startServer(tx: ServerTransaction, now: number): void {
    this.#servers.set(tx.key, tx);
    this.take(tx.start(now));
  }

  /** Hands a retransmitted (or ACK) request to its server transaction; undefined when there is none under `key`. */
  receiveRequest(key: string, request: SipRequest, now: number): TransactionOutput | undefined {
    const tx = this.#servers.get(key);
    if (!tx) return undefined;
    const output = tx instanceof ServerInviteTransaction ? tx.receive(request, now) : tx.receive(request, now);
    this.#takeServer(key, output);
    return output;
  }

  /** Collects what a transaction sends without looking at its other outcomes. */
  take(output: TransactionOutput): void {
    this.#output.send.push(...output.send);
  }

  setTimer(timer: CallTimer, at: number): void {
    this.#deadlines.set(timer, at);
  }

  hasTimer(timer: CallTimer): boolean {
    return this.#deadlines.has(timer);
  }

  clearTimers(...timers: CallTimer[]): void {
    for (const timer of timers) this.#deadlines.delete(timer);
  }

  nextDeadline(): number | undefined {
    const all = [...this.#deadlines.values()];
    for (const { tx } of this.#clients.values()) all.push(tx.nextDeadline() ?? Number.POSITIVE_INFINITY);
    for (const tx of this.#servers.values()) all.push(tx.nextDeadline() ?? Number.POSITIVE_INFINITY);
    const next = Math.min(...all);
    return Number.isFinite(next) ? next : undefined;
  }

  /** Runs transaction timers first, then the call timers due by `now` (a handler may set or clear the others). */
  advance(now: number, onTimer: Readonly<Record<CallTimer, (at: number) => void>>): void {
    for (const [key, entry] of [...this.#clients]) this.#takeClient(key, entry, entry.tx.advance(now), now);
    for (const [key, tx] of [...this.#servers]) this.#takeServer(key, tx.advance(now));
    for (const [timer, at] of [...this.#deadlines]) {
      if (at > now || this.#deadlines.get(timer) !== at) continue;
      this.#deadlines.delete(timer);
      onTimer[timer](at);
    }
  }

  /** Hands over everything gathered since the last flush. */
  flush(): SipCallOutput {
    const output = this.#output;
    this.#output = { send: [], events: [] };
    return output;
  }

  #takeClient(key: string, entry: ClientEntry, output: TransactionOutput, now: number): void {
    this.#output.send.push(...output.send);
    if (output.deliver?.kind === 'response') entry.onResponse(output.deliver, now);
    if (output.timeout) entry.onTimeout(now);
    if (output.terminated) this.#clients.delete(key);
  }

  #takeServer(key: string, output: TransactionOutput): void {
    this.#output.send.push(...output.send);
    if (output.terminated) this.#servers.delete(key);
  }
}
