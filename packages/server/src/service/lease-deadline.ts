// The moment until which this node's lease is surely its own (issue 16): the send time of the last renewal the store
// acknowledged, plus the lease, less a margin. Another node counts the lease from the time the renewal stored, which
// is when it was sent, so a renewal that returns late buys nothing past what it bought when it left; one that never
// returns buys nothing at all. Calls stop at the deadline (a timer), and check it before each step they take (held()),
// since after a stall the event loop may run their I/O before the timer.

import type { Clock } from './clock.js';

/**
 * The part of the lease a node gives up: the other nodes take over by their own clocks, so this covers theirs running
 * ahead of this one's (NTP keeps hosts within milliseconds; a fifth of the default lease is six seconds) and the last
 * step's datagrams leaving. Heartbeats at most a third of the lease (config/faxd-config.ts) still leave a renewal room
 * to come more than a heartbeat late before a node drops its calls.
 */
const MARGIN_OF_LEASE = 1 / 5;

/** How long after a renewal was sent this node may go on acting on it: the lease less the margin. */
export function leaseHoldMs(leaseSeconds: number): number {
  return leaseSeconds * 1000 * (1 - MARGIN_OF_LEASE);
}

export class LeaseDeadline {
  readonly #clock: Clock;
  readonly #holdMs: number;
  readonly #onLapse: () => void;
  #until: number;
  /** Whether the lapse of the present deadline has been reported (once for each lapse). */
  #lapsed = false;
  #cancelTimer: (() => void) | undefined;
  #stopped = false;

  /** The lease as a renewal sent at `sentAtMs` (acknowledged) left it; `onLapse` runs once at each lapse. */
  constructor(clock: Clock, holdMs: number, sentAtMs: number, onLapse: () => void) {
    this.#clock = clock;
    this.#holdMs = holdMs;
    this.#onLapse = onLapse;
    this.#until = sentAtMs + holdMs;
    this.#arm();
  }

  /** The deadline, on the clock's scale: the lease is this node's strictly before it. */
  get until(): number {
    return this.#until;
  }

  /** Whether the lease is surely this node's now. */
  held(): boolean {
    return this.#clock.now() < this.#until;
  }

  /**
   * The store acknowledged a renewal sent at `sentAtMs`: the deadline moves on, unless that renewal left before the one
   * the deadline stands on. A lapse that came before it is reported first (after a stall, the acknowledgement may run
   * before the timer). True when the lease was lapsed and is held again: the node may take up work again.
   */
  renewed(sentAtMs: number): boolean {
    if (!this.held()) this.#lapse();
    this.#until = Math.max(this.#until, sentAtMs + this.#holdMs);
    if (!this.held()) return false;
    const regained = this.#lapsed;
    this.#lapsed = false;
    this.#arm();
    return regained;
  }

  /** No more timer: the node is leaving. */
  stop(): void {
    this.#stopped = true;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
  }

  #arm(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    if (this.#stopped) return;
    this.#cancelTimer = this.#clock.wakeAt(this.#until, () => {
      this.#cancelTimer = undefined;
      if (this.held()) this.#arm();
      else this.#lapse();
    });
  }

  #lapse(): void {
    if (this.#lapsed || this.#stopped) return;
    this.#lapsed = true;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#onLapse();
  }
}
