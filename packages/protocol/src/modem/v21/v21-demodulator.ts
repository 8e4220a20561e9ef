// V.21 channel 2 receiver (V.21 §3; audio-fax reference §3.3, §4.1): carrier detect on a DC-blocked power meter, two
// quadrature correlators one bit long (mark 1650 Hz, space 1850 Hz) and a digital PLL that samples each bit where the
// correlators' windows line up with it, so level, noise and a transmitter's clock offset do not move the decisions.

import { cosineOfPhase, phaseRateForHz, sineOfPhase } from '../dsp/nco.js';
import { CarrierDetector, V21_CARRIER } from '../dsp/power-meter.js';
import { THIRDS_PER_BIT, THIRDS_PER_SAMPLE, V21_CENTRE_HZ, V21_MARK_HZ, V21_SPACE_HZ } from './v21.js';

/**
 * Correlator length in samples: one bit (80/3 samples) rounded down, so a window that has just filled with one bit
 * holds nothing of its neighbours.
 */
const WINDOW = 26;

const HISTORY_LENGTH = 4 * WINDOW;

const MARK_RATE = phaseRateForHz(V21_MARK_HZ);
const SPACE_RATE = phaseRateForHz(V21_SPACE_HZ);

/**
 * How far each zero crossing of the decision variable pulls the bit clock toward it: an eighth of the error. Noise
 * moves single crossings by a few samples; an eighth averages that out while still following a ±100 ppm clock (one
 * bit of slip in 10 000) and a preamble's transitions (two per flag) within a few flags.
 */
const TIMING_GAIN = 1 / 8;

/**
 * A crossing retimes the bit clock only once the decision variable has gone on to this share of the two tones'
 * energy on the other side: noise makes the variable flicker about zero within a bit at low SNR, and each flicker
 * would otherwise pull the clock. The time used is still that of the last zero crossing, so the margin adds no delay.
 */
const CONFIRM_MARGIN = 0.25;

/** A carrier change, `sample` counting every sample passed to `receive` and `fillIn` since construction. */
export interface V21CarrierEvent {
  readonly kind: 'carrier-up' | 'carrier-down';
  readonly sample: number;
  /** How many of the call's `bits` came before this change. */
  readonly bitIndex: number;
}

export interface V21DemodulatorOutput {
  /** Bits decided during this call, one element per bit, in line order; none while the carrier is off. */
  readonly bits: Uint8Array;
  readonly events: readonly V21CarrierEvent[];
}

const NO_BITS = new Uint8Array(0);
const NO_EVENTS: readonly V21CarrierEvent[] = [];

export interface V21DemodulatorOptions {
  /** Carrier-on threshold in dBm0 (default −36.5, SpanDSP's fax setting). */
  readonly onDbm0?: number;
  /** Carrier-off threshold in dBm0 (default −41.5). */
  readonly offDbm0?: number;
}

/** Samples in, bits out; sans-I/O, time is the count of samples received. */
export class V21Demodulator {
  readonly #carrier: CarrierDetector;
  /** Products x·cos and x·sin for each tone over the last WINDOW samples (a ring), taken out of the sums as they age. */
  readonly #history = new Float64Array(HISTORY_LENGTH);
  #at = 0;
  #markRe = 0;
  #markIm = 0;
  #spaceRe = 0;
  #spaceIm = 0;
  #markPhase = 0;
  #spacePhase = 0;
  /** Thirds of a sample since the last decision; a decision is due at THIRDS_PER_BIT. */
  #bitThirds = 0;
  /** Sign of (mark energy − space energy) at the previous sample. */
  #lastDecision = 0;
  /** The sign confirmed by a clear margin (see CONFIRM_MARGIN); its changes retime the bit clock. */
  #confirmed = 0;
  /** Thirds of a sample since the last zero crossing of the decision variable. */
  #sinceCrossing = 0;
  /** No crossing seen since carrier up: the first one sets the bit clock outright. */
  #unlocked = true;
  /** Samples until the correlators hold only samples received since carrier up; crossings before then are its onset. */
  #warmup = 0;
  #samples = 0;
  /**
   * Zero samples received in a row, up to the last. After WINDOW of them the correlators hold nothing but zeros, and
   * with the carrier off more zeros change only the clocks and the meter's decay (see `#receiveSilence`).
   */
  #zeroRun = 0;
  readonly #bits: Uint8Array = new Uint8Array(8192);

