/**
 * The receiver's half of V.17's trellis code: a Viterbi decoder over the eight-state trellis of trellis-code.ts, then
 * the differential decoder, giving each symbol's data bits (Q1 in bit 0) a fixed number of symbols late. Typed arrays
 * only, nothing allocated per symbol (audio-fax reference §3.6, §7.3).
 */

import { TRELLIS_STATES } from './trellis-code.js';
import type { V17Points } from './v17-line.js';

/** Survivor paths kept per state; a symbol is decided this many symbols after it arrived, less one. */
export const TRACEBACK_SYMBOLS = 16;
/** The subsets the redundant bit Y0 and the dibit pick: the point index's low three bits. */
const SUBSETS = 8;
/** A path metric no real path starts with, so decoding begins from the known state. */
const UNREACHED = 1e9;

/** Cells per unit of the constellation's scale in the table of each subset's nearest point (§7.3: a lookup, as SpanDSP). */
const CELLS_PER_UNIT = 4;

/**
 * The plane around a constellation cut into small squares, each holding, per subset, the subset's point nearest the
 * square's centre: built once per constellation and shared by every decoder.
 */
interface SubsetTable {
  readonly nearest: Int16Array;
  /** Half the table's width in units: it covers −reach … reach on both axes. */
  readonly reach: number;
  readonly cells: number;
}

const subsetTables = new WeakMap<V17Points, SubsetTable>();

function subsetTable(points: V17Points): SubsetTable {
  let table = subsetTables.get(points);
  if (table) return table;
  let extent = 0;
  for (let k = 0; k < points.size; k++) extent = Math.max(extent, Math.abs(points.re[k]!), Math.abs(points.im[k]!));
  // a unit beyond the outermost points, anything falls to the edge squares, whose choice is still the nearest
  const reach = Math.ceil(extent) + 1;
  const cells = 2 * reach * CELLS_PER_UNIT;
  const nearest = new Int16Array(cells * cells * SUBSETS);
  for (let row = 0; row < cells; row++) {
    const im = (row + 0.5) / CELLS_PER_UNIT - reach;
    for (let column = 0; column < cells; column++) {
      const re = (column + 0.5) / CELLS_PER_UNIT - reach;
      const best = new Float64Array(SUBSETS).fill(Number.POSITIVE_INFINITY);
      for (let k = 0; k < points.size; k++) {
        const distance = (re - points.re[k]!) ** 2 + (im - points.im[k]!) ** 2;
        const at = (row * cells + column) * SUBSETS + (k & 7);
        if (distance < best[k & 7]!) {
          best[k & 7] = distance;
          nearest[at] = k;
        }
      }
    }
  }
  table = { nearest, reach, cells };
  subsetTables.set(points, table);
  return table;
}

