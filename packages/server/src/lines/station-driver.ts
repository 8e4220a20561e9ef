// Drives one sans-I/O T.38 station in real time: datagrams in, datagrams out through `send`, and one timer that
// wakes the station at its next deadline. The socket belongs to the caller.

import { performance } from 'node:perf_hooks';
import type { T38Station } from '@faxd/protocol';

export type DatagramSender = (datagrams: readonly Uint8Array[]) => void;

export interface StationDriverOptions {
  /**
   * Called each time the timer wakes the station, with how many milliseconds after the station's deadline it ran:
   * pacing lateness, which grows when the event loop is too busy to keep T.38's real-time schedule.
   */
  readonly onLateness?: (ms: number) => void;
}

export class StationDriver {
  readonly station: T38Station;
  /** Settles when the session has finished and its last signal has gone out. */
  readonly done: Promise<void>;
  readonly #send: DatagramSender;
  readonly #origin = performance.now();
  readonly #onLateness: ((ms: number) => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #resolve: () => void = () => {};

  constructor(station: T38Station, send: DatagramSender, options: StationDriverOptions = {}) {
    this.station = station;
    this.#send = send;
    this.#onLateness = options.onLateness;
    this.done = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  /** Milliseconds since the driver was made: the station's clock. */
  now(): number {
    return performance.now() - this.#origin;
  }

  start(): void {
    this.#output(this.station.start(this.now()));
  }

  receive(datagram: Uint8Array): void {
    this.#output(this.station.receiveDatagram(datagram, this.now()));
  }

  /** Local cancel: the session sends DCN and ends. */
  cancel(): void {
    if (!this.station.finished) this.#output(this.station.cancel(this.now()));
  }

  /** Drops the call without a word to the peer (it is gone, or already calling again): timers stop, `done` settles. */
  abandon(): void {
    clearTimeout(this.#timer);
    this.#resolve();
  }

  #output(datagrams: readonly Uint8Array[]): void {
    this.#send(datagrams);
    clearTimeout(this.#timer);
    if (this.station.finished) {
      this.#resolve();
      return;
    }
    const deadline = this.station.nextDeadline();
    if (deadline !== undefined) {
      this.#timer = setTimeout(() => this.#wake(deadline), Math.max(0, deadline - this.now()));
    }
  }

  #wake(deadline: number): void {
    const now = this.now();
    this.#onLateness?.(now - deadline);
    this.#output(this.station.advance(now));
  }
}
