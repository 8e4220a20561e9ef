// HDLC framing of T.30 frames as a bit stream (ISO/IEC 13239, T.30 §5.3): flags, zero-bit insertion and removal, FCS.
//
// Bits are Uint8Array elements holding 0 or 1, in line order. Frames are MSB-first octets (see t30/README.md): the
// first bit on the line is bit 7 of the first octet, so no bit reversal happens here.

import { concatBytes } from '../bits/concat-bytes.js';
import { appendFcs, checkFcs } from './fcs.js';

const FLAG_BITS = Uint8Array.of(0, 1, 1, 1, 1, 1, 1, 0);
/** Address + control + FCF is the shortest T.30 frame; anything shorter than one octet plus the FCS is noise. */
const MIN_FRAME_OCTETS = 3;

/** A frame found between two flags; `bytes` excludes the FCS. */
export interface HdlcReceivedFrame {
  readonly bytes: Uint8Array;
  readonly fcsOk: boolean;
}

export interface HdlcDeframerOptions {
  /** Frames longer than this (FCS excluded) are dropped up to the next flag. Default 2048. */
  readonly maxFrameLength?: number;
}

/** The stuffed bits of one frame and its FCS, without flags. */
export function stuffFrame(frame: Uint8Array): Uint8Array {
  const octets = appendFcs(frame);
  const bits: number[] = [];
  let ones = 0;
  for (const octet of octets) {
    for (let mask = 0x80; mask !== 0; mask >>= 1) {
      const bit = octet & mask ? 1 : 0;
      bits.push(bit);
      ones = bit ? ones + 1 : 0;
      // Zero insertion: after five consecutive ones a 0 goes on the line so that data never looks like a flag.
      if (ones === 5) {
        bits.push(0);
        ones = 0;
      }
    }
  }
  return Uint8Array.from(bits);
}

/** A whole burst: `preambleFlags` flags, the frames separated by single flags, and one closing flag. */
export function encodeHdlcBurst(frames: readonly Uint8Array[], preambleFlags = 1): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < Math.max(1, preambleFlags); i++) parts.push(FLAG_BITS);
  for (const frame of frames) {
    parts.push(stuffFrame(frame), FLAG_BITS);
  }
  return concatBytes(parts);
}

/**
 * Pull-style transmitter: queued frames go out stuffed and flag-delimited; when nothing is queued it sends flags, as
 * T.30 §5.3.1 asks between frames of a burst and as preamble.
 */
export class HdlcFramer {
  #queue: Uint8Array[] = [];
  #head = 0;
  /** True when the last bits handed out (or none yet) did not end with a complete flag. */
  #needsFlag = true;

  /** Queues a frame (without FCS) for transmission. */
  send(frame: Uint8Array): void {
    if (this.#needsFlag) {
      this.#queue.push(FLAG_BITS);
    }
    this.#queue.push(stuffFrame(frame), FLAG_BITS);
    this.#needsFlag = false;
  }

  /** Bits still queued (frames and the flags around them). */
  pendingBits(): number {
    return this.#queue.reduce((sum, part) => sum + part.length, 0) - this.#head;
  }

  /**
   * Exactly `count` bits: queued frame bits first, then idle flags. Idle flags enter the queue whole, so a frame
   * queued after a partly pulled flag still follows a complete flag.
   */
  pull(count: number): Uint8Array {
    const out = new Uint8Array(count);
    let at = 0;
    while (at < count) {
      if (this.#queue.length === 0) this.#queue.push(FLAG_BITS);
      const part = this.#queue[0];
      const take = Math.min(count - at, part.length - this.#head);
      out.set(part.subarray(this.#head, this.#head + take), at);
      at += take;
      this.#head += take;
      if (this.#head === part.length) {
        this.#queue.shift();
        this.#head = 0;
      }
    }
    return out;
  }
}

/** Receiver: accepts bits in any chunking and returns each frame that ends in a flag, with its FCS verdict. */
export class HdlcDeframer {
  readonly #maxFrameLength: number;
  /** Consecutive ones seen, not yet classified as data, stuffing, flag or abort. */
  #ones = 0;
  /** A 0 that may be data or the first bit of a flag; resolved by the run of ones after it. */
  #pendingZero = false;
  /** A flag has been seen since the last abort, so data bits belong to a frame. */
  #synced = false;
  #octets: number[] = [];
  #octet = 0;
  #bitCount = 0;

  constructor(options: HdlcDeframerOptions = {}) {
    this.#maxFrameLength = options.maxFrameLength ?? 2048;
  }

  receive(bits: Uint8Array): HdlcReceivedFrame[] {
    const frames: HdlcReceivedFrame[] = [];
    for (const bit of bits) {
      if (bit) {
        this.#ones++;
        // Seven or more ones: an abort (or an idle line); the frame in progress is discarded.
        if (this.#ones === 7) this.#unsync();
        continue;
      }
      this.#receiveZero(frames);
    }
    return frames;
  }

  #receiveZero(frames: HdlcReceivedFrame[]): void {
    const ones = this.#ones;
    this.#ones = 0;
    if (ones >= 7) {
      this.#pendingZero = false;
      return;
    }
    if (ones === 6) {
      // A flag: the pending 0 was its first bit. This 0 closes it and is not data; it may also open the next
      // flag (flags can share a 0), which needs no state because a flag is recognised by its run of six ones.
      this.#endFrame(frames);
      this.#pendingZero = false;
      return;
    }
    if (this.#pendingZero) this.#appendBit(0);
    for (let i = 0; i < ones; i++) this.#appendBit(1);
    // After five ones this 0 was inserted by the transmitter and is removed.
    this.#pendingZero = ones !== 5;
  }

  #appendBit(bit: number): void {
    if (!this.#synced) return;
    this.#octet = (this.#octet << 1) | bit;
    this.#bitCount++;
    if ((this.#bitCount & 7) === 0) {
      this.#octets.push(this.#octet);
      this.#octet = 0;
      if (this.#octets.length > this.#maxFrameLength + 2) this.#unsync();
    }
  }

  #endFrame(frames: HdlcReceivedFrame[]): void {
    if (this.#synced && (this.#bitCount & 7) === 0 && this.#octets.length >= MIN_FRAME_OCTETS) {
      const withFcs = Uint8Array.from(this.#octets);
      frames.push({ bytes: withFcs.slice(0, -2), fcsOk: checkFcs(withFcs) });
    }
    this.#resetFrame();
    this.#synced = true;
  }

  #unsync(): void {
    this.#resetFrame();
    this.#synced = false;
    this.#pendingZero = false;
  }

  #resetFrame(): void {
    this.#octets = [];
    this.#octet = 0;
    this.#bitCount = 0;
  }
}