  constructor(options: V21DemodulatorOptions = {}) {
    this.#carrier = new CarrierDetector({
      onDbm0: options.onDbm0 ?? V21_CARRIER.onDbm0,
      offDbm0: options.offDbm0 ?? V21_CARRIER.offDbm0,
      centreHz: V21_CENTRE_HZ,
    });
  }

  /** True while a carrier is present. */
  carrierPresent(): boolean {
    return this.#carrier.present();
  }

  /** Demodulates `samples` (any length). */
  receive(samples: Int16Array): V21DemodulatorOutput {
    const zeros = trailingZeros(samples);
    if (zeros === samples.length && this.#zeroRun >= WINDOW && !this.#carrier.present()) {
      this.#receiveSilence(samples);
      this.#zeroRun += zeros;
      return { bits: NO_BITS, events: NO_EVENTS };
    }
    const output = this.#demodulate(samples);
    this.#zeroRun = zeros === samples.length ? this.#zeroRun + zeros : zeros;
    return output;
  }

  #demodulate(samples: Int16Array): V21DemodulatorOutput {
    let bitCount = 0;
    let bits = this.#bits;
    let events: V21CarrierEvent[] | undefined;
    const history = this.#history;
    const carrier = this.#carrier;
    // The per-sample state lives in locals through the loop (V8 keeps them in registers) and goes back at the end.
    let markPhase = this.#markPhase;
    let spacePhase = this.#spacePhase;
    let markRe = this.#markRe;
    let markIm = this.#markIm;
    let spaceRe = this.#spaceRe;
    let spaceIm = this.#spaceIm;
    let slot = this.#at * 4;
    let bitThirds = this.#bitThirds;
    let sinceCrossing = this.#sinceCrossing;
    let lastDecision = this.#lastDecision;
    let confirmed = this.#confirmed;
    for (let i = 0; i < samples.length; i++) {
      const x = samples[i];
      const change = carrier.update(x);
      if (change !== 0) {
        events ??= [];
        events.push({
          kind: change > 0 ? 'carrier-up' : 'carrier-down',
          sample: this.#samples + i,
          bitIndex: bitCount,
        });
        if (change > 0) {
          this.#unlocked = true;
          this.#warmup = WINDOW;
        }
      }
      if (this.#warmup > 0) this.#warmup--;
      // Slide the four correlators by one sample.
      const newMarkRe = x * cosineOfPhase(markPhase);
      const newMarkIm = x * sineOfPhase(markPhase);
      const newSpaceRe = x * cosineOfPhase(spacePhase);
      const newSpaceIm = x * sineOfPhase(spacePhase);
      markPhase = (markPhase + MARK_RATE) >>> 0;
      spacePhase = (spacePhase + SPACE_RATE) >>> 0;
      markRe += newMarkRe - history[slot];
      markIm += newMarkIm - history[slot + 1];
      spaceRe += newSpaceRe - history[slot + 2];
      spaceIm += newSpaceIm - history[slot + 3];
      history[slot] = newMarkRe;
      history[slot + 1] = newMarkIm;
      history[slot + 2] = newSpaceRe;
      history[slot + 3] = newSpaceIm;
      slot = slot + 4 === HISTORY_LENGTH ? 0 : slot + 4;

      const mark = markRe * markRe + markIm * markIm;
      const space = spaceRe * spaceRe + spaceIm * spaceIm;
      const difference = mark - space;
      const decision = difference > 0 ? 1 : -1;
      bitThirds += THIRDS_PER_SAMPLE;
      sinceCrossing += THIRDS_PER_SAMPLE;
      if (decision !== lastDecision) {
        lastDecision = decision;
        sinceCrossing = 0;
      }
      if (decision !== confirmed && Math.abs(difference) > CONFIRM_MARGIN * (mark + space)) {
        confirmed = decision;
        bitThirds = this.#retimed(bitThirds, sinceCrossing);
      }
      if (bitThirds >= THIRDS_PER_BIT) {
        bitThirds -= THIRDS_PER_BIT;
        if (carrier.present()) {
          if (bitCount === bits.length) bits = grow(bits);
          bits[bitCount++] = decision > 0 ? 1 : 0;
        }
      }
    }
    this.#markPhase = markPhase;
    this.#spacePhase = spacePhase;
    this.#markRe = markRe;
    this.#markIm = markIm;
    this.#spaceRe = spaceRe;
    this.#spaceIm = spaceIm;
    this.#at = slot / 4;
    this.#bitThirds = bitThirds;
    this.#sinceCrossing = sinceCrossing;
    this.#lastDecision = lastDecision;
    this.#confirmed = confirmed;
    this.#samples += samples.length;
    return { bits: bitCount === 0 ? NO_BITS : bits.slice(0, bitCount), events: events ?? NO_EVENTS };
  }

  /**
   * What `#demodulate` does with zeros once the correlators hold only zeros and the carrier is off, at a fraction of
   * the work: their sums stay as they are, so the decision and the bit clock's retiming stand still, the carrier
   * cannot come up on a falling level, and no bits come out; only the phases, the bit clock and the meter move on, by
   * the same arithmetic. Silence is much of what V.21 hears: the gaps, and our own signals, which reach the receivers
   * as zeros (they must not hear their echo).
   */
  #receiveSilence(samples: Int16Array): void {
    const count = samples.length;
    this.#carrier.updateUntilChange(samples, 0, count);
    this.#warmup = Math.max(0, this.#warmup - count);
    this.#markPhase = (this.#markPhase + ((MARK_RATE * count) % 2 ** 32)) >>> 0;
    this.#spacePhase = (this.#spacePhase + ((SPACE_RATE * count) % 2 ** 32)) >>> 0;
    this.#at = (this.#at + count) % WINDOW;
    let bitThirds = this.#bitThirds;
    for (let i = 0; i < count; i++) {
      bitThirds += THIRDS_PER_SAMPLE;
      if (bitThirds >= THIRDS_PER_BIT) bitThirds -= THIRDS_PER_BIT;
    }
    this.#bitThirds = bitThirds;
    this.#sinceCrossing += count * THIRDS_PER_SAMPLE;
    this.#samples += count;
  }

  /**
   * Stands in for `count` samples that never arrived (a lost packet): time, carrier state and bit clock go on as if
   * the carrier had continued, no bits come out, and the correlators start afresh on the next real sample.
   */
  fillIn(count: number): void {
    this.#samples += count;
    this.#bitThirds = (this.#bitThirds + count * THIRDS_PER_SAMPLE) % THIRDS_PER_BIT;
    this.#markPhase = (this.#markPhase + ((MARK_RATE * count) % 2 ** 32)) >>> 0;
    this.#spacePhase = (this.#spacePhase + ((SPACE_RATE * count) % 2 ** 32)) >>> 0;
    this.#history.fill(0);
    this.#zeroRun = 0;
    this.#markRe = 0;
    this.#markIm = 0;
    this.#spaceRe = 0;
    this.#spaceIm = 0;
  }

  /**
   * The bit clock after a zero crossing of the decision variable `sinceCrossing` thirds ago: at the crossing the
   * windows straddled a bit boundary evenly, half a bit before they line up with the next bit, so the decision should
   * fall half a bit after it. The clock is pulled toward that.
   */
  #retimed(bitThirds: number, sinceCrossing: number): number {
    const half = THIRDS_PER_BIT / 2;
    if (this.#unlocked) {
      if (!this.#carrier.present() || this.#warmup > 0) return bitThirds;
      this.#unlocked = false;
      return half + sinceCrossing;
    }
    // Where in the bit clock's cycle the crossing fell; positive error: the clock runs late against it.
    const at = (((bitThirds - sinceCrossing) % THIRDS_PER_BIT) + THIRDS_PER_BIT) % THIRDS_PER_BIT;
    return bitThirds - (at - half) * TIMING_GAIN;
  }
}

/** How many samples at the end of `samples` are zero (all of them, for silence). */
function trailingZeros(samples: Int16Array): number {
  let at = samples.length;
  while (at > 0 && samples[at - 1] === 0) at--;
  return samples.length - at;
}

function grow(bits: Uint8Array): Uint8Array {
  const bigger = new Uint8Array(bits.length * 2);
  bigger.set(bits);
  return bigger;
}
