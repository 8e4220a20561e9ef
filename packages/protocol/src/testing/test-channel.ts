// Test support: a line model for modem tests (audio-fax reference §6.2): level change, white Gaussian noise at a
// given SNR from a seeded generator, a sample-clock offset by resampling and a carrier frequency offset, so every
// impaired run replays exactly.

import { seededRandom } from './lossy-link.js';

export interface TestChannelOptions {
  /** Level change in dB applied to the signal (e.g. ±10 around the modem's nominal −14 dBm0). Default 0. */
  readonly gainDb?: number;
  /**
   * Signal-to-noise ratio in dB: white Gaussian noise at the mean power of the whole input after the gain, less this.
   * Pass bursts without long silences so the ratio means what it says. Default: no noise.
   */
  readonly snrDb?: number;
  /** The transmitter's sample clock against the receiver's, in parts per million (+100: its carrier and baud read
   * 100 ppm high). Default 0. */
  readonly clockPpm?: number;
  /**
   * Shifts every frequency of the signal by this many Hz, as an analogue carrier system off frequency would (SpanDSP's
   * modem tests run the fast modems 8–10 Hz off). Default 0.
   */
  readonly frequencyOffsetHz?: number;
  /** Seed of the noise. Default 1. */
  readonly seed?: number;
}

/** Half the interpolator's length in input samples on each side of the point read. */
const SINC_HALF_WIDTH = 16;

/** The input as the receiver hears it through the channel: resampled, scaled, noisy, saturated to 16 bits. */
export function impairSignal(samples: Int16Array, options: TestChannelOptions): Int16Array {
  const gain = 10 ** ((options.gainDb ?? 0) / 20);
  let resampled = options.clockPpm ? resample(samples, 1 + options.clockPpm * 1e-6) : Float64Array.from(samples);
  if (options.frequencyOffsetHz) resampled = shiftFrequency(resampled, options.frequencyOffsetHz);
  let meanSquare = 0;
  for (let i = 0; i < resampled.length; i++) {
    resampled[i] *= gain;
    meanSquare += resampled[i] * resampled[i];
  }
  meanSquare /= Math.max(1, resampled.length);
  const noiseRms = options.snrDb === undefined ? 0 : Math.sqrt(meanSquare / 10 ** (options.snrDb / 10));
  const gaussian = gaussianSource(options.seed ?? 1);
  const out = new Int16Array(resampled.length);
  for (let i = 0; i < out.length; i++) {
    const value = Math.round(resampled[i] + (noiseRms ? noiseRms * gaussian() : 0));
    out[i] = Math.max(-32768, Math.min(32767, value));
  }
  return out;
}

/** Unit-variance Gaussian numbers (Box–Muller over the seeded uniform generator). */
export function gaussianSource(seed: number): () => number {
  const uniform = seededRandom(seed);
  let spare = Number.NaN;
  return () => {
    if (!Number.isNaN(spare)) {
      const value = spare;
      spare = Number.NaN;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    const angle = 2 * Math.PI * uniform();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}

/**
 * y[k] = x(k·ratio) by Blackman-windowed sinc interpolation: a transmitter clocked `ratio` times faster than the
 * receiver. Linear interpolation would add images near −25 dB at the modems' carriers, more than the noise under test.
 */
function resample(samples: Int16Array, ratio: number): Float64Array {
  const length = Math.max(0, Math.floor((samples.length - 1) / ratio));
  const out = new Float64Array(length);
  for (let k = 0; k < length; k++) {
    const t = k * ratio;
    const centre = Math.floor(t);
    const fraction = t - centre;
    let sum = 0;
    for (let j = -SINC_HALF_WIDTH + 1; j <= SINC_HALF_WIDTH; j++) {
      const index = centre + j;
      if (index < 0 || index >= samples.length) continue;
      const x = j - fraction;
      sum += samples[index] * sinc(x) * blackman((x + SINC_HALF_WIDTH) / (2 * SINC_HALF_WIDTH));
    }
    out[k] = sum;
  }
  return out;
}

/** Half the Hilbert transformer's length: 65 taps keep its ripple far below the noise under test from 200 Hz up. */
const HILBERT_HALF_WIDTH = 32;

/** The Hilbert transformer's taps, −HILBERT_HALF_WIDTH … +HILBERT_HALF_WIDTH: 2/(πn) for odd n, Blackman-windowed. */
const HILBERT_TAPS = Float64Array.from({ length: 2 * HILBERT_HALF_WIDTH + 1 }, (_, i) => {
  const n = i - HILBERT_HALF_WIDTH;
  if (n % 2 === 0) return 0;
  return (2 / (Math.PI * n)) * blackman(i / (2 * HILBERT_HALF_WIDTH));
});

/** Single-sideband shift: y = Re{(x + j·H{x}) · e^{jωn}} = x·cos ωn − H{x}·sin ωn, so a sine at f comes out at f + Δf. */
function shiftFrequency(samples: Float64Array, hz: number): Float64Array {
  const out = new Float64Array(samples.length);
  const omega = (2 * Math.PI * hz) / 8000;
  for (let n = 0; n < samples.length; n++) {
    let quadrature = 0;
    // Only odd offsets have taps (HILBERT_HALF_WIDTH is even).
    for (let k = 1 - HILBERT_HALF_WIDTH; k < HILBERT_HALF_WIDTH; k += 2) {
      const index = n - k;
      if (index >= 0 && index < samples.length) quadrature += HILBERT_TAPS[k + HILBERT_HALF_WIDTH] * samples[index];
    }
    out[n] = samples[n] * Math.cos(omega * n) - quadrature * Math.sin(omega * n);
  }
  return out;
}

function sinc(x: number): number {
  if (Math.abs(x) < 1e-12) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

/** The Blackman window at u in [0, 1] (0 at both ends, 1 in the middle). */
function blackman(u: number): number {
  if (u <= 0 || u >= 1) return 0;
  return 0.42 - 0.5 * Math.cos(2 * Math.PI * u) + 0.08 * Math.cos(4 * Math.PI * u);
}
