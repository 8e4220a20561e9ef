// Received RTP audio put back in sequence for the fax modems (RFC 3550 §5.1 sequence numbers; audio-fax reference §1.4
// "receive without a playout clock"): samples go on as soon as they are in order, a packet still missing once later
// ones are in becomes a gap for the modems' fill-in, and nothing is ever dropped or inserted to follow a clock.

/** Later packets held before a missing one is given up: 3 (60 ms at 20 ms), as a reorder window. */
const REORDER_PACKETS = 3;

/** Takes a missing packet may also wait before it is given up, for a stream whose later packets are slow to come. */
const REORDER_TAKES = 3;

/** Sequence numbers further than this behind or ahead are another stream's or a restart's, not this one's. */
const MAX_DISTANCE = 3000;

/** What `take` hands on: samples in order, and 1 in `missing` (absent when none is) for each standing for a lost one. */
export interface SequencedAudio {
  readonly samples: Int16Array;
  readonly missing?: Uint8Array;
}

const NOTHING: SequencedAudio = { samples: new Int16Array(0) };

export class RtpSequencer {
  readonly #held = new Map<number, Int16Array>();
  /** Extended sequence number of the next packet to hand on; undefined before the first. */
  #expected: number | undefined;
  /** The highest extended sequence number held. */
  #highest = 0;
  /** Takes the gap at #expected has waited. */
  #waited = 0;
  /** Samples per packet, from the last one seen, for the size of a gap. */
  #packetSamples = 160;
  #ssrc: number | undefined;
  /** Packets that came after their place had been handed on (late or repeated). */
  late = 0;

  /** A decoded packet, in any order; `ssrc` names its stream (a new one starts the order afresh). */
  push(sequenceNumber: number, samples: Int16Array, ssrc?: number): void {
    if (this.#expected === undefined || ssrc !== this.#ssrc) this.#restart(sequenceNumber);
    this.#ssrc = ssrc;
    let extended = this.#extend(sequenceNumber);
    // Far from where the stream was: a sender that started over (a re-INVITE, a restart) with other numbers.
    if (Math.abs(extended - (this.#expected as number)) > MAX_DISTANCE) extended = this.#restart(sequenceNumber);
    if (extended < (this.#expected as number) || this.#held.has(extended)) {
      this.late++;
      return;
    }
    this.#held.set(extended, samples);
    this.#highest = Math.max(this.#highest, extended);
    this.#packetSamples = samples.length;
  }

  /** Everything that can go on now, in order; empty while waiting for a packet that may still come. */
  take(): SequencedAudio {
    // The usual tick: the one packet held is the one expected, handed on as it came.
    const expected = this.#expected;
    if (expected !== undefined && this.#held.size === 1) {
      const next = this.#held.get(expected);
      if (next) {
        this.#held.delete(expected);
        this.#expected = expected + 1;
        this.#waited = 0;
        return { samples: next };
      }
    }
    const parts: Int16Array[] = [];
    const gaps: boolean[] = [];
    while (this.#expected !== undefined && this.#held.size > 0) {
      const next = this.#held.get(this.#expected);
      if (next) {
        this.#held.delete(this.#expected);
        parts.push(next);
        gaps.push(false);
      } else {
        const gap = this.#highest - this.#expected >= REORDER_PACKETS || this.#waited >= REORDER_TAKES;
        if (!gap) {
          this.#waited++;
          break;
        }
        parts.push(new Int16Array(this.#packetSamples));
        gaps.push(true);
      }
      this.#expected++;
      this.#waited = 0;
    }
    if (parts.length === 0) return NOTHING;
    if (parts.length === 1 && !gaps[0]) return { samples: parts[0] as Int16Array };
    const length = parts.reduce((sum, part) => sum + part.length, 0);
    const samples = new Int16Array(length);
    const missing = new Uint8Array(length);
    let at = 0;
    for (const [i, part] of parts.entries()) {
      samples.set(part, at);
      if (gaps[i]) missing.fill(1, at, at + part.length);
      at += part.length;
    }
    return { samples, missing };
  }

  /** Drops what is held and expects `sequenceNumber` next (as its extended number, returned). */
  #restart(sequenceNumber: number): number {
    // Anything still held belonged to the old stream; waiting for its gaps would only delay the new one.
    this.#held.clear();
    this.#expected = sequenceNumber;
    this.#highest = sequenceNumber;
    this.#waited = 0;
    return sequenceNumber;
  }

  /** The extended sequence number nearest the one expected (16-bit numbers wrap). */
  #extend(sequenceNumber: number): number {
    const reference = this.#expected ?? sequenceNumber;
    let extended = (reference & ~0xffff) | sequenceNumber;
    if (extended - reference > 0x8000) extended -= 0x10000;
    else if (reference - extended > 0x8000) extended += 0x10000;
    return extended;
  }
}
