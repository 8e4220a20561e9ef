// Turns a stream of 8 kHz samples into G.711 RTP packets (RFC 3550 §5.1, RFC 3551 §4.1–4.5: 20 ms, marker per spurt).
import type { AudioSelection } from '../sdp/audio-offer-answer.js';
import { encodeG711 } from './g711.js';
import { RTP_HEADER_LENGTH, writeRtpHeader } from './rtp-packet.js';

const NO_CSRCS: readonly number[] = [];

/** RFC 3551 §4.5: the default packetisation interval of 20 ms, 160 samples at 8000 Hz. */
export const SAMPLES_PER_PACKET = 160;

export interface RtpPacketiserOptions {
  /** The negotiated codec and its payload type. */
  readonly selection: Pick<AudioSelection, 'codec' | 'payloadType'>;
  readonly ssrc: number;
  /** RFC 3550 §5.1 wants both starting values random; the driver picks them, keeping this core deterministic. */
  readonly firstSequenceNumber: number;
  readonly firstTimestamp: number;
  /** Samples per packet (160 unless the SDP's ptime says otherwise). */
  readonly samplesPerPacket?: number;
}

/**
 * Sequence numbers run on by one per packet and timestamps by the samples each packet covers, both wrapping; the
 * marker goes on the first packet of each talk spurt: the stream's first, and the first after `pause`. faxd itself
 * never pauses (a modem needs every sample, audio-fax §1.4), so its streams carry one marker.
 */
export class RtpPacketiser {
  readonly #codec: AudioSelection['codec'];
  readonly #payloadType: number;
  readonly #ssrc: number;
  readonly #pending: Int16Array;
  #pendingCount = 0;
  #sequenceNumber: number;
  #timestamp: number;
  #marker = true;

  constructor(options: RtpPacketiserOptions) {
    const size = options.samplesPerPacket ?? SAMPLES_PER_PACKET;
    if (!Number.isInteger(size) || size <= 0) throw new RangeError(`samples per packet ${size} is not positive`);
    this.#codec = options.selection.codec;
    this.#payloadType = options.selection.payloadType;
    this.#ssrc = options.ssrc;
    this.#sequenceNumber = options.firstSequenceNumber & 0xffff;
    this.#timestamp = options.firstTimestamp >>> 0;
    this.#pending = new Int16Array(size);
  }

  /** Samples taken but not yet sent, waiting for a whole packet. */
  get pendingSamples(): number {
    return this.#pendingCount;
  }

  /** Takes the next samples of the stream and returns a datagram for every packet they complete. */
  push(samples: Int16Array): Uint8Array[] {
    const datagrams: Uint8Array[] = [];
    let read = 0;
    while (read < samples.length) {
      const take = Math.min(samples.length - read, this.#pending.length - this.#pendingCount);
      this.#pending.set(samples.subarray(read, read + take), this.#pendingCount);
      this.#pendingCount += take;
      read += take;
      if (this.#pendingCount === this.#pending.length) datagrams.push(this.#emit());
    }
    return datagrams;
  }

  /**
   * Stops sending for `sampleCount` samples (silence suppression): a partly filled packet goes out padded with
   * silence, the timestamp skips the untransmitted time while the sequence number does not (RFC 3550 §5.1), and the
   * next packet carries the marker.
   */
  pause(sampleCount: number): Uint8Array[] {
    if (!Number.isInteger(sampleCount) || sampleCount < 0) throw new RangeError(`pause of ${sampleCount} samples`);
    const datagrams: Uint8Array[] = [];
    if (this.#pendingCount > 0) {
      const padding = this.#pending.length - this.#pendingCount;
      this.#pending.fill(0, this.#pendingCount);
      this.#pendingCount = this.#pending.length;
      datagrams.push(this.#emit());
      sampleCount = Math.max(0, sampleCount - padding);
    }
    this.#timestamp = (this.#timestamp + sampleCount) >>> 0;
    if (sampleCount > 0) this.#marker = true;
    return datagrams;
  }

  /** The datagram of the pending packet, its samples coded straight into it (it goes to a socket: a new one each). */
  #emit(): Uint8Array {
    const datagram = new Uint8Array(RTP_HEADER_LENGTH + this.#pending.length);
    writeRtpHeader(datagram, {
      payloadType: this.#payloadType,
      marker: this.#marker,
      sequenceNumber: this.#sequenceNumber,
      timestamp: this.#timestamp,
      ssrc: this.#ssrc,
      csrcs: NO_CSRCS,
    });
    encodeG711(this.#codec, this.#pending, datagram.subarray(RTP_HEADER_LENGTH));
    this.#marker = false;
    this.#sequenceNumber = (this.#sequenceNumber + 1) & 0xffff;
    this.#timestamp = (this.#timestamp + this.#pending.length) >>> 0;
    this.#pendingCount = 0;
    return datagram;
  }
}
