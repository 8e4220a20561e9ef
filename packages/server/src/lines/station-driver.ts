// Drives one sans-I/O T.38 station in real time: datagrams in, datagrams out through `send`, and one timer that
// wakes the station at its next deadline. The socket belongs to the caller.

import { performance } from 'node:perf_hooks';
import type { T38Station } from '@faxd/protocol';

export type DatagramSender = (datagrams: readonly Uint8Array[]) => void;

export class StationDriver {
  readonly station: T38Station;
  /** Settles when the session has finished and its last signal has gone out. */
  readonly done: Promise<void>;
  readonly #send: DatagramSender;
  readonly #origin = performance.now();
  #timer: NodeJS.Timeout | undefined;
  #resolve: () => void = () => {};

  constructor(station: T38Station, send: DatagramSender) {
    this.station = station;
    this.#send = send;
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
      this.#timer = setTimeout(
        () => this.#output(this.station.advance(this.now())),
        Math.max(0, deadline - this.now()),
      );
    }
  }
}