export class ViterbiDecoder {
  private readonly pointsRe: Float64Array;
  private readonly pointsIm: Float64Array;
  private readonly table: SubsetTable;
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
    this.table = subsetTable(points);
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
    const distance = this.subsetDistance;
    const survivorState = this.survivorState;
    const survivorPoint = this.survivorPoint;
    const row = this.at * TRELLIS_STATES;
    // Add-compare-select, written out over locals (a third faster than a loop over tables): each next state's four
    // branches as (predecessor state, subset) from trellis-code.ts's TRELLIS_NEXT and trellisSubset. States 0–3 are
    // entered from the even states, 4–7 from the odd ones (s2' = s0); the decoding tests fail on any wrong branch.
    const m0 = metrics[0]!;
    const m1 = metrics[1]!;
    const m2 = metrics[2]!;
    const m3 = metrics[3]!;
    const m4 = metrics[4]!;
    const m5 = metrics[5]!;
    const m6 = metrics[6]!;
    const m7 = metrics[7]!;
    const d0 = distance[0]!;
    const d1 = distance[1]!;
    const d2 = distance[2]!;
    const d3 = distance[3]!;
    const d4 = distance[4]!;
    const d5 = distance[5]!;
    const d6 = distance[6]!;
    const d7 = distance[7]!;
    next[0] = this.select(row + 0, m0 + d0, m2 + d6, m4 + d2, m6 + d4, 0, 0, 2, 6, 4, 2, 6, 4);
    next[1] = this.select(row + 1, m0 + d6, m2 + d0, m4 + d4, m6 + d2, 0, 6, 2, 0, 4, 4, 6, 2);
    next[2] = this.select(row + 2, m0 + d2, m2 + d4, m4 + d0, m6 + d6, 0, 2, 2, 4, 4, 0, 6, 6);
    next[3] = this.select(row + 3, m0 + d4, m2 + d2, m4 + d6, m6 + d0, 0, 4, 2, 2, 4, 6, 6, 0);
    next[4] = this.select(row + 4, m1 + d1, m3 + d3, m5 + d7, m7 + d5, 1, 1, 3, 3, 5, 7, 7, 5);
    next[5] = this.select(row + 5, m1 + d5, m3 + d7, m5 + d3, m7 + d1, 1, 5, 3, 7, 5, 3, 7, 1);
    next[6] = this.select(row + 6, m1 + d7, m3 + d5, m5 + d1, m7 + d3, 1, 7, 3, 5, 5, 1, 7, 3);
    next[7] = this.select(row + 7, m1 + d3, m3 + d1, m5 + d5, m7 + d7, 1, 3, 3, 1, 5, 5, 7, 7);
    let best = 0;
    let bestMetric = next[0]!;
    for (let state = 1; state < TRELLIS_STATES; state++) {
      if (next[state]! < bestMetric) {
        bestMetric = next[state]!;
        best = state;
      }
    }
    // keep the metrics small: only their differences matter
    for (let state = 0; state < TRELLIS_STATES; state++) next[state] = next[state]! - bestMetric;
    this.metrics = next;
    this.nextMetrics = metrics;
    const newest = this.at;
    this.at = newest + 1 === TRACEBACK_SYMBOLS ? 0 : newest + 1;
    if (this.filled < TRACEBACK_SYMBOLS - 1) {
      this.filled++;
      return -1;
    }
    // trace the best path back to the oldest symbol still held
    let state = best;
    let slot = newest;
    for (let step = 1; step < TRACEBACK_SYMBOLS; step++) {
      state = survivorState[slot * TRELLIS_STATES + state]!;
      slot = slot === 0 ? TRACEBACK_SYMBOLS - 1 : slot - 1;
    }
    const index = survivorPoint[slot * TRELLIS_STATES + state]!;
    const dibit = (index >> 1) & 3;
    const q = ((index >> 3) << 2) | ((dibit - this.previousDibit) & 3);
    this.previousDibit = dibit;
    return q;
  }

  /**
   * The best of a next state's four branches (path metrics a, b, c, e; predecessor states and subsets pa/da …): its
   * survivor goes to `slot`, its metric is returned.
   */
  private select(
    slot: number,
    a: number,
    b: number,
    c: number,
    e: number,
    pa: number,
    da: number,
    pb: number,
    db: number,
    pc: number,
    dc: number,
    pe: number,
    de: number,
  ): number {
    let metric = a;
    let from = pa;
    let subset = da;
    if (b < metric) {
      metric = b;
      from = pb;
      subset = db;
    }
    if (c < metric) {
      metric = c;
      from = pc;
      subset = dc;
    }
    if (e < metric) {
      metric = e;
      from = pe;
      subset = de;
    }
    this.survivorState[slot] = from;
    this.survivorPoint[slot] = this.subsetPoint[subset]!;
    return metric;
  }

  /** Each subset's nearest point to (re, im), from the table, and its squared distance. */
  private nearestInSubsets(re: number, im: number): void {
    const table = this.table;
    const nearest = table.nearest;
    const cells = table.cells;
    const pointsRe = this.pointsRe;
    const pointsIm = this.pointsIm;
    const point = this.subsetPoint;
    const distance = this.subsetDistance;
    let column = Math.floor((re + table.reach) * CELLS_PER_UNIT);
    let row = Math.floor((im + table.reach) * CELLS_PER_UNIT);
    column = column < 0 ? 0 : column < cells ? column : cells - 1;
    row = row < 0 ? 0 : row < cells ? row : cells - 1;
    const at = (row * cells + column) * SUBSETS;
    for (let subset = 0; subset < SUBSETS; subset++) {
      const index = nearest[at + subset]!;
      const dr = re - pointsRe[index]!;
      const di = im - pointsIm[index]!;
      point[subset] = index;
      distance[subset] = dr * dr + di * di;
    }
  }
}
