// What the four RFC 3261 §17 transaction machines share: timer values, outputs, deadlines, one way to change state.
import type { SipMessage } from '../message/sip-message-types.js';

/**
 * RFC 3261 §17.1.1.1 and Table 4: T1 is the round-trip estimate, T2 the cap on non-INVITE and response
 * retransmission intervals, T4 how long a message may linger in the network.
 */
export interface SipTimerValues {
  readonly T1: number;
  readonly T2: number;
  readonly T4: number;
}

/** RFC 3261 Table 4 defaults, in milliseconds: T1 500 ms, T2 4 s, T4 5 s. */
export const SIP_TIMER_DEFAULTS: SipTimerValues = { T1: 500, T2: 4_000, T4: 5_000 };

export interface TransactionOptions {
  /**
   * True over TCP, TLS or SCTP: no retransmissions (Timers A, E, G unused) and the wait-for-stragglers timers D, I, J
   * and K are zero, so those states end at once (RFC 3261 §17).
   */
  readonly reliable?: boolean;
  readonly timers?: Partial<SipTimerValues>;
}

/** What one call into a transaction produced; the caller performs it. */
export interface TransactionOutput {
  /** Messages to hand to the transport, in order, to the transaction's peer. */
  readonly send: SipMessage[];
  /** A response (client transactions) or request (server transactions) for the transaction user. */
  readonly deliver?: SipMessage;
  /** The transaction reached Terminated during this call: forget it. */
  readonly terminated?: boolean;
  /** It ended because Timer B, F or H fired: the client gets no answer (treat as 408) or the server no ACK. */
  readonly timeout?: boolean;
}

interface PendingOutput {
  send: SipMessage[];
  deliver?: SipMessage;
  terminated?: boolean;
  timeout?: boolean;
}

/**
 * Base of the transaction machines: each subclass names its states and timers, lists the transitions its RFC figure
 * draws and which timers run in which state, and handles events per state. `enter` is the one way to change state.
 */
export abstract class TransactionCore<State extends string, Timer extends string> {
  protected readonly timers: SipTimerValues;
  protected readonly reliable: boolean;
  #state: State;
  readonly #deadlines = new Map<Timer, number>();
  #output: PendingOutput = { send: [] };

  protected constructor(
    initial: State,
    private readonly transitions: Readonly<Record<State, readonly State[]>>,
    private readonly timersByState: Readonly<Record<State, readonly Timer[]>>,
    options: TransactionOptions,
  ) {
    this.#state = initial;
    this.timers = { ...SIP_TIMER_DEFAULTS, ...options.timers };
    for (const value of Object.values(this.timers)) {
      if (!(value > 0)) throw new RangeError('SIP timer values must be positive milliseconds');
    }
    this.reliable = options.reliable ?? false;
  }

  get state(): State {
    return this.#state;
  }

  /** When `advance` should next be called, or undefined when no timer runs. */
  nextDeadline(): number | undefined {
    let next: number | undefined;
    for (const at of this.#deadlines.values()) if (next === undefined || at < next) next = at;
    return next;
  }

  /** Fires every timer due at `now`, earliest first; a timer re-armed from its own due time may fire again. */
  advance(now: number): TransactionOutput {
    for (;;) {
      let due: Timer | undefined;
      let dueAt = now;
      for (const [timer, at] of this.#deadlines) {
        if (at <= dueAt && (due === undefined || at < dueAt)) {
          due = timer;
          dueAt = at;
        }
      }
      if (due === undefined) break;
      this.#deadlines.delete(due);
      this.onTimer(due, dueAt);
    }
    return this.flush();
  }

  /** Handles timer `timer`, which was due at `at` (re-arm relative to `at` so a late driver keeps the schedule). */
  protected abstract onTimer(timer: Timer, at: number): void;

  protected enter(next: State): void {
    if (!this.transitions[this.#state].includes(next)) {
      throw new Error(`invalid SIP transaction transition from ${this.#state} to ${next}`);
    }
    this.#state = next;
    const running = this.timersByState[next];
    for (const timer of [...this.#deadlines.keys()]) if (!running.includes(timer)) this.#deadlines.delete(timer);
    if (this.transitions[next].length === 0) this.#output.terminated = true;
  }

  protected setTimer(timer: Timer, at: number): void {
    if (!this.timersByState[this.#state].includes(timer))
      throw new Error(`timer ${timer} does not run in ${this.#state}`);
    this.#deadlines.set(timer, at);
  }

  protected send(message: SipMessage): void {
    this.#output.send.push(message);
  }

  protected deliver(message: SipMessage): void {
    this.#output.deliver = message;
  }

  protected timedOut(): void {
    this.#output.timeout = true;
  }

  protected flush(): TransactionOutput {
    const output = this.#output;
    this.#output = { send: [] };
    return output;
  }
}
