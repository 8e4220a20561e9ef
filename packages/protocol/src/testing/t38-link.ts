// Test support: two T.38 stations joined by an impaired datagram link (drops, duplicates, reordering) on a manual clock;
// any station that trades datagrams the same way (G.711 over RTP too) runs on it.

import type { T38Station } from '../t38/t38-station.js';
import { seededRandom } from './lossy-link.js';
import { ManualClock } from './manual-clock.js';

export interface DatagramLinkOptions {
  readonly seed?: number;
  readonly dropRate?: number;
  readonly duplicateRate?: number;
  /** Base one-way delay. */
  readonly latencyMs?: number;
  /** Extra random delay of up to this much per datagram; more than the send spacing reorders datagrams. */
  readonly jitterMs?: number;
  /** Give up after this much virtual time. */
  readonly limitMs?: number;
}

export interface LinkStats {
  sent: number;
  dropped: number;
  duplicated: number;
}

/** What the link needs of a station: T38Station's datagram interface. */
export type DatagramStation = Pick<T38Station, 'start' | 'advance' | 'nextDeadline' | 'receiveDatagram' | 'finished'>;

export class T38Link<Station extends DatagramStation = T38Station> {
  readonly clock = new ManualClock();
  readonly stats: LinkStats = { sent: 0, dropped: 0, duplicated: 0 };
  /** Every datagram each station sent, with its send time, for tests that check what went on the wire. */
  readonly wire: { from: 'a' | 'b'; at: number; datagram: Uint8Array }[] = [];
  readonly #random: () => number;
  readonly #options: DatagramLinkOptions;

  constructor(
    readonly a: Station,
    readonly b: Station,
    options: DatagramLinkOptions = {},
  ) {
    this.#options = options;
    this.#random = seededRandom(options.seed ?? 1);
  }

  /** Starts both stations and runs until both have finished, nothing is left to do, or the time limit. */
  run(): void {
    this.#send('a', this.a.start(0));
    this.#send('b', this.b.start(0));
    const limit = this.#options.limitMs ?? 600_000;
    while (!(this.a.finished && this.b.finished)) {
      const times = [this.clock.nextAt(), this.a.nextDeadline(), this.b.nextDeadline()];
      const defined = times.filter((t): t is number => t !== undefined);
      if (defined.length === 0) return;
      const next = Math.max(this.clock.now, Math.min(...defined));
      if (next > limit) return;
      this.clock.setTime(next);
      if (this.clock.runDue()) continue;
      for (const name of ['a', 'b'] as const) {
        const deadline = this[name].nextDeadline();
        if (deadline !== undefined && deadline <= next) this.#send(name, this[name].advance(next));
      }
    }
  }

  #send(from: 'a' | 'b', datagrams: readonly Uint8Array[]): void {
    const to = from === 'a' ? this.b : this.a;
    const { dropRate = 0, duplicateRate = 0, latencyMs = 20, jitterMs = 0 } = this.#options;
    for (const datagram of datagrams) {
      this.stats.sent++;
      this.wire.push({ from, at: this.clock.now, datagram });
      if (this.#random() < dropRate) {
        this.stats.dropped++;
        continue;
      }
      const copies = this.#random() < duplicateRate ? 2 : 1;
      if (copies === 2) this.stats.duplicated++;
      for (let i = 0; i < copies; i++) {
        const at = this.clock.now + latencyMs + this.#random() * jitterMs;
        const back = from === 'a' ? 'b' : 'a';
        this.clock.schedule(at, () => this.#send(back, to.receiveDatagram(datagram, this.clock.now)));
      }
    }
  }
}
