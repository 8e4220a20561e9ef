// V.21 channel 2 transmitter (V.21 §3; audio-fax reference §3.3): phase-continuous binary FSK at 300 bit/s, mark
// 1650 Hz and space 1850 Hz, switched at bit boundaries, on linear 16-bit samples at 8 kHz.

import { Nco, phaseRateForHz, sineOfPhase } from '../dsp/nco.js';
import { sinePeakForDbm0 } from '../dsp/power-meter.js';
import { THIRDS_PER_BIT, THIRDS_PER_SAMPLE, V21_LEVEL_DBM0, V21_MARK_HZ, V21_SPACE_HZ } from './v21.js';

const MARK_RATE = phaseRateForHz(V21_MARK_HZ);
const SPACE_RATE = phaseRateForHz(V21_SPACE_HZ);

export interface V21ModulatorOptions {
  /** Transmit level in dBm0 (default −14). */
  readonly levelDbm0?: number;
}

/**
 * Bits in, samples out. Queued bits go out back to back as one carrier burst; the carrier stops after the last one,
 * and the next bits queued start a new burst. Bit n of a burst starts at the first sample at or after n·80/3.
 */
export class V21Modulator {
  readonly #amplitude: number;
  readonly #nco = new Nco();
  #queue: Uint8Array[] = [];
  #head = 0;
  #queued = 0;
  /** Thirds of a sample into the current bit; THIRDS_PER_BIT or more means the next bit is due. */
  #bitThirds = THIRDS_PER_BIT;
  #sending = false;

  constructor(options: V21ModulatorOptions = {}) {
    this.#amplitude = sinePeakForDbm0(options.levelDbm0 ?? V21_LEVEL_DBM0);
  }

  /** Queues bits (one element per bit, 0 or 1, in line order) behind those already queued. */
  send(bits: Uint8Array): void {
    if (bits.length === 0) return;
    this.#queue.push(bits);
    this.#queued += bits.length;
  }

  /** Bits queued and not yet started on the line. */
  pendingBits(): number {
    return this.#queued;
  }

  /** True while a burst is on the line or queued. */
  busy(): boolean {
    return this.#sending || this.#queued > 0;
  }

  /** Drops the queue and stops the carrier at once. */
  stop(): void {
    this.#queue = [];
    this.#head = 0;
    this.#queued = 0;
    this.#endBurst();
  }

  /**
   * Fills `out` from its start with the carrier and returns how many samples were written: fewer than its length when
   * the last queued bit ended (the caller sends silence, or queues more), 0 when idle.
   */
  modulate(out: Int16Array): number {
    const amplitude = this.#amplitude;
    const nco = this.#nco;
    // Phase, rate and bit clock live in locals through the loop and go back to the fields at the end.
    let phase = nco.phase;
    let rate = nco.rate;
    let bitThirds = this.#bitThirds;
    let i = 0;
    for (; i < out.length; i++) {
      if (bitThirds >= THIRDS_PER_BIT) {
        if (this.#queued === 0) break;
        bitThirds -= THIRDS_PER_BIT;
        rate = this.#nextBit() ? MARK_RATE : SPACE_RATE;
        this.#sending = true;
      }
      out[i] = Math.round(amplitude * sineOfPhase(phase));
      phase = (phase + rate) >>> 0;
      bitThirds += THIRDS_PER_SAMPLE;
    }
    nco.phase = phase;
    nco.rate = rate;
    this.#bitThirds = bitThirds;
    if (i < out.length) this.#endBurst();
    return i;
  }

  #nextBit(): number {
    const chunk = this.#queue[0];
    const bit = chunk[this.#head++];
    this.#queued--;
    if (this.#head === chunk.length) {
      this.#queue.shift();
      this.#head = 0;
    }
    return bit;
  }

  /** The next burst starts on a bit boundary at phase 0, as a fresh transmitter would. */
  #endBurst(): void {
    this.#sending = false;
    this.#bitThirds = THIRDS_PER_BIT;
    this.#nco.phase = 0;
  }
}
