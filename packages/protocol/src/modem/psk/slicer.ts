/**
 * The nearest constellation point to a received symbol, by table: the plane around the constellation is cut into
 * small squares, each holding the point nearest its centre (as SpanDSP's V.17 receiver does), so a decision is one
 * lookup. A symbol within a fraction of a square of a decision boundary may go either way, as noise would take it.
 */

/** Squares per unit of the constellation's scale: a quarter of the V.27ter points' spacing at 4800 is ~1/3. */
const SQUARES_PER_UNIT = 16;

/** Tables are built once per constellation and choice of points, and shared by every demodulator. */
const tables = new Map<string, Int8Array>();

export class Slicer {
  private readonly table: Int8Array;
  private readonly size: number;
  private readonly reach: number;

  /** `points` are the constellation indices to choose from, `pointsRe`/`pointsIm` the constellation. */
  constructor(
    private readonly points: Int8Array,
    private readonly pointsRe: Float64Array,
    private readonly pointsIm: Float64Array,
  ) {
    let extent = 0;
    for (const k of points) extent = Math.max(extent, Math.abs(pointsRe[k]!), Math.abs(pointsIm[k]!));
    // one unit beyond the outermost points; a symbol further out (rare: the noise is then far above any pass mark)
    // is decided by search
    this.reach = Math.ceil(extent) + 1;
    this.size = 2 * this.reach * SQUARES_PER_UNIT;
    const key = [...points].map((k) => `${pointsRe[k]},${pointsIm[k]}`).join(' ');
    let table = tables.get(key);
    if (!table) {
      table = new Int8Array(this.size * this.size);
      for (let row = 0; row < this.size; row++) {
        const im = (row + 0.5) / SQUARES_PER_UNIT - this.reach;
        for (let column = 0; column < this.size; column++) {
          const re = (column + 0.5) / SQUARES_PER_UNIT - this.reach;
          table[row * this.size + column] = nearestPoint(points, pointsRe, pointsIm, re, im);
        }
      }
      tables.set(key, table);
    }
    this.table = table;
  }

  /** The index of the point nearest (re, im). */
  slice(re: number, im: number): number {
    const column = Math.floor((re + this.reach) * SQUARES_PER_UNIT);
    const row = Math.floor((im + this.reach) * SQUARES_PER_UNIT);
    if (column < 0 || row < 0 || column >= this.size || row >= this.size) {
      return nearestPoint(this.points, this.pointsRe, this.pointsIm, re, im);
    }
    return this.table[row * this.size + column]!;
  }
}

function nearestPoint(
  points: Int8Array,
  pointsRe: Float64Array,
  pointsIm: Float64Array,
  re: number,
  im: number,
): number {
  let best = points[0]!;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of points) {
    const dr = re - pointsRe[k]!;
    const di = im - pointsIm[k]!;
    const distance = dr * dr + di * di;
    if (distance < bestDistance) {
      bestDistance = distance;
      best = k;
    }
  }
  return best;
}
