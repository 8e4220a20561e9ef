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

  /** `length` T/2 taps (odd); the centre one starts at 1, so the untrained equaliser is a pure delay of length/4 symbols. */
  constructor(private readonly length: number) {
    if (length % 2 === 0) throw new Error(`equaliser length ${length} is not odd`);
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
    const { re: historyRe, im: historyIm, start } = this.history;
    const tapsRe = this.tapsRe;
    const tapsIm = this.tapsIm;
    // the even and the odd taps in sums of their own, so the additions overlap instead of waiting on one another
    let re0 = 0;
    let im0 = 0;
    let re1 = 0;
    let im1 = 0;
    let i = 0;
    for (; i + 1 < this.length; i += 2) {
      const wr0 = tapsRe[i]!;
      const wi0 = tapsIm[i]!;
      const xr0 = historyRe[start + i]!;
      const xi0 = historyIm[start + i]!;
      const wr1 = tapsRe[i + 1]!;
      const wi1 = tapsIm[i + 1]!;
      const xr1 = historyRe[start + i + 1]!;
      const xi1 = historyIm[start + i + 1]!;
      re0 += wr0 * xr0 - wi0 * xi0;
      im0 += wr0 * xi0 + wi0 * xr0;
      re1 += wr1 * xr1 - wi1 * xi1;
      im1 += wr1 * xi1 + wi1 * xr1;
    }
    // the equaliser's length is odd (4k + 1): the last tap goes to the even sums
    const wr = tapsRe[i]!;
    const wi = tapsIm[i]!;
    const xr = historyRe[start + i]!;
    const xi = historyIm[start + i]!;
    this.re = re0 + (wr * xr - wi * xi) + re1;
    this.im = im0 + (wr * xi + wi * xr) + im1;
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
