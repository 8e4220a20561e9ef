/**
 * A fractionally spaced (T/2) complex LMS equaliser, as the PSK/QAM modem receivers use: trained on the known
 * training symbols, then decision-directed.
 */

import { ComplexDelayLine } from './complex-delay-line.js';

export class Equaliser {
  /** The output of the last `evaluate`. */
  re = 0;
  im = 0;
  private readonly tapsRe: Float64Array;
  private readonly tapsIm: Float64Array;
  private readonly history: ComplexDelayLine;
  /** Taps kept by `save` for a later burst (V.17's short training starts from the last long one's). */
  private readonly savedRe: Float64Array;
  private readonly savedIm: Float64Array;

  /** `length` T/2 taps; the centre one starts at 1, so the untrained equaliser is a pure delay of length/4 symbols. */
  constructor(private readonly length: number) {
    this.tapsRe = new Float64Array(length);
    this.tapsIm = new Float64Array(length);
    this.history = new ComplexDelayLine(length);
    this.savedRe = new Float64Array(length);
    this.savedIm = new Float64Array(length);
    this.reset();
  }

  push(re: number, im: number): void {
    this.history.push(re, im);
  }

  evaluate(): void {
    let re = 0;
    let im = 0;
    const { re: historyRe, im: historyIm, start } = this.history;
    for (let i = 0; i < this.length; i++) {
      const wr = this.tapsRe[i]!;
      const wi = this.tapsIm[i]!;
      const xr = historyRe[start + i]!;
      const xi = historyIm[start + i]!;
      re += wr * xr - wi * xi;
      im += wr * xi + wi * xr;
    }
    this.re = re;
    this.im = im;
  }

  /** One LMS step towards an output error (wanted − got) of `errorRe + j·errorIm`, with step size `step`. */
  adapt(errorRe: number, errorIm: number, step: number): void {
    const er = errorRe * step;
    const ei = errorIm * step;
    const { re: historyRe, im: historyIm, start } = this.history;
    for (let i = 0; i < this.length; i++) {
      const xr = historyRe[start + i]!;
      const xi = historyIm[start + i]!;
      // w += μ·e·conj(x)
      this.tapsRe[i]! += er * xr + ei * xi;
      this.tapsIm[i]! += ei * xr - er * xi;
    }
  }

  reset(): void {
    this.tapsRe.fill(0);
    this.tapsIm.fill(0);
    this.tapsRe[this.length >> 1] = 1;
    this.history.clear();
  }

  save(): void {
    this.savedRe.set(this.tapsRe);
    this.savedIm.set(this.tapsIm);
  }

  /** Back to the taps of the last `save`, with an empty history. */
  restore(): void {
    this.tapsRe.set(this.savedRe);
    this.tapsIm.set(this.savedIm);
    this.history.clear();
  }
}
