// The UDPTL sending side (T.38 §9.1, Annex A redundancy): numbers IFPs and carries the last N as secondaries.
import { encodeUdptlPacket, redundancyPacketSize } from './udptl-packet.js';

export interface UdptlSenderOptions {
  /** How many earlier IFPs ride along as secondaries (0 sends the empty redundancy list `00 00`). */
  redundancy: number;
  /** The far end's T38FaxMaxDatagram; secondaries, oldest first, are left out until the datagram fits. */
  maxDatagramSize: number;
  /** SpanDSP and Asterisk both start at 0. */
  firstSeqNumber?: number;
}

export class UdptlSender {
  private nextSeqNumber: number;
  /** Previously sent IFPs, newest first, at most `redundancy` of them. */
  private readonly history: Uint8Array[] = [];

  constructor(private readonly options: UdptlSenderOptions) {
    if (!Number.isInteger(options.redundancy) || options.redundancy < 0)
      throw new RangeError('redundancy must be >= 0');
    this.nextSeqNumber = (options.firstSeqNumber ?? 0) & 0xffff;
  }

  /**
   * Builds the datagram for one new IFP. A peer asking for repeats (SpanDSP's `count`) should resend the returned
   * octets unchanged: the same seq-number lets the receiver drop the copies.
   */
  send(ifp: Uint8Array): Uint8Array {
    const secondaries = this.history.slice();
    while (secondaries.length > 0 && redundancyPacketSize(ifp, secondaries) > this.options.maxDatagramSize) {
      secondaries.pop();
    }
    if (redundancyPacketSize(ifp, secondaries) > this.options.maxDatagramSize) {
      throw new RangeError(
        `an IFP of ${ifp.length} octets cannot fit a ${this.options.maxDatagramSize}-octet datagram`,
      );
    }
    const datagram = encodeUdptlPacket({
      seqNumber: this.nextSeqNumber,
      primary: ifp,
      errorRecovery: { type: 'redundancy', secondaries },
    });
    this.nextSeqNumber = (this.nextSeqNumber + 1) & 0xffff;
    if (this.options.redundancy > 0) {
      this.history.unshift(ifp);
      if (this.history.length > this.options.redundancy) this.history.pop();
    }
    return datagram;
  }
}
