/**
 * The receiver's half of V.17's trellis code: a Viterbi decoder over the eight-state trellis of trellis-code.ts, then
 * the differential decoder, giving each symbol's data bits (Q1 in bit 0) a fixed number of symbols late. Typed arrays
 * only, nothing allocated per symbol (audio-fax reference §3.6, §7.3).
 */

import { decisionTable } from '../psk/slicer.js';
import { TRELLIS_DIBITS, TRELLIS_NEXT, TRELLIS_STATES, trellisSubset } from './trellis-code.js';
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

/**
 * The trellis backwards: BRANCH_SUBSET[state × 4 + k] is the subset sent on the branch into `state` from its k-th
 * predecessor, 2k + (state >> 2): states 0–3 are entered from the even states, 4–7 from the odd ones (s2' = s0).
 */
const BRANCH_SUBSET = new Uint8Array(TRELLIS_STATES * TRELLIS_DIBITS);
for (let from = 0; from < TRELLIS_STATES; from++) {
  for (let dibit = 0; dibit < TRELLIS_DIBITS; dibit++) {
    const to = TRELLIS_NEXT[from * TRELLIS_DIBITS + dibit]!;
    if ((from & 1) !== to >> 2) throw new Error(`trellis branch ${from} → ${to} is not from the predecessors expected`);
    BRANCH_SUBSET[to * TRELLIS_DIBITS + (from >> 1)] = trellisSubset(from, dibit);
  }
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
  for (let subset = 0; subset < SUBSETS; subset++) {
    const members = Int8Array.from({ length: points.size / SUBSETS }, (_, i) => i * SUBSETS + subset);
    const decided = decisionTable(members, points.re, points.im, reach, CELLS_PER_UNIT);
    for (let cell = 0; cell < decided.length; cell++) nearest[cell * SUBSETS + subset] = decided[cell]!;
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
  /** The four candidates for a state's metric, in the add-compare-select. */
  private readonly branchMetrics = new Float64Array(TRELLIS_DIBITS);
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
    const point = this.subsetPoint;
    const branch = this.branchMetrics;
    const survivorState = this.survivorState;
    const survivorPoint = this.survivorPoint;
    const row = this.at * TRELLIS_STATES;
    // Add-compare-select without a branch on the metrics: on a noisy line which branch survives is a coin toss the
    // processor mispredicts half the time, which cost more than all the arithmetic. The comparisons become indices
    // (Number(x < y), a flag, not a jump) into the four candidates; the first of equal metrics wins, as in a search.
    // Each group of four states shares its four predecessors (BRANCH_SUBSET).
    let best = 0;
    let bestMetric = 0;
    for (let low = 0; low < 2; low++) {
      const from0 = metrics[low]!;
      const from1 = metrics[low + 2]!;
      const from2 = metrics[low + 4]!;
      const from3 = metrics[low + 6]!;
      for (let state = 4 * low; state < 4 * low + 4; state++) {
        const base = state * TRELLIS_DIBITS;
        const a = from0 + distance[BRANCH_SUBSET[base]!]!;
        const b = from1 + distance[BRANCH_SUBSET[base + 1]!]!;
        const c = from2 + distance[BRANCH_SUBSET[base + 2]!]!;
        const e = from3 + distance[BRANCH_SUBSET[base + 3]!]!;
        branch[0] = a;
        branch[1] = b;
        branch[2] = c;
        branch[3] = e;
        const first = Number(b < a);
        const second = 2 + Number(e < c);
        const chosen = first + Number(branch[second]! < branch[first]!) * (second - first);
        const metric = branch[chosen]!;
        next[state] = metric;
        survivorState[row + state] = 2 * chosen + low;
        survivorPoint[row + state] = point[BRANCH_SUBSET[base + chosen]!]!;
        if (state === 0) bestMetric = metric;
        else {
          best += Number(metric < bestMetric) * (state - best);
          bestMetric = next[best]!;
        }
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
