// The UDPTL receiving side (T.38 §9.1, Annex A redundancy): puts IFPs back in sequence, repairing gaps from secondaries.
import { decodeUdptlPacket } from './udptl-packet.js';

/** What the T.38 layer gets, in sequence order: IFPs, and runs of IFPs that are gone for good (to mark data as lost). */
export type UdptlDelivery =
  | { type: 'ifp'; seqNumber: number; ifp: Uint8Array }
  | { type: 'lost'; firstSeqNumber: number; count: number };

export interface UdptlReceiverOptions {
  /**
   * How far past a gap a datagram may arrive before the gap is declared lost. Larger values tolerate more reordering
   * at the cost of holding later IFPs back; 0 gives up on a gap as soon as anything newer arrives.
   */
  reorderWindow?: number;
  /** The first seq-number expected; by default the first datagram's, since a stream may start anywhere. */
  firstSeqNumber?: number;
}

export interface UdptlReceiverStats {
  delivered: number;
  /** IFPs taken from secondaries because their own datagram had not arrived. */
  recovered: number;
  lost: number;
  /** Datagrams whose primary was already held or delivered (repeats, duplicates) or declared lost (late arrivals). */
  discarded: number;
}

const DEFAULT_REORDER_WINDOW = 4;

export class UdptlReceiver {
  readonly stats: UdptlReceiverStats = { delivered: 0, recovered: 0, lost: 0, discarded: 0 };
  private readonly reorderWindow: number;
  private expected: number | undefined;
  /** IFPs that arrived ahead of `expected`, keyed by seq-number. */
  private readonly held = new Map<number, Uint8Array>();

  constructor(options: UdptlReceiverOptions = {}) {
    this.reorderWindow = options.reorderWindow ?? DEFAULT_REORDER_WINDOW;
    if (!Number.isInteger(this.reorderWindow) || this.reorderWindow < 0)
      throw new RangeError('reorderWindow must be >= 0');
    if (options.firstSeqNumber !== undefined) this.expected = options.firstSeqNumber & 0xffff;
  }

  /** Takes one datagram; throws `DecodeError` if it is not UDPTL (the caller drops it and carries on). */
  receive(datagram: Uint8Array): UdptlDelivery[] {
    const packet = decodeUdptlPacket(datagram);
    this.expected ??= packet.seqNumber;
    const distance = this.distance(packet.seqNumber);
    if (distance < 0) {
      this.stats.discarded++;
      return [];
    }
    // A primary already recovered from a later datagram's secondaries still brings older secondaries worth keeping.
    if (this.held.has(packet.seqNumber)) this.stats.discarded++;
    else this.held.set(packet.seqNumber, packet.primary);
    if (packet.errorRecovery.type === 'redundancy') this.holdSecondaries(distance, packet.errorRecovery.secondaries);
    return this.drain(false);
  }

  /** Gives up on every gap and delivers all held IFPs, e.g. when the call ends or the driver's jitter timer fires. */
  flush(): UdptlDelivery[] {
    return this.drain(true);
  }

  /** Secondary i carries the IFP sent i + 1 packets before the primary; zero-length ones are placeholders (Asterisk). */
  private holdSecondaries(distance: number, secondaries: readonly Uint8Array[]): void {
    const expected = this.expected as number;
    for (let i = 0; i < secondaries.length && distance - 1 - i >= 0; i++) {
      const secondary = secondaries[i] as Uint8Array;
      const seqNumber = (expected + distance - 1 - i) & 0xffff;
      if (secondary.length === 0 || this.held.has(seqNumber)) continue;
      this.held.set(seqNumber, secondary);
      this.stats.recovered++;
    }
  }

  private drain(giveUp: boolean): UdptlDelivery[] {
    const out: UdptlDelivery[] = [];
    for (;;) {
      let expected = this.expected as number;
      for (let ifp = this.held.get(expected); ifp !== undefined; ifp = this.held.get(expected)) {
        out.push({ type: 'ifp', seqNumber: expected, ifp });
        this.held.delete(expected);
        this.stats.delivered++;
        expected = (expected + 1) & 0xffff;
      }
      this.expected = expected;
      if (this.held.size === 0) return out;
      let nearest = Number.POSITIVE_INFINITY;
      let farthest = 0;
      for (const seqNumber of this.held.keys()) {
        const distance = this.distance(seqNumber);
        nearest = Math.min(nearest, distance);
        farthest = Math.max(farthest, distance);
      }
      if (!giveUp && farthest < this.reorderWindow) return out;
      out.push({ type: 'lost', firstSeqNumber: expected, count: nearest });
      this.stats.lost += nearest;
      this.expected = (expected + nearest) & 0xffff;
    }
  }

  /** Signed distance from the expected seq-number, modulo 2^16: negative means already delivered or given up on. */
  private distance(seqNumber: number): number {
    const forward = (seqNumber - (this.expected as number)) & 0xffff;
    return forward >= 0x8000 ? forward - 0x10000 : forward;
  }
}
