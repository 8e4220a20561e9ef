/**
 * The receive filter of the PSK/QAM modems: the root-raised-cosine pulse matched to the transmitter's, applied to
 * the complex baseband signal, read out at any fraction of a sample so symbol timing recovery can move the
 * sampling instant without resampling (a polyphase interpolator, as SpanDSP's receivers use).
 */

import { ComplexDelayLine } from './complex-delay-line.js';
import { polyphasePulse } from './root-raised-cosine.js';

/** Sub-sample resolution of the sampling instant: 1/64 sample is well below what the timing loop can resolve. */
const PHASES = 64;

const tables = new Map<string, Float64Array>();

function filterTable(taps: number, samplesPerSymbol: number, beta: number): Float64Array {
  const key = `${taps}/${samplesPerSymbol}/${beta}`;
  let table = tables.get(key);
  if (!table) {
    table = polyphasePulse(taps, PHASES, 1 / samplesPerSymbol, beta);
    // unit gain at DC for every phase, so moving the instant does not move the level
    for (let p = 0; p < PHASES; p++) {
      let sum = 0;
      for (let i = 0; i < taps; i++) sum += table[p * taps + i]!;
      for (let i = 0; i < taps; i++) table[p * taps + i]! /= sum;
    }
    tables.set(key, table);
  }
  return table;
}

export class MatchedFilter {
  /** The output of the last `read`. */
  re = 0;
  im = 0;
  private readonly table: Float64Array;
  private readonly history: ComplexDelayLine;

  constructor(
    private readonly taps: number,
    samplesPerSymbol: number,
    beta: number,
  ) {
    this.table = filterTable(taps, samplesPerSymbol, beta);
    this.history = new ComplexDelayLine(taps);
  }

  push(re: number, im: number): void {
    this.history.push(re, im);
  }

  /** Sets re/im to the filter's output `delay` samples (0 ≤ delay < 1) before the newest sample's instant. */
  read(delay: number): void {
    const taps = this.taps;
    const row = Math.floor(delay * PHASES) * taps;
    const { re: historyRe, im: historyIm, start } = this.history;
    let re = 0;
    let im = 0;
    for (let i = 0; i < taps; i++) {
      const c = this.table[row + i]!;
      re += c * historyRe[start + i]!;
      im += c * historyIm[start + i]!;
    }
    this.re = re;
    this.im = im;
  }

  reset(): void {
    this.history.clear();
  }
}
