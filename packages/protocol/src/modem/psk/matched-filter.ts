/**
 * The receive filter of the PSK/QAM modems: the root-raised-cosine pulse matched to the transmitter's, shifted up
 * to the carrier as a complex band-pass filter on the real line signal, read out at any fraction of a sample so
 * symbol timing recovery can move the sampling instant without resampling (a polyphase interpolator, as SpanDSP's
 * receivers use). Only the outputs are turned down to baseband, so the work per line sample is one store.
 */

import { cosineOfPhase, SAMPLE_RATE, sineOfPhase } from '../dsp/nco.js';
import { polyphasePulse } from './root-raised-cosine.js';

/** Sub-sample resolution of the sampling instant: 1/64 sample is well below what the timing loop can resolve. */
const PHASES = 64;

const tables = new Map<string, Float64Array>();

/**
 * Row p, tap i (oldest sample first) holds the pulse at the tap's age less p/PHASES samples, with unit gain at
 * the carrier, turned by the carrier's phase over that age: real and imaginary parts side by side, so a read walks
 * one array.
 */
function bandPassTable(taps: number, samplesPerSymbol: number, beta: number, carrierHz: number): Float64Array {
  const key = `${taps}/${samplesPerSymbol}/${beta}/${carrierHz}`;
  let table = tables.get(key);
  if (!table) {
    const pulse = polyphasePulse(taps, PHASES, 1 / samplesPerSymbol, beta);
    table = new Float64Array(2 * pulse.length);
    const omega = (2 * Math.PI * carrierHz) / SAMPLE_RATE;
    for (let p = 0; p < PHASES; p++) {
      let sum = 0;
      for (let i = 0; i < taps; i++) sum += pulse[p * taps + i]!;
      for (let i = 0; i < taps; i++) {
        const age = taps - 1 - i - p / PHASES;
        const value = pulse[p * taps + i]! / sum;
        table[2 * (p * taps + i)] = value * Math.cos(omega * age);
        table[2 * (p * taps + i) + 1] = value * Math.sin(omega * age);
      }
    }
    tables.set(key, table);
  }
  return table;
}

export class MatchedFilter {
  /** The baseband output of the last `read`. */
  re = 0;
  im = 0;
  private readonly table: Float64Array;
  /** The last `taps` line samples, written twice so a read is one straight run, oldest first. */
  private readonly history: Float64Array;
  private start = 0;

  constructor(
    private readonly taps: number,
    samplesPerSymbol: number,
    beta: number,
    carrierHz: number,
  ) {
    this.table = bandPassTable(taps, samplesPerSymbol, beta, carrierHz);
    this.history = new Float64Array(2 * taps);
  }

  push(sample: number): void {
    const at = this.start;
    this.history[at] = this.history[at + this.taps] = sample;
    this.start = at + 1 === this.taps ? 0 : at + 1;
  }

  /**
   * Sets re/im to the baseband output `delay` samples (0 ≤ delay < 1) before the newest sample's instant, with
   * `carrierPhase` (DDS units) the local carrier's phase at that instant.
   */
  read(delay: number, carrierPhase: number): void {
    const taps = this.taps;
    const table = this.table;
    const history = this.history;
    const start = this.start;
    let at = 2 * Math.floor(delay * PHASES) * taps;
    // two sums each, even and odd taps, so the additions overlap instead of waiting on one another
    let re0 = 0;
    let im0 = 0;
    let re1 = 0;
    let im1 = 0;
    let i = 0;
    for (; i + 1 < taps; i += 2) {
      const x0 = history[start + i]!;
      const x1 = history[start + i + 1]!;
      re0 += x0 * table[at]!;
      im0 += x0 * table[at + 1]!;
      re1 += x1 * table[at + 2]!;
      im1 += x1 * table[at + 3]!;
      at += 4;
    }
    if (i < taps) {
      const x = history[start + i]!;
      re0 += x * table[at]!;
      im0 += x * table[at + 1]!;
    }
    const re = re0 + re1;
    const im = im0 + im1;
    // down to baseband: multiply by e^(−j·phase)
    const c = cosineOfPhase(carrierPhase);
    const s = sineOfPhase(carrierPhase);
    this.re = re * c + im * s;
    this.im = im * c - re * s;
  }

  reset(): void {
    this.history.fill(0);
  }
}
