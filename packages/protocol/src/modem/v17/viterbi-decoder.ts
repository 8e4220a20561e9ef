/**
 * The receiver's half of V.17's trellis code: a Viterbi decoder over the eight-state trellis of trellis-code.ts, then
 * the differential decoder, giving each symbol's data bits (Q1 in bit 0) a fixed number of symbols late. Typed arrays
 * only, nothing allocated per symbol (audio-fax reference §3.6, §7.3).
 */

import { TRELLIS_DIBITS, TRELLIS_NEXT, TRELLIS_STATES, trellisSubset } from './trellis-code.js';
import type { V17Points } from './v17-line.js';

/** Survivor paths kept per state; a symbol is decided this many symbols after it arrived, less one. */
export const TRACEBACK_SYMBOLS = 16;
/** The subsets the redundant bit Y0 and the dibit pick: the point index's low three bits. */
const SUBSETS = 8;
/** A path metric no real path starts with, so decoding begins from the known state. */
const UNREACHED = 1e9;

/** For each next state, its four predecessors (state, dibit) from the encoder's table. */
const PREDECESSOR_STATE = new Uint8Array(TRELLIS_STATES * TRELLIS_DIBITS);
const PREDECESSOR_DIBIT = new Uint8Array(TRELLIS_STATES * TRELLIS_DIBITS);
{
  const filled = new Uint8Array(TRELLIS_STATES);
  for (let state = 0; state < TRELLIS_STATES; state++) {
    for (let dibit = 0; dibit < TRELLIS_DIBITS; dibit++) {
      const next = TRELLIS_NEXT[(state << 2) | dibit]!;
      const slot = next * TRELLIS_DIBITS + filled[next]!++;
      PREDECESSOR_STATE[slot] = state;
      PREDECESSOR_DIBIT[slot] = dibit;
    }
  }
}

export class ViterbiDecoder {
  private readonly pointsRe: Float64Array;
  private readonly pointsIm: Float64Array;
  /** Constellation indices of each subset's points, subset by subset. */
  private readonly members: Int16Array;
  private readonly perSubset: number;
  /** Per symbol: each subset's nearest point to the received one and its squared distance. */
  private readonly subsetPoint = new Int16Array(SUBSETS);
  private readonly subsetDistance = new Float64Array(SUBSETS);
  private metrics = new Float64Array(TRELLIS_STATES);
  private nextMetrics = new Float64Array(TRELLIS_STATES);
  /** Ring of survivors: per symbol and state, the predecessor state and the point index of the branch. */
  private readonly survivorState = new Uint8Array(TRACEBACK_SYMBOLS * TRELLIS_STATES);
  private readonly survivorPoint = new Int16Array(TRACEBACK_SYMBOLS * TRELLIS_STATES);
  private at = 0;
  private filled = 0;
  private previousDibit = 0;

  constructor(points: V17Points) {
    this.pointsRe = points.re;
    this.pointsIm = points.im;
    this.perSubset = points.size / SUBSETS;
    this.members = new Int16Array(points.size);
    const count = new Uint8Array(SUBSETS);
    for (let index = 0; index < points.size; index++) {
      const subset = index & 7;
      this.members[subset * this.perSubset + count[subset]!++] = index;
    }
  }

  /** Starts from the encoder's trellis `state` and differential `dibit`, both known at the end of the training. */
  reset(state: number, dibit: number): void {
    this.metrics.fill(UNREACHED);
    this.metrics[state] = 0;
    this.at = 0;
    this.filled = 0;
    this.previousDibit = dibit;
  }

  /**
   * Takes the equalised symbol (re, im); returns the data bits q (Q1 in bit 0) of the symbol TRACEBACK_SYMBOLS − 1
   * symbols earlier, or −1 while the survivors are still filling.
   */
  decode(re: number, im: number): number {
    this.nearestInSubsets(re, im);
    const metrics = this.metrics;
    const next = this.nextMetrics;
    const row = this.at * TRELLIS_STATES;
    let best = 0;
    let bestMetric = Number.POSITIVE_INFINITY;
    for (let state = 0; state < TRELLIS_STATES; state++) {
      let chosen = 0;
      let chosenMetric = Number.POSITIVE_INFINITY;
      for (let k = state * TRELLIS_DIBITS; k < state * TRELLIS_DIBITS + TRELLIS_DIBITS; k++) {
        const from = PREDECESSOR_STATE[k]!;
        const metric = metrics[from]! + this.subsetDistance[trellisSubset(from, PREDECESSOR_DIBIT[k]!)]!;
        if (metric < chosenMetric) {
          chosenMetric = metric;
          chosen = k;
        }
      }
      const from = PREDECESSOR_STATE[chosen]!;
      next[state] = chosenMetric;
      this.survivorState[row + state] = from;
      this.survivorPoint[row + state] = this.subsetPoint[trellisSubset(from, PREDECESSOR_DIBIT[chosen]!)]!;
      if (chosenMetric < bestMetric) {
        bestMetric = chosenMetric;
        best = state;
      }
    }
    // keep the metrics small: only their differences matter
    for (let state = 0; state < TRELLIS_STATES; state++) next[state]! -= bestMetric;
    this.metrics = next;
    this.nextMetrics = metrics;
    const newest = this.at;
    this.at = this.at + 1 === TRACEBACK_SYMBOLS ? 0 : this.at + 1;
    if (this.filled < TRACEBACK_SYMBOLS - 1) {
      this.filled++;
      return -1;
    }
    // trace the best path back to the oldest symbol still held
    let state = best;
    let slot = newest;
    for (let step = 0; step < TRACEBACK_SYMBOLS - 1; step++) {
      state = this.survivorState[slot * TRELLIS_STATES + state]!;
      slot = slot === 0 ? TRACEBACK_SYMBOLS - 1 : slot - 1;
    }
    const index = this.survivorPoint[slot * TRELLIS_STATES + state]!;
    const dibit = (index >> 1) & 3;
    const q = ((index >> 3) << 2) | ((dibit - this.previousDibit) & 3);
    this.previousDibit = dibit;
    return q;
  }

  private nearestInSubsets(re: number, im: number): void {
    const perSubset = this.perSubset;
    for (let subset = 0; subset < SUBSETS; subset++) {
      let bestIndex = 0;
      let bestDistance = Number.POSITIVE_INFINITY;
      for (let k = subset * perSubset; k < subset * perSubset + perSubset; k++) {
        const index = this.members[k]!;
        const dr = re - this.pointsRe[index]!;
        const di = im - this.pointsIm[index]!;
        const distance = dr * dr + di * di;
        if (distance < bestDistance) {
          bestDistance = distance;
          bestIndex = index;
        }
      }
      this.subsetPoint[subset] = bestIndex;
      this.subsetDistance[subset] = bestDistance;
    }
  }
}
