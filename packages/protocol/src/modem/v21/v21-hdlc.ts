// HDLC over V.21 channel 2, as T.30 sends its control messages (T.30 §5.3.1, §5.4; audio-fax reference §1.3, §3.3):
// a burst is a preamble of flags, the frames with their FCS, and closing flags; the receiver declares framing once it
// has seen a run of flags and then delivers every frame that a flag closes, with its FCS verdict.

import { concatBytes } from '../../bits/concat-bytes.js';
import { encodeHdlcBurst, HdlcDeframer, type HdlcReceivedFrame } from '../../hdlc/bit-stuffing.js';
import { V21_CLOSING_FLAGS, V21_PREAMBLE_FLAGS } from './v21.js';
import { V21Demodulator, type V21DemodulatorOptions } from './v21-demodulator.js';

const FLAG = 0x7e;

/**
 * Flags in a row before frames count (SpanDSP's audio fax receiver waits for 8): a noise burst that carrier detect
 * lets through does not deliver garbage frames, and the preamble of 32 or more flags is far longer.
 */
export const V21_FRAMING_FLAGS = 8;

export interface V21BurstOptions {
  /** Flags before the first frame (default 38, 1.013 s). */
  readonly preambleFlags?: number;
  /** Flags after the last frame (default 2). */
  readonly closingFlags?: number;
}

/** The line bits of one V.21 burst: preamble flags, each frame (FCS added, stuffed) closed by a flag, closing flags. */
export function encodeV21Burst(frames: readonly Uint8Array[], options: V21BurstOptions = {}): Uint8Array {
  const burst = encodeHdlcBurst(frames, options.preambleFlags ?? V21_PREAMBLE_FLAGS);
  // encodeHdlcBurst closes the last frame with one flag; the rest of the closing flags follow it.
  const extra = Math.max(0, (options.closingFlags ?? V21_CLOSING_FLAGS) - 1);
  const flags = new Uint8Array(extra * 8);
  for (let i = 0; i < flags.length; i++) flags[i] = (FLAG >> (7 - (i & 7))) & 1;
  return concatBytes([burst, flags]);
}

export interface V21HdlcEvent {
  readonly kind: 'carrier-up' | 'carrier-down' | 'framing-ok';
  /** Samples received when it happened (framing-ok: by the end of the call that saw it). */
  readonly sample: number;
}

export interface V21HdlcOutput {
  readonly frames: readonly HdlcReceivedFrame[];
  readonly events: readonly V21HdlcEvent[];
}

/** A call that brought no bits and no carrier change: nothing to frame, and nothing allocated for it. */
const NOTHING: V21HdlcOutput = { frames: [], events: [] };

/** Samples in, T.30 frames out (FCS checked); sans-I/O like the demodulator under it. */
export class V21HdlcReceiver {
  readonly #demodulator: V21Demodulator;
  #deframer = new HdlcDeframer();
  #samples = 0;
  /** The last 8 bits received, newest in bit 0. */
  #recent = 0;
  /** Bits since the last flag ended, or more than 8 when the run of flags is broken. */
  #sinceFlag = 9;
  #flagsInRow = 0;
  #framing = false;

  constructor(options: V21DemodulatorOptions = {}) {
    this.#demodulator = new V21Demodulator(options);
  }

  carrierPresent(): boolean {
    return this.#demodulator.carrierPresent();
  }

  /** True once the current carrier has carried a run of V21_FRAMING_FLAGS flags. */
  framing(): boolean {
    return this.#framing;
  }

  receive(samples: Int16Array): V21HdlcOutput {
    const { bits, events: carrierEvents } = this.#demodulator.receive(samples);
    this.#samples += samples.length;
    if (bits.length === 0 && carrierEvents.length === 0) return NOTHING;
    const frames: HdlcReceivedFrame[] = [];
    const events: V21HdlcEvent[] = [];
    let from = 0;
    for (const event of carrierEvents) {
      this.#take(bits.subarray(from, event.bitIndex), frames, events);
      from = event.bitIndex;
      events.push({ kind: event.kind, sample: event.sample });
      // Each carrier is a new burst: nothing of a frame cut off by the last carrier's end carries over.
      this.#restart();
    }
    this.#take(bits.subarray(from), frames, events);
    return { frames, events };
  }

  /** A lost packet: see V21Demodulator.fillIn. A frame spanning the gap fails its FCS. */
  fillIn(count: number): void {
    this.#demodulator.fillIn(count);
    this.#samples += count;
  }

  #take(bits: Uint8Array, frames: HdlcReceivedFrame[], events: V21HdlcEvent[]): void {
    if (bits.length === 0) return;
    if (!this.#framing) {
      const at = this.#countFlags(bits);
      if (at < 0) return;
      this.#framing = true;
      events.push({ kind: 'framing-ok', sample: this.#samples });
      // The deframer starts on the flag that completed the run, so the frame after it is whole.
      this.#deframer.receive(Uint8Array.of(0, 1, 1, 1, 1, 1, 1, 0));
      bits = bits.subarray(at);
    }
    for (const frame of this.#deframer.receive(bits)) frames.push(frame);
  }

  /** Counts flags in a row; returns the index just after the flag that completes the run, or −1. */
  #countFlags(bits: Uint8Array): number {
    for (let i = 0; i < bits.length; i++) {
      this.#recent = ((this.#recent << 1) | bits[i]) & 0xff;
      this.#sinceFlag++;
      if (this.#recent !== FLAG) continue;
      this.#flagsInRow = this.#sinceFlag === 8 ? this.#flagsInRow + 1 : 1;
      this.#sinceFlag = 0;
      if (this.#flagsInRow >= V21_FRAMING_FLAGS) return i + 1;
    }
    return -1;
  }

  #restart(): void {
    this.#deframer = new HdlcDeframer();
    this.#recent = 0;
    this.#sinceFlag = 9;
    this.#flagsInRow = 0;
    this.#framing = false;
  }
}
