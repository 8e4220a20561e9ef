// Signal power and carrier detect for faxd's modem receivers (audio-fax reference §4.1): a DC-blocked power meter
// and an on/off detector with hysteresis, levels in dBm0 as T.30 gateways and SpanDSP state them.

import { SAMPLE_RATE } from './nco.js';

/**
 * dBm0 of a full-scale sine (peak ±32767). SpanDSP's convention, which faxd shares so that levels read the same on
 * both sides of an interop test: G.711's digital milliwatt peaks near 10 dB below full scale.
 */
export const FULL_SCALE_SINE_DBM0 = 3.14;

const FULL_SCALE_SINE_MEAN_SQUARE = (32767 * 32767) / 2;

/** The mean square of a signal at `dbm0`. */
export function meanSquareForDbm0(dbm0: number): number {
  return FULL_SCALE_SINE_MEAN_SQUARE * 10 ** ((dbm0 - FULL_SCALE_SINE_DBM0) / 10);
}

/** The level in dBm0 of a signal whose mean square is `meanSquare` (−Infinity for silence). */
export function dbm0ForMeanSquare(meanSquare: number): number {
  return FULL_SCALE_SINE_DBM0 + 10 * Math.log10(meanSquare / FULL_SCALE_SINE_MEAN_SQUARE);
}

/** The peak amplitude of a sine at `dbm0`: −14 dBm0 (the fax modems' level) is 4554. */
export function sinePeakForDbm0(dbm0: number): number {
  return 32767 * 10 ** ((dbm0 - FULL_SCALE_SINE_DBM0) / 20);
}

/** The power gain of the meter's first difference (x[n] − x[n−1]) / 2 at `hz`: sin²(π·hz / 8000), 0.42 at 1800 Hz. */
export function differenceGain(hz: number): number {
  const s = Math.sin((Math.PI * hz) / SAMPLE_RATE);
  return s * s;
}

/** log2 of the meter's averaging length: α = 1/16, a 2 ms time constant, so a carrier's end is seen at once. */
const METER_SHIFT = 4;

/**
 * Mean square of the first difference (x[n] − x[n−1]) / 2, one-pole averaged. The difference removes DC at once
 * (a line's offset would otherwise read as carrier); its gain varies with frequency, which the thresholds of a
 * CarrierDetector fold in for the band they watch.
 */
export class PowerMeter {
  #previous = 0;
  #power = 0;

  /** Takes one sample and returns the updated mean square. */
  update(sample: number): number {
    const difference = (sample - this.#previous) * 0.5;
    this.#previous = sample;
    this.#power += (difference * difference - this.#power) / (1 << METER_SHIFT);
    return this.#power;
  }

  /**
   * Takes samples[from … to − 1] as `update` does until the mean square goes above `level` (`rising`) or below it
   * (not `rising`): returns the index of the sample that took it there, or −1 when none did. The meter's state stays
   * in locals through the run, which a receiver's per-sample loop could not keep there.
   */
  updateUntil(samples: Int16Array, from: number, to: number, level: number, rising: boolean): number {
    let previous = this.#previous;
    let power = this.#power;
    let crossed = -1;
    for (let n = from; n < to; n++) {
      const sample = samples[n]!;
      const difference = (sample - previous) * 0.5;
      previous = sample;
      power += (difference * difference - power) / (1 << METER_SHIFT);
      if (rising ? power > level : power < level) {
        crossed = n;
        break;
      }
    }
    this.#previous = previous;
    this.#power = power;
    return crossed;
  }

  /** The current mean square of the differenced signal. */
  power(): number {
    return this.#power;
  }

  reset(): void {
    this.#previous = 0;
    this.#power = 0;
  }
}

export interface CarrierDetectorOptions {
  /** Carrier is declared present when the level rises above this (dBm0). */
  readonly onDbm0: number;
  /** … and absent when it falls below this (dBm0); below onDbm0, for hysteresis. */
  readonly offDbm0: number;
  /** The frequency the signal's power sits at, to undo the meter's first-difference gain there. */
  readonly centreHz: number;
}

/** Carrier detect thresholds of the fast fax modems (V.17, V.27ter Recommendations; SpanDSP uses them for V.29 too). */
export const FAST_MODEM_CARRIER = { onDbm0: -43, offDbm0: -48 } as const;

/** Carrier detect thresholds of V.21 in fax use: SpanDSP's fax cutoff −39 dBm0 ± 2.5 dB. */
export const V21_CARRIER = { onDbm0: -36.5, offDbm0: -41.5 } as const;

/** Carrier on/off with hysteresis over a PowerMeter; `update` reports each change so a receiver can act on it. */
export class CarrierDetector {
  readonly #meter = new PowerMeter();
  readonly #onLevel: number;
  readonly #offLevel: number;
  readonly #gain: number;
  #present = false;

  constructor(options: CarrierDetectorOptions) {
    if (options.offDbm0 > options.onDbm0) throw new Error('carrier off threshold must not exceed the on threshold');
    this.#gain = differenceGain(options.centreHz);
    this.#onLevel = meanSquareForDbm0(options.onDbm0) * this.#gain;
    this.#offLevel = meanSquareForDbm0(options.offDbm0) * this.#gain;
  }

  /** Takes one sample; returns +1 when the carrier has just come on, −1 when it has just gone, else 0. */
  update(sample: number): number {
    const power = this.#meter.update(sample);
    if (this.#present) {
      if (power < this.#offLevel) {
        this.#present = false;
        return -1;
      }
    } else if (power > this.#onLevel) {
      this.#present = true;
      return 1;
    }
    return 0;
  }

  /**
   * Takes samples[from … to − 1] as `update` does, stopping at the first change: returns the index of the sample at
   * which the carrier came or went (`present` tells which), or −1 when it did neither.
   */
  updateUntilChange(samples: Int16Array, from: number, to: number): number {
    const present = this.#present;
    const at = this.#meter.updateUntil(samples, from, to, present ? this.#offLevel : this.#onLevel, !present);
    if (at >= 0) this.#present = !present;
    return at;
  }

  present(): boolean {
    return this.#present;
  }

  /** The meter's reading as the dBm0 of a signal at the detector's centre frequency. */
  levelDbm0(): number {
    return dbm0ForMeanSquare(this.#meter.power() / this.#gain);
  }

  reset(): void {
    this.#meter.reset();
    this.#present = false;
  }
}
